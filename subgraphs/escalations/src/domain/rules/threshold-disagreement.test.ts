import type { AgencyPositionSnapshot, CaseSnapshot, ThresholdDisagreementPolicy } from '@mash/schema';
import { findThresholdDisagreements } from './threshold-disagreement';

const POLICE = 'agency-police';
const LA = 'agency-la';
const HEALTH = 'agency-health';

const policy: ThresholdDisagreementPolicy = {
  ground: 'threshold-disagreement',
  enabled: true,
  minimumSteps: 2,
  highRiskNoFurtherAction: true,
  gracePeriod: { amount: 1, unit: 'working-days' },
};

function position(agencyId: string, p: Partial<AgencyPositionSnapshot> = {}): AgencyPositionSnapshot {
  return {
    agencyId,
    threshold: null,
    thresholdStatusChangeId: null,
    riskLevel: null,
    riskStatusChangeId: null,
    referralOutcome: null,
    referralStatusChangeId: null,
    asOf: '2026-06-01T09:00:00.000Z',
    ...p,
  };
}

function snapshot(positions: AgencyPositionSnapshot[], closed: string[] = []): CaseSnapshot {
  return {
    id: 'case-1',
    partnershipId: 'partnership-1',
    subjectId: 'subject-1',
    status: 'open',
    involvements: positions.map((p) => ({ agencyId: p.agencyId, open: !closed.includes(p.agencyId) })),
    positions,
  };
}

const policeChildProtection = position(POLICE, {
  threshold: 'child-protection',
  thresholdStatusChangeId: 'sc-police-threshold',
  asOf: '2026-06-02T10:00:00.000Z',
});
const laUniversal = position(LA, {
  threshold: 'universal',
  thresholdStatusChangeId: 'sc-la-threshold',
  asOf: '2026-06-01T09:00:00.000Z',
});

