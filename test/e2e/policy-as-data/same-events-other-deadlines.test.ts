import { Demo, DemoLincolnshire } from '@mash/schema';
import { agencyEventsOf, type PartnershipSourceSystems } from '../../../scripts/lib/agency-events';
import { ControllableClock } from '@test/support/clock';
import { lincolnshireMashOfficer, mashOfficer } from '@test/support/demo-callers';
import { startDemoPlatform, type DemoPlatform } from '@test/support/demo-platform';
import { caseEscalations, caseOf, registerChild, type GroundEscalation } from '@test/support/grounds';

// Policy is data: the same agency events, from each partnership's own source systems about a child each has
// registered under the same identifiers, raise the same escalation in MK Together and in Lincolnshire, with the
// stage deadlines of each partnership's policy. Raised on Friday 23 October 2026 at 10:00 BST, two days before the
// clocks go back: MK Together's stage 1 runs 7 calendar days (Friday 30 October, 10:00 GMT, wall-clock time kept);
// Lincolnshire's 2 working days (Tuesday 27 October, 10:00 GMT). Then the clock makes each lapse in turn.

const RAISED_AT = '2026-10-23T09:00:00.000Z';
const LA_PERSON_ID = 'LCS-E2E-POLICY-1';
const POLICE_PERSON_ID = 'NICHE-E2E-POLICY-1';

/** Children's services judge the child in need; a week later police assess domestic abuse risk as high. */
function story(systems: PartnershipSourceSystems) {
  const events = agencyEventsOf(systems);
  return {
    judgement: events.laChildren.referralOutcome({
      id: 'e2e-policy-referral-1',
      laPersonId: LA_PERSON_ID,
      at: '2026-10-15T10:00:00.000Z',
      outcome: 'child-in-need',
    }),
    risk: events.police.dashAssessment({
      id: 'e2e-policy-dash-1',
      policePersonId: POLICE_PERSON_ID,
      at: '2026-10-22T21:00:00.000Z',
      score: 15,
    }),
  };
}

describe('the same events under MK Together and Lincolnshire give each partnership’s stage deadlines', () => {
  const clock = new ControllableClock(RAISED_AT);
  let demo: DemoPlatform;
  const partnerships = {
    mk: { id: Demo.partnershipId, token: mashOfficer, story: story(Demo.sourceSystems), caseId: '' },
    lincs: {
      id: DemoLincolnshire.partnershipId,
      token: lincolnshireMashOfficer,
      story: story(DemoLincolnshire.sourceSystems),
      caseId: '',
    },
  };
  const only = async (p: { caseId: string; token: string }): Promise<GroundEscalation> => {
    const [e, ...more] = await caseEscalations(demo.platform.gatewayUrl, p.caseId, p.token);
    expect(more).toEqual([]);
    return e!;
  };

  beforeAll(async () => {
    demo = await startDemoPlatform({ families: ['police', 'la-children'], clock });
    for (const p of Object.values(partnerships)) {
      const subjectId = await registerChild(demo.platform.gatewayUrl, p.token, p.id, 'Same-events child', [
        { system: 'la-person-id', value: LA_PERSON_ID },
        { system: 'police-person-id', value: POLICE_PERSON_ID },
      ]);
      await demo.publish([p.story.judgement]);
      p.caseId = await caseOf(demo.platform.gatewayUrl, p.token, subjectId);
    }
    await demo.settled();
    await demo.publish([partnerships.mk.story.risk, partnerships.lincs.story.risk]);
    await demo.settled();
  });

  afterAll(async () => {
    await demo?.stop();
  });

  it('raises the same escalation in both, with each policy’s stage 1 deadline', async () => {
    const mk = await only(partnerships.mk);
    const lincs = await only(partnerships.lincs);
    for (const [e, agencies] of [
      [mk, Demo.agencies],
      [lincs, DemoLincolnshire.agencies],
    ] as const) {
      expect(e).toMatchObject({
        ground: 'INCREASING_RISK',
        stage: 1,
        status: 'AWAITING_ACKNOWLEDGEMENT',
        raisedAt: RAISED_AT,
        raisingAgency: { id: agencies.police },
        receivingAgency: { id: agencies.laChildren },
      });
    }
    expect(mk.history[0]!.rationale).toBe(
      'Raised automatically: Risk is increasing: Thames Valley Police reports a DASH risk assessment at or above ' +
        "the high-risk score of 14, while Milton Keynes Council Children's Services judges child in need.",
    );
    expect(lincs.history[0]!.rationale).toBe(
      'Raised automatically: Risk is increasing: Lincolnshire Police reports a DASH risk assessment at or above ' +
        "the high-risk score of 14, while Lincolnshire County Council Children's Services judges child in need.",
    );
    // 7 calendar days, kept at 10:00 London time across the clocks going back (7 × 24 + 1 hours).
    expect(mk.stageDeadline).toBe('2026-10-30T10:00:00.000Z');
    // 2 working days: Monday 26 and Tuesday 27 October, 10:00 London time.
    expect(lincs.stageDeadline).toBe('2026-10-27T10:00:00.000Z');
  });

  it("moves Lincolnshire's escalation to stage 2 when its deadline lapses, and leaves MK Together's at stage 1", async () => {
    clock.set('2026-10-27T10:00:01.000Z');
    await demo.sweep();
    await demo.settled();

    const lincs = await only(partnerships.lincs);
    expect(lincs).toMatchObject({ stage: 2, status: 'AWAITING_ACKNOWLEDGEMENT' });
    // Lincolnshire's stage 2: 5 working days from the move.
    expect(lincs.stageDeadline).toBe('2026-11-03T10:00:01.000Z');
    expect(lincs.history.map((h) => [h.toStage, h.actor])).toEqual([
      [1, 'system'],
      [2, 'system'],
    ]);
    expect(lincs.history[1]!.rationale).toBe(
      'The stage 1 (Practitioners acknowledge at once and agree a plan) deadline of 2026-10-27T10:00:00.000Z ' +
        'passed without resolution; moved to stage 2 (Line managers and designated safeguarding leads).',
    );
    const mk = await only(partnerships.mk);
    expect(mk).toMatchObject({ stage: 1, stageDeadline: '2026-10-30T10:00:00.000Z' });
  });

  it("moves MK Together's to stage 2 at its own deadline, with MK Together's stage 2 timescale", async () => {
    clock.set('2026-10-30T10:00:01.000Z');
    await demo.sweep();
    await demo.settled();

    const mk = await only(partnerships.mk);
    expect(mk).toMatchObject({ stage: 2, status: 'AWAITING_ACKNOWLEDGEMENT' });
    // MK Together's stage 2: 5 working days (a local default), Monday 2 to Friday 6 November.
    expect(mk.stageDeadline).toBe('2026-11-06T10:00:01.000Z');
    expect(mk.history[1]!.rationale).toBe(
      'The stage 1 (Professionals meet to reach a shared understanding) deadline of 2026-10-30T10:00:00.000Z ' +
        'passed without resolution; moved to stage 2 (Line managers and safeguarding leads).',
    );
    const lincs = await only(partnerships.lincs);
    expect(lincs).toMatchObject({ stage: 2, stageDeadline: '2026-11-03T10:00:01.000Z' });
  });
});
