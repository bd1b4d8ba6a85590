import { buildSnapshot } from './snapshot';

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
        {
          agencyId: 'b',
          threshold: 'early-help',
          thresholdStatusChangeId: 'sc-2',
          riskLevel: null,
          riskStatusChangeId: null,
          referralOutcome: null,
          referralStatusChangeId: null,
          asOf: '2026-03-02T00:00:00.000Z',
        },
        {
          agencyId: 'a',
          threshold: null,
          thresholdStatusChangeId: null,
          riskLevel: 'high',
          riskStatusChangeId: 'sc-1',
          referralOutcome: null,
          referralStatusChangeId: null,
          asOf: '2026-03-01T00:00:00.000Z',
        },
      ],
    );
    expect(snapshot.involvements.map((i) => i.agencyId)).toEqual(['a', 'b']);
    expect(snapshot.positions.map((p) => p.agencyId)).toEqual(['a', 'b']);
    expect(snapshot).toMatchObject({ id: 'case-1', partnershipId: 'p-1', subjectId: 's-1', status: 'open' });
  });

  it('carries only the snapshot fields of richer records', () => {
    const snapshot = buildSnapshot(
      header,
      [{ agencyId: 'a', open: true, localReference: 'x', since: 'y' } as { agencyId: string; open: boolean }],
      [
        {
          agencyId: 'a',
          threshold: 'universal',
          thresholdStatusChangeId: 'sc',
          riskLevel: null,
          riskStatusChangeId: null,
          referralOutcome: null,
          referralStatusChangeId: null,
          asOf: '2026-03-01T00:00:00.000Z',
          thresholdAsOf: '2026-03-01T00:00:00.000Z',
        } as never,
      ],
    );
    expect(snapshot.involvements[0]).toEqual({ agencyId: 'a', open: true });
    expect(Object.keys(snapshot.positions[0] ?? {})).not.toContain('thresholdAsOf');
  });
});
