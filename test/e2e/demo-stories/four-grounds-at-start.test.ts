import { definedFamilies } from '@mash/connectors';
import { Demo } from '@mash/schema';
import { demoStories, increasingRiskEvents } from '../../../scripts/lib/demo-events';
import { ControllableClock } from '@test/support/clock';
import { mashOfficer } from '@test/support/demo-callers';
import { startDemoPlatform, type DemoPlatform } from '@test/support/demo-platform';
import { evidenceId, openEscalations } from '@test/support/grounds';

// What `npm start` shows: the demo partnership seeded, the demo stories published as its agencies' systems publish
// them, and the board query through the gateway listing one open escalation per automatic ground. Started on the
// Tuesday after Christmas 2026 (Friday 25 and Monday 28 December are bank holidays), when a story dated a fixed
// three days back would still be inside its grace period: the stories are dated from the calendar instead.

const START = '2026-12-29T09:00:00.000Z';

describe('npm start’s demo stories, on the day after a bank holiday Monday', () => {
  const clock = new ControllableClock(START);
  let demo: DemoPlatform;

  beforeAll(async () => {
    demo = await startDemoPlatform({ families: definedFamilies(), clock });
    await demo.publish(demoStories(clock.now(), 'demo'));
    await demo.settled();
  });

  afterAll(async () => {
    await demo?.stop();
  });

  it('shows four open escalations on the board at once, one per automatic ground, each on its story’s child', async () => {
    const board = await openEscalations(demo.platform.gatewayUrl, Demo.partnershipId, mashOfficer);
    const seen = board
      .map((e) => ({
        ground: e.ground,
        caseId: e.case.id,
        stage: e.stage,
        status: e.status,
        autoRaised: e.autoRaised,
        raising: e.raisingAgency.id,
        receiving: e.receivingAgency.id,
        raisedAt: e.raisedAt,
      }))
      .sort((a, b) => a.ground.localeCompare(b.ground));
    const open = { stage: 1, status: 'AWAITING_ACKNOWLEDGEMENT', autoRaised: true, raisedAt: START };
    expect(seen).toEqual([
      {
        ground: 'DISENGAGEMENT',
        caseId: Demo.subjectD.caseId,
        raising: Demo.agencies.health,
        receiving: Demo.agencies.laChildren,
        ...open,
      },
      {
        ground: 'INCREASING_RISK',
        caseId: Demo.subjectE.caseId,
        raising: Demo.agencies.police,
        receiving: Demo.agencies.laChildren,
        ...open,
      },
      {
        ground: 'STALLED_PLAN',
        caseId: Demo.subjectC.caseId,
        raising: Demo.agencies.police,
        receiving: Demo.agencies.laChildren,
        ...open,
      },
      {
        ground: 'THRESHOLD_DISAGREEMENT',
        caseId: Demo.subject.caseId,
        raising: Demo.agencies.police,
        receiving: Demo.agencies.laChildren,
        ...open,
      },
    ]);
    const reasons = Object.fromEntries(board.map((e) => [e.ground, e.history[0]!.rationale]));
    const { INCREASING_RISK: increasingRisk, ...others } = reasons;
    expect(others).toEqual({
      THRESHOLD_DISAGREEMENT:
        "Raised automatically: Thames Valley Police judges child protection; Milton Keynes Council Children's " +
        'Services judges universal (3 steps apart).',
      STALLED_PLAN:
        "Raised automatically: Milton Keynes Council Children's Services has held no initial child protection " +
        'conference within 15 working days of the strategy discussion that started the section 47 enquiry on ' +
        '3 December 2026; it was due by 24 December 2026.',
      DISENGAGEMENT:
        'Raised automatically: 2 signs of disengagement from 2 agencies within 28 days: Milton Keynes University ' +
        'Hospital (not brought to an appointment), Milton Keynes Education Safeguarding (an unexplained absence).',
    });
    // Child E's high DASH score is enough to raise on: the escalation is raised on the assessment alone when the
    // clock scheduler fires its finding before the engine has applied the MARAC referral (which then joins it as
    // evidence), or on both when the two arrive in one run of the stages. Either way it holds both, once.
    const both =
      'Raised automatically: Risk is increasing: Thames Valley Police reports a DASH risk assessment at or above ' +
      "the high-risk score of 14 and a MARAC referral, while Milton Keynes Council Children's Services is not " +
      'involved in the case.';
    const dashAlone =
      'Raised automatically: Risk is increasing: Thames Valley Police reports a DASH risk assessment at or above ' +
      "the high-risk score of 14, while Milton Keynes Council Children's Services is not involved in the case.";
    expect([both, dashAlone]).toContain(increasingRisk);
    const risk = board.find((e) => e.ground === 'INCREASING_RISK')!;
    expect(risk.evidence.map((e) => e.id).sort()).toEqual(
      increasingRiskEvents(clock.now(), 'demo').map(evidenceId).sort(),
    );
  });
});
