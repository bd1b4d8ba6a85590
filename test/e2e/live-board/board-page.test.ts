import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Kafka, Partitioners, type Producer } from 'kafkajs';
import { chromium, type Browser } from 'playwright-core';
import { silentLogger } from '@mash/service-kit';
import { Demo, topics } from '@mash/schema';
import { thresholdDisagreementEvents } from '../../../scripts/lib/demo-events';
import { sourceCodeOf } from '../../../scripts/lib/demo-source-systems';
import { startPlatform, type RunningPlatform } from '../../../scripts/lib/platform';
import { testJwt, testToken } from '@test/support/auth';
import { createTestDatabase, type TestDatabase } from '@test/support/database';
import { testBrokers, testKafkaAuth, testKafkaConfig, uniquePrefix } from '@test/support/kafka';

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
  const prefix = uniquePrefix();
  let db: TestDatabase;
  let platform: RunningPlatform;
  let producer: Producer;
  let browser: Browser;

  beforeAll(async () => {
    db = await createTestDatabase();
    platform = await startPlatform({
      databaseUrl: db.url,
      kafkaBrokers: testBrokers(),
      ...(testKafkaAuth() && { kafkaAuth: testKafkaAuth() }),
      topicPrefix: prefix,
      jwt: testJwt,
      logger: silentLogger(),
      seedDemo: true,
      families: ['police', 'la-children'],
      schedulerIntervalMs: 200,
    });
    await platform.liveReady;
    const kafka = new Kafka(testKafkaConfig('board-test'));
    producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });

  afterAll(async () => {
    await browser?.close();
    await producer?.disconnect();
    await platform?.stop();
    await db?.drop();
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
      for (const e of thresholdDisagreementEvents(new Date(), 'board')) {
        await producer.send({
          topic: topics(prefix).agency(e.family, sourceCodeOf(e.event.source)),
          messages: [{ key: e.key, value: JSON.stringify(e.event) }],
        });
      }
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
