import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { Demo } from '@mash/schema';
import { thresholdDisagreementEvents } from '../../../scripts/lib/demo-events';
import type { RunningPlatform } from '../../../scripts/lib/platform';
import { testToken } from '@test/support/auth';
import { startDemoPlatform, type DemoPlatform } from '@test/support/demo-platform';

// The board page in a real browser (Debian's Chromium driven by playwright-core): a MASH officer signs in with a
// token, and a new escalation appears on the open board without a reload. The test saves a screenshot.

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
});
