import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { Demo } from '@mash/schema';
import { thresholdDisagreementEvents } from '../../../scripts/lib/demo-events';
import type { RunningPlatform } from '../../../scripts/lib/platform';
import { testToken } from '@test/support/auth';
import { startDemoPlatform, type DemoPlatform } from '@test/support/demo-platform';
import { laPractitioner } from '@test/support/demo-callers';
import { eventually, gql } from '@test/support/gateway-client';

// The board page in a real browser (Debian's Chromium driven by playwright-core): a MASH officer signs in with a
// token, and a new escalation appears on the open board without a reload; a practitioner sees their notifications,
// a new one arrives live, and they mark it read. The test saves screenshots.

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const SCREENSHOTS = path.resolve(__dirname, '..', '..', '..', '.data', 'screenshots');

const mashOfficer = testToken(
  {
    sub: Demo.contacts.mashOfficer,
    name: 'Demo MASH officer',
    roles: ['mash-officer'],
    partnership: Demo.partnershipId,
    agency: Demo.agencies.laChildren,
  },
  3600,
);

const policePractitioner = testToken(
  {
    sub: Demo.contacts.policePractitioner,
    name: 'Aisha Rahman',
    roles: ['practitioner'],
    partnership: Demo.partnershipId,
    agency: Demo.agencies.police,
  },
  3600,
);

describe('the MASH board page', () => {
  let demo: DemoPlatform;
  let platform: RunningPlatform;
  let browser: Browser;

  beforeAll(async () => {
    demo = await startDemoPlatform();
    platform = demo.platform;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
  });

  it.each([
    ['a laptop', { width: 1366, height: 768 }],
    ['a tablet', { width: 820, height: 1180 }],
  ])('shows a new escalation live on %s, without a reload', async (device, viewport) => {
    const page = await browser.newPage({ viewport });
    const boardUrl = new URL('/board', platform.gatewayUrl).toString();
    await page.goto(boardUrl);
    await page.fill('#token', mashOfficer);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-live=live]');
    const before = await page.locator('.card').count();

    if (device === 'a laptop') {
      await demo.publish(thresholdDisagreementEvents(new Date(), 'board'));
      await page.waitForSelector('.card', { timeout: 60_000 });
      expect(before).toBe(0);
    }
    const card = page.locator('section[aria-label^="Stage 1"] .card').first();
    await card.waitFor();
    expect(await card.textContent()).toContain('threshold disagreement');
    expect(await card.textContent()).toContain('Thames Valley Police → Milton Keynes Council Children');
    expect(await card.locator('.clock').textContent()).toMatch(/left|overdue/);
    expect(await page.locator('.count').textContent()).toBe('1 open');

    await card.locator('button').click();
    const detail = page.locator('aside.detail');
    await detail.getByText('Child A').waitFor();
    expect(await detail.textContent()).toContain('Evidence');

    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, `board-${viewport.width}.png`), fullPage: true });
    await page.close();
  });

  it("shows a practitioner's notifications, a new one live, and marks one read", async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(new URL('/board', platform.gatewayUrl).toString());
    await page.fill('#token', policePractitioner);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-live=live]');
    const panel = page.locator('section[aria-label="Notifications"]');
    // The automatic raise above told the police practitioner, a stage-1 owner.
    await panel.getByText('was raised automatically at stage 1').waitFor({ timeout: 60_000 });
    expect(await panel.locator('h2 .unread').textContent()).toBe('1 unread');

    // Children's services acknowledge: the practitioner is told live, without a reload.
    const escalationId = await eventually(
      async () =>
        (
          await gql<{ escalations: { nodes: { id: string }[] } }>(
            platform.gatewayUrl,
            `query($p: ID!) { escalations(partnershipId: $p) { nodes { id } } }`,
            { p: Demo.partnershipId },
            policePractitioner,
          )
        ).data?.escalations.nodes[0]?.id,
      { what: 'the escalation' },
    );
    const ack = await gql(
      platform.gatewayUrl,
      `mutation($id: ID!) { acknowledgeEscalation(id: $id, rationale: "Taking it up") { status } }`,
      { id: escalationId },
      laPractitioner,
    );
    expect(ack.errors).toBeUndefined();
    await panel
      .getByText('The receiving agency acknowledged the threshold disagreement escalation at stage 1.')
      .waitFor({ timeout: 60_000 });
    expect(await panel.locator('.notification').count()).toBe(2);
    expect(await panel.locator('h2 .unread').textContent()).toBe('2 unread');
    expect(await panel.locator('.notification').first().textContent()).toContain('acknowledged');

    await panel.locator('.notification.unread .mark-read').first().click();
    await panel.getByText('1 unread').waitFor();
    expect(await panel.locator('.notification.unread').count()).toBe(1);

    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'board-notifications.png'), fullPage: true });
    await page.close();
  });
});
