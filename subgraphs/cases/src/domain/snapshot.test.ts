import type { AgencyPosition } from './positions';
import { buildSnapshot } from './snapshot';

const position = (agencyId: string, parts: Partial<AgencyPosition> = {}): AgencyPosition => ({
  agencyId,
  threshold: null,
  thresholdStatusChangeId: null,
  thresholdAsOf: null,
  thresholdSince: null,
  riskLevel: null,
  riskStatusChangeId: null,
  riskAsOf: null,
  riskSince: null,
  referralOutcome: null,
  referralStatusChangeId: null,
  referralAsOf: null,
  referralSince: null,
  asOf: '2026-03-01T00:00:00.000Z',
  ...parts,
});

describe('buildSnapshot', () => {
  const header = { id: 'case-1', partnershipId: 'p-1', subjectId: 's-1', status: 'open' as const };

  it('lists every involvement and position in agency order', () => {
    const snapshot = buildSnapshot(
      header,
      [
        { agencyId: 'b', open: true },
        { agencyId: 'a', open: false },
      ],
      [
        position('b', {
          threshold: 'early-help',
          thresholdStatusChangeId: 'sc-2',
          thresholdAsOf: '2026-03-02T00:00:00.000Z',
          asOf: '2026-03-02T00:00:00.000Z',
        }),
        position('a', {
          riskLevel: 'high',
          riskStatusChangeId: 'sc-1',
          riskAsOf: '2026-03-01T00:00:00.000Z',
        }),
      ],
    );
    expect(snapshot.involvements.map((i) => i.agencyId)).toEqual(['a', 'b']);
    expect(snapshot.positions.map((p) => p.agencyId)).toEqual(['a', 'b']);
    expect(snapshot).toMatchObject({ id: 'case-1', partnershipId: 'p-1', subjectId: 's-1', status: 'open' });
  });

  it('carries the stored time each part of a position was last set, not only the latest of them', () => {
    const snapshot = buildSnapshot(
      header,
      [{ agencyId: 'a', open: true }],
      [
        position('a', {
          threshold: 'child-in-need',
          thresholdStatusChangeId: 'sc-threshold',
          thresholdAsOf: '2026-03-01T09:00:00.000Z',
          riskLevel: 'high',
          riskStatusChangeId: 'sc-risk',
          riskAsOf: '2026-03-05T09:00:00.000Z',
          referralOutcome: 'no-further-action',
          referralStatusChangeId: 'sc-referral',
          referralAsOf: '2026-03-03T09:00:00.000Z',
          asOf: '2026-03-05T09:00:00.000Z',
        }),
      ],
    );
    expect(snapshot.positions[0]).toMatchObject({
      thresholdAsOf: '2026-03-01T09:00:00.000Z',
      riskAsOf: '2026-03-05T09:00:00.000Z',
      referralAsOf: '2026-03-03T09:00:00.000Z',
      asOf: '2026-03-05T09:00:00.000Z',
    });
  });

  it('carries since when each part has held its value, apart from when it was last reported', () => {
    const snapshot = buildSnapshot(
      header,
      [{ agencyId: 'a', open: true }],
      [
        position('a', {
          threshold: 'child-protection',
          thresholdStatusChangeId: 'sc-threshold',
          thresholdAsOf: '2026-03-04T09:00:00.000Z',
          thresholdSince: '2026-03-01T09:00:00.000Z',
          riskLevel: 'high',
          riskStatusChangeId: 'sc-risk',
          riskAsOf: '2026-03-05T09:00:00.000Z',
          riskSince: '2026-03-02T09:00:00.000Z',
          asOf: '2026-03-05T09:00:00.000Z',
        }),
      ],
    );
    expect(snapshot.positions[0]).toMatchObject({
      thresholdAsOf: '2026-03-04T09:00:00.000Z',
      thresholdSince: '2026-03-01T09:00:00.000Z',
      riskAsOf: '2026-03-05T09:00:00.000Z',
      riskSince: '2026-03-02T09:00:00.000Z',
      referralSince: null,
    });
  });

  it('carries a null time for a part that was never set', () => {
    const snapshot = buildSnapshot(
      header,
      [{ agencyId: 'a', open: true }],
      [
        position('a', {
          threshold: 'universal',
          thresholdStatusChangeId: 'sc',
          thresholdAsOf: '2026-03-01T00:00:00.000Z',
        }),
      ],
    );
    expect(snapshot.positions[0]).toMatchObject({
      thresholdAsOf: '2026-03-01T00:00:00.000Z',
      riskAsOf: null,
      referralAsOf: null,
    });
  });

  it('carries only the snapshot fields of richer records', () => {
    const snapshot = buildSnapshot(
      header,
      [{ agencyId: 'a', open: true, localReference: 'x', since: 'y' } as { agencyId: string; open: boolean }],
      [{ ...position('a'), caseId: 'case-1', localReference: 'x' } as AgencyPosition],
    );
    expect(snapshot.involvements[0]).toEqual({ agencyId: 'a', open: true });
    expect(Object.keys(snapshot.positions[0] ?? {}).sort()).toEqual(
      [
        'agencyId',
        'asOf',
        'referralAsOf',
        'referralOutcome',
        'referralSince',
        'referralStatusChangeId',
        'riskAsOf',
        'riskLevel',
        'riskSince',
        'riskStatusChangeId',
        'threshold',
        'thresholdAsOf',
        'thresholdSince',
        'thresholdStatusChangeId',
      ].sort(),
    );
  });
});
