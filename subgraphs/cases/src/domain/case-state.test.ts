import type { StatusChangeKind, StatusChangeMessage, StatusFacts } from '@mash/schema';
import { applyToCase, snapshotOf, type CaseState } from './case-state';
import { planKey } from './plans';

const LA = '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e12';
let counter = 0;

function la(kind: StatusChangeKind, facts: StatusFacts, occurredAt: string): StatusChangeMessage {
  counter += 1;
  return {
    id: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    eventId: `e-${counter}`,
    source: 'urn:mash:source:mk-lcs',
    type: `uk.mash.la-children.${kind}.v1`,
    family: 'la-children',
    partnershipId: 'p-1',
    agencyId: LA,
    sourceSystemId: 'ss-1',
    subject: { system: 'la-person-id', value: 'LCS-1' },
    kind,
    facts,
    summary: 'test',
    occurredAt,
    receivedAt: occurredAt,
  };
}

const empty: CaseState = {
  header: { id: 'case-1', partnershipId: 'p-1', subjectId: 's-1', status: 'open' },
  involvements: new Map(),
  positions: new Map(),
  childProtection: null,
  plans: new Map(),
  signals: [],
};

describe('applyToCase', () => {
  it('moves every part a change reports and says which records to write', () => {
    const sd = la('strategy-discussion', { s47Started: true }, '2026-03-01T10:00:00.000Z');
    const afterSd = applyToCase(empty, sd);
    expect(afterSd.changes).toEqual({ agencyId: LA, childProtection: true, plans: [] });

    const start = la(
      'plan-started',
      { plan: { ref: 'CP-1', kind: 'child-protection' } },
      '2026-03-05T10:00:00.000Z',
    );
    const afterStart = applyToCase(afterSd.state, start);
    expect(afterStart.changes).toEqual({
      agencyId: LA,
      childProtection: false,
      plans: [planKey(LA, 'CP-1')],
    });

    const visit = la('visit', { visit: { outcome: 'no-access' } }, '2026-03-06T10:00:00.000Z');
    const afterVisit = applyToCase(afterStart.state, visit);
    expect(afterVisit.changes).toEqual({ agencyId: LA, childProtection: false, plans: [] });

    const snapshot = snapshotOf(afterVisit.state);
    expect(snapshot.involvements).toEqual([{ agencyId: LA, open: true }]);
    expect(snapshot.positions.map((p) => p.asOf)).toEqual(['2026-03-06T10:00:00.000Z']);
    expect(snapshot.childProtection?.enquiryStatusChangeId).toBe(sd.id);
    expect(snapshot.plans?.map((p) => [p.ref, p.startedStatusChangeId])).toEqual([['CP-1', start.id]]);
    expect(snapshot.signals?.map((s) => s.statusChangeId)).toEqual([visit.id]);
  });

  it('leaves the state it was given as it was', () => {
    const before = JSON.stringify([...empty.involvements, ...empty.positions, ...empty.plans]);
    applyToCase(
      empty,
      la('plan-started', { plan: { ref: 'CP-1', kind: 'child-protection' } }, '2026-03-05T10:00:00Z'),
    );
    expect(JSON.stringify([...empty.involvements, ...empty.positions, ...empty.plans])).toBe(before);
  });

  it('carries empty records for a case none of them has reached', () => {
    const snapshot = snapshotOf(
      applyToCase(empty, la('threshold-judgement', { threshold: 'early-help' }, '2026-03-01T10:00:00Z'))
        .state,
    );
    expect(snapshot).toMatchObject({ childProtection: null, plans: [], signals: [] });
  });
});
