import { parseArgs } from 'node:util';
import {
  caseEventMessageSchema,
  checkMessage,
  Demo,
  type CaseEventMessage,
  type StatusChangeMessage,
} from '@mash/schema';
import { readInternalMessage } from '@mash/kafka';
import { benchSnapshots } from './rule-snapshots';

/**
 * `node scripts/dist/bench/messages.js`: what validating internal messages costs on the hot batch path. N case
 * events (realistic snapshots from bench:rules: 4 agencies' positions, plans with actions, 20 to 50 signals) as
 * record values, read three ways in interleaved rounds (CPU time): JSON.parse alone; JSON.parse and the zod schema;
 * what the consumers do (`readInternalMessage`: JSON.parse and ajv compiled from the zod schema's JSON Schema).
 */

const { values } = parseArgs({
  options: { events: { type: 'string', default: '20000' }, rounds: { type: 'string', default: '3' } },
});
const N = Number(values.events);
const ROUNDS = Number(values.rounds);

function statusChange(i: number): StatusChangeMessage {
  return {
    id: `6f1c1d2e-3a4b-5c6d-8e7f-${String(i).padStart(12, '0')}`,
    eventId: `evt-${i}`,
    source: 'urn:mash:source:tvp-niche',
    type: 'uk.mash.police.protection-notice.v1',
    family: 'police',
    partnershipId: Demo.partnershipId,
    agencyId: Demo.agencies.police,
    sourceSystemId: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e21',
    subject: { system: 'police-person-id', value: `NICHE-${i}` },
    kind: 'protection-notice',
    facts: { threshold: 'child-protection', riskLevel: 'high', bragRating: 'red' },
    summary: 'Protection notice submitted (red)',
    occurredAt: '2026-11-01T10:00:00.000Z',
    receivedAt: '2026-11-01T10:00:05.123Z',
  };
}

const snapshots = benchSnapshots(Math.min(N, 2000), new Date('2026-11-30T09:00:00Z'));
const records: Buffer[] = [];
for (let i = 0; i < N; i++) {
  const event: CaseEventMessage = { statusChange: statusChange(i), case: snapshots[i % snapshots.length]! };
  records.push(Buffer.from(JSON.stringify(event)));
}
const bytes = records.reduce((n, r) => n + r.length, 0);

const ways: Record<string, (r: Buffer) => boolean> = {
  'JSON.parse only': (r) => typeof JSON.parse(r.toString('utf8')) === 'object',
  'JSON.parse + zod schema': (r) => checkMessage(caseEventMessageSchema, JSON.parse(r.toString('utf8'))).ok,
  'readInternalMessage (JSON.parse + ajv)': (r) => readInternalMessage('case event', r).ok,
};

console.log(
  `${N} case events, ${(bytes / N / 1024).toFixed(1)} KiB each on average, ${ROUNDS} interleaved rounds`,
);
const results: Record<string, number[]> = {};
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, read] of Object.entries(ways)) {
    // CPU time of this process: the machine is shared, so wall time measures the neighbours as much as the code.
    const start = process.cpuUsage();
    let ok = 0;
    for (const r of records) if (read(r)) ok++;
    const used = process.cpuUsage(start);
    const ms = (used.user + used.system) / 1000;
    if (ok !== N) throw new Error(`${name}: ${N - ok} records failed`);
    (results[name] ??= []).push(ms);
  }
}
for (const [name, ms] of Object.entries(results)) {
  const best = Math.min(...ms);
  console.log(
    `${name.padEnd(40)} ${ms.map((m) => `${m.toFixed(0)} ms`).join(', ')}  best ${((best * 1000) / N).toFixed(1)} µs/event, ${Math.round(N / (best / 1000))} events/s`,
  );
}
