import { decide, isSettled, type SettledEvidence } from './finding-decision';

const due = new Date('2026-06-01T13:00:00.000Z');
const finding = { evidence: ['sc-1', 'sc-2'], dueAt: due };
const resolved = (ids: string[], at: string): SettledEvidence[] =>
  ids.map((statusChangeId) => ({ statusChangeId, resolvedAt: new Date(at) }));

describe('deciding what a finding does now', () => {
  it.each<{ what: string; now: string; open: boolean; settled: SettledEvidence[]; decision: string }>([
    {
      what: 'waits before it is due',
      now: '2026-06-01T12:59:59.999Z',
      open: true,
      settled: [],
      decision: 'wait',
    },
    {
      what: 'raises when due with nothing open',
      now: '2026-06-01T13:00:00.000Z',
      open: false,
      settled: [],
      decision: 'raise',
    },
    {
      what: 'joins an open escalation when due',
      now: '2026-06-01T14:00:00.000Z',
      open: true,
      settled: [],
      decision: 'join',
    },
    {
      what: 'is settled by an escalation resolved on exactly its evidence',
      now: '2026-06-02T09:00:00.000Z',
      open: false,
      settled: resolved(['sc-1', 'sc-2'], '2026-06-01T15:00:00.000Z'),
      decision: 'settled',
    },
    {
      what: 'raises again with new evidence',
      now: '2026-06-02T09:00:00.000Z',
      open: false,
      settled: resolved(['sc-1'], '2026-06-01T15:00:00.000Z'),
      decision: 'raise',
    },
    {
      what: 'raises when the same evidence was resolved before this finding was due (another expectation)',
      now: '2026-06-02T09:00:00.000Z',
      open: false,
      settled: resolved(['sc-1', 'sc-2'], '2026-06-01T12:00:00.000Z'),
      decision: 'raise',
    },
  ])('$what', (row) => {
    expect(decide(finding, { open: row.open, settled: row.settled }, new Date(row.now))).toBe(row.decision);
  });

  it('never counts a finding without evidence as settled', () => {
    expect(isSettled({ evidence: [], dueAt: due }, resolved(['sc-1'], '2026-06-02T00:00:00.000Z'))).toBe(
      false,
    );
  });
});