describe('threshold disagreement rule', () => {
  it('names the agencies in its reason as people read them, when their names are known', () => {
    const names = new Map([
      [POLICE, 'Thames Valley Police'],
      [LA, "Milton Keynes Council Children's Services"],
    ]);
    const [finding] = findThresholdDisagreements(
      snapshot([policeChildProtection, laUniversal]),
      policy,
      names,
    );
    expect(finding?.reason).toBe(
      "Thames Valley Police judges child protection; Milton Keynes Council Children's Services judges universal " +
        '(3 steps apart).',
    );
  });

  it('finds a disagreement when two agencies are three steps apart, raised by the agency judging higher', () => {
    const [finding, ...rest] = findThresholdDisagreements(
      snapshot([laUniversal, policeChildProtection]),
      policy,
    );
    expect(rest).toHaveLength(0);
    expect(finding).toEqual({
      ground: 'threshold-disagreement',
      raisingAgencyId: POLICE,
      receivingAgencyId: LA,
      evidence: ['sc-police-threshold', 'sc-la-threshold'],
      since: new Date('2026-06-02T10:00:00.000Z'),
      reason: `Agency ${POLICE} judges child protection; agency ${LA} judges universal (3 steps apart).`,
    });
  });

  it('finds a disagreement at exactly the minimum number of steps', () => {
    const la = position(LA, { threshold: 'early-help', thresholdStatusChangeId: 'sc-la' });
    expect(findThresholdDisagreements(snapshot([la, policeChildProtection]), policy)).toHaveLength(1);
  });

  it('finds nothing when the agencies are one step apart', () => {
    const la = position(LA, { threshold: 'child-in-need', thresholdStatusChangeId: 'sc-la' });
    expect(findThresholdDisagreements(snapshot([la, policeChildProtection]), policy)).toEqual([]);
  });

  it('honours a partnership that sets a wider minimum', () => {
    expect(
      findThresholdDisagreements(snapshot([laUniversal, policeChildProtection]), {
        ...policy,
        minimumSteps: 4,
      }),
    ).toEqual([]);
  });

  it('finds nothing when an agency has no threshold judgement yet', () => {
    expect(findThresholdDisagreements(snapshot([position(LA), policeChildProtection]), policy)).toEqual([]);
  });

  it('raises against an agency that ended its referral with no further action and then closed its case', () => {
    const laClosedAfterNfa = position(LA, {
      threshold: 'universal',
      thresholdStatusChangeId: 'sc-la-nfa',
      thresholdAsOf: '2026-06-01T09:00:00.000Z',
      referralOutcome: 'no-further-action',
      referralStatusChangeId: 'sc-la-nfa',
      referralAsOf: '2026-06-01T09:00:00.000Z',
      asOf: '2026-06-01T12:00:00.000Z',
    });
    expect(
      findThresholdDisagreements(snapshot([laClosedAfterNfa, policeChildProtection], [LA]), policy),
    ).toEqual([
      expect.objectContaining({
        raisingAgencyId: POLICE,
        receivingAgencyId: LA,
        evidence: ['sc-police-threshold', 'sc-la-nfa'],
        since: new Date('2026-06-02T10:00:00.000Z'),
      }),
    ]);
  });

  it('does not raise for an agency that has closed its own involvement', () => {
    expect(
      findThresholdDisagreements(snapshot([laUniversal, policeChildProtection], [POLICE]), policy),
    ).toEqual([]);
  });

  it('counts a high risk from the time the risk was rated and no further action from the time the referral ended', () => {
    const police = position(POLICE, {
      riskLevel: 'high',
      riskStatusChangeId: 'sc-police-risk',
      riskAsOf: '2026-06-02T11:00:00.000Z',
      asOf: '2026-06-05T08:00:00.000Z', // a later, unrelated part of the position
    });
    const la = position(LA, {
      referralOutcome: 'no-further-action',
      referralStatusChangeId: 'sc-la-referral',
      referralAsOf: '2026-06-01T16:00:00.000Z',
      asOf: '2026-06-04T08:00:00.000Z',
    });
    expect(findThresholdDisagreements(snapshot([police, la]), policy)[0]?.since).toEqual(
      new Date('2026-06-02T11:00:00.000Z'),
    );
  });

  it('counts a threshold disagreement from when the later of the two judgements was made, not from later news', () => {
    const police = position(POLICE, {
      threshold: 'child-protection',
      thresholdStatusChangeId: 'sc-police-threshold',
      thresholdAsOf: '2026-06-02T10:00:00.000Z',
      riskLevel: 'medium',
      riskStatusChangeId: 'sc-police-risk',
      riskAsOf: '2026-06-06T10:00:00.000Z',
      asOf: '2026-06-06T10:00:00.000Z',
    });
    const la = position(LA, {
      threshold: 'universal',
      thresholdStatusChangeId: 'sc-la-threshold',
      thresholdAsOf: '2026-06-01T09:00:00.000Z',
      asOf: '2026-06-01T09:00:00.000Z',
    });
    expect(findThresholdDisagreements(snapshot([police, la]), policy)[0]?.since).toEqual(
      new Date('2026-06-02T10:00:00.000Z'),
    );
  });

  it('does not restart the grace period when an agency repeats the same judgement', () => {
    // The police have judged child protection since 1 June and confirmed it again every day since.
    const police = position(POLICE, {
      threshold: 'child-protection',
      thresholdStatusChangeId: 'sc-police-repeat',
      thresholdAsOf: '2026-06-05T10:00:00.000Z',
      thresholdSince: '2026-06-01T10:00:00.000Z',
      asOf: '2026-06-05T10:00:00.000Z',
    });
    const la = position(LA, {
      threshold: 'universal',
      thresholdStatusChangeId: 'sc-la-threshold',
      thresholdAsOf: '2026-06-04T09:00:00.000Z',
      thresholdSince: '2026-06-01T09:00:00.000Z',
      asOf: '2026-06-04T09:00:00.000Z',
    });
    expect(findThresholdDisagreements(snapshot([police, la]), policy)[0]?.since).toEqual(
      new Date('2026-06-01T10:00:00.000Z'),
    );
  });

  it('counts high risk against no further action from when each value took hold, not when it was repeated', () => {
    const police = position(POLICE, {
      riskLevel: 'high',
      riskStatusChangeId: 'sc-police-risk',
      riskAsOf: '2026-06-06T11:00:00.000Z',
      riskSince: '2026-06-02T11:00:00.000Z',
      asOf: '2026-06-06T11:00:00.000Z',
    });
    const la = position(LA, {
      referralOutcome: 'no-further-action',
      referralStatusChangeId: 'sc-la-referral',
      referralAsOf: '2026-06-05T16:00:00.000Z',
      referralSince: '2026-06-01T16:00:00.000Z',
      asOf: '2026-06-05T16:00:00.000Z',
    });
    expect(findThresholdDisagreements(snapshot([police, la]), policy)[0]?.since).toEqual(
      new Date('2026-06-02T11:00:00.000Z'),
    );
  });

  it('falls back to the position time when a part has no time of its own', () => {
    const police = position(POLICE, {
      threshold: 'child-protection',
      thresholdStatusChangeId: 'sc-police-threshold',
      thresholdAsOf: null,
      asOf: '2026-06-03T10:00:00.000Z',
    });
    expect(findThresholdDisagreements(snapshot([police, laUniversal]), policy)[0]?.since).toEqual(
      new Date('2026-06-03T10:00:00.000Z'),
    );
  });

  it('ignores positions of agencies not involved in the case at all', () => {
    const s = snapshot([laUniversal, policeChildProtection]);
    const withoutLa = { ...s, involvements: s.involvements.filter((i) => i.agencyId !== LA) };
    expect(findThresholdDisagreements(withoutLa, policy)).toEqual([]);
  });

  it('finds nothing when the trigger is disabled by the policy', () => {
    expect(
      findThresholdDisagreements(snapshot([laUniversal, policeChildProtection]), {
        ...policy,
        enabled: false,
      }),
    ).toEqual([]);
  });

  it('finds a disagreement when one agency rates the risk high and another ends its referral with no further action', () => {
    const police = position(POLICE, { riskLevel: 'high', riskStatusChangeId: 'sc-police-risk' });
    const la = position(LA, {
      referralOutcome: 'no-further-action',
      referralStatusChangeId: 'sc-la-referral',
    });
    expect(findThresholdDisagreements(snapshot([police, la]), policy)).toEqual([
      expect.objectContaining({
        raisingAgencyId: POLICE,
        receivingAgencyId: LA,
        evidence: ['sc-police-risk', 'sc-la-referral'],
        reason: `Agency ${POLICE} rates the risk high; agency ${LA} ended its referral with no further action.`,
      }),
    ]);
  });

  it('does not count high risk against no further action when the policy turns that off', () => {
    const police = position(POLICE, { riskLevel: 'high', riskStatusChangeId: 'sc-police-risk' });
    const la = position(LA, {
      referralOutcome: 'no-further-action',
      referralStatusChangeId: 'sc-la-referral',
    });
    expect(
      findThresholdDisagreements(snapshot([police, la]), { ...policy, highRiskNoFurtherAction: false }),
    ).toEqual([]);
  });

  it('does not count a medium risk rating against no further action', () => {
    const police = position(POLICE, { riskLevel: 'medium', riskStatusChangeId: 'sc-police-risk' });
    const la = position(LA, {
      referralOutcome: 'no-further-action',
      referralStatusChangeId: 'sc-la-referral',
    });
    expect(findThresholdDisagreements(snapshot([police, la]), policy)).toEqual([]);
  });

  it('merges both grounds for the same pair into one finding with all the evidence and the latest date', () => {
    const police = position(POLICE, {
      threshold: 'child-protection',
      thresholdStatusChangeId: 'sc-police-threshold',
      riskLevel: 'high',
      riskStatusChangeId: 'sc-police-risk',
      asOf: '2026-06-03T08:00:00.000Z',
    });
    const la = position(LA, {
      threshold: 'universal',
      thresholdStatusChangeId: 'sc-la-threshold',
      referralOutcome: 'no-further-action',
      referralStatusChangeId: 'sc-la-referral',
      asOf: '2026-06-01T09:00:00.000Z',
    });
    const findings = findThresholdDisagreements(snapshot([la, police]), policy);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.evidence).toEqual([
      'sc-police-threshold',
      'sc-la-threshold',
      'sc-police-risk',
      'sc-la-referral',
    ]);
    expect(findings[0]?.since).toEqual(new Date('2026-06-03T08:00:00.000Z'));
    expect(findings[0]?.reason).toContain('3 steps apart');
    expect(findings[0]?.reason).toContain('no further action');
  });

  it('does not repeat a status change that is evidence of both grounds', () => {
    const police = position(POLICE, {
      threshold: 'child-protection',
      thresholdStatusChangeId: 'sc-police',
      riskLevel: 'high',
      riskStatusChangeId: 'sc-police',
    });
    const la = position(LA, {
      threshold: 'universal',
      thresholdStatusChangeId: 'sc-la',
      referralOutcome: 'no-further-action',
      referralStatusChangeId: 'sc-la',
    });
    expect(findThresholdDisagreements(snapshot([la, police]), policy)[0]?.evidence).toEqual([
      'sc-police',
      'sc-la',
    ]);
  });

  it('finds one disagreement per pair of agencies, in a stable order', () => {
    const health = position(HEALTH, {
      threshold: 'child-in-need',
      thresholdStatusChangeId: 'sc-health',
    });
    const findings = findThresholdDisagreements(
      snapshot([laUniversal, policeChildProtection, health]),
      policy,
    );
    expect(findings.map((f) => [f.raisingAgencyId, f.receivingAgencyId])).toEqual([
      [HEALTH, LA],
      [POLICE, LA],
    ]);
  });

  it('names agencies by id only, never the subject', () => {
    const [finding] = findThresholdDisagreements(snapshot([laUniversal, policeChildProtection]), policy);
    expect(finding?.reason).not.toContain('subject-1');
    expect(finding?.reason).not.toContain('case-1');
  });
});
