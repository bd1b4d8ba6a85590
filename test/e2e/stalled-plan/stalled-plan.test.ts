import { Demo } from '@mash/schema';
import { agencyEventsOf } from '../../../scripts/lib/agency-events';
import { ControllableClock } from '@test/support/clock';
import { mashOfficer } from '@test/support/demo-callers';
import { startDemoPlatform, type DemoPlatform } from '@test/support/demo-platform';
import { gql } from '@test/support/gateway-client';
import { caseEscalations, caseOf, evidenceId, registerChild } from '@test/support/grounds';

// Stalled plan through the real broker, database and gateway, with the escalations' clock in the test's hands: a
// strategy discussion starts a section 47 enquiry over Christmas 2025, and no initial child protection conference
// follows within 15 working days (Working Together 2023). Christmas Day, Boxing Day and New Year's Day are bank
// holidays, so the deadline is Tuesday 6 January 2026, not Thursday 1 January as 15 weekdays would give.

const mk = agencyEventsOf(Demo.sourceSystems);
const DISCUSSION_AT = '2025-12-11T10:00:00.000Z'; // Thursday
const DEADLINE = '2026-01-06T10:00:00.000Z'; // 15 working days on, bank holidays skipped

/** A child whose strategy discussion (police there, judging child protection) started a s47 enquiry. */
function enquiry(n: number) {
  const laPersonId = `LCS-E2E-SP-${n}`;
  const policePersonId = `NICHE-E2E-SP-${n}`;
  return {
    laPersonId,
    policePersonId,
    events: [
      mk.laChildren.strategyDiscussionOutcome({
        id: `e2e-sp-discussion-${n}`,
        laPersonId,
        at: DISCUSSION_AT,
        s47Started: true,
      }),
      mk.police.strategyDiscussionView({
        id: `e2e-sp-police-view-${n}`,
        policePersonId,
        at: DISCUSSION_AT,
        threshold: 'child-protection',
      }),
    ],
  };
}

describe('a stalled child protection enquiry, end to end, with a controllable clock', () => {
  const clock = new ControllableClock('2025-12-11T12:00:00.000Z');
  let demo: DemoPlatform;
  const stalled = enquiry(1);
  const onTime = enquiry(2);
  const cases: Record<'stalled' | 'onTime', string> = { stalled: '', onTime: '' };
  const escalationsOf = (caseId: string) => caseEscalations(demo.platform.gatewayUrl, caseId, mashOfficer);

  beforeAll(async () => {
    demo = await startDemoPlatform({ families: ['police', 'la-children'], clock });
    for (const [name, child] of [
      ['stalled', stalled],
      ['onTime', onTime],
    ] as const) {
      const subjectId = await registerChild(
        demo.platform.gatewayUrl,
        mashOfficer,
        Demo.partnershipId,
        `Stalled-plan child ${name}`,
        [
          { system: 'la-person-id', value: child.laPersonId },
          { system: 'police-person-id', value: child.policePersonId },
        ],
      );
      await demo.publish(child.events);
      cases[name] = await caseOf(demo.platform.gatewayUrl, mashOfficer, subjectId);
    }
    await demo.settled();
  });

  afterAll(async () => {
    await demo?.stop();
  });

  it('raises nothing while the 15 working days run, even past 15 weekdays over Christmas and New Year', async () => {
    expect(await escalationsOf(cases.stalled)).toEqual([]);

    // The other child's initial conference is held in time, on New Year's Eve.
    clock.set('2025-12-31T12:00:00.000Z');
    await demo.publish([
      mk.laChildren.initialConferenceHeld({
        id: 'e2e-sp-conference-2',
        laPersonId: onTime.laPersonId,
        at: '2025-12-31T10:00:00.000Z',
        planDecided: true,
      }),
    ]);
    await demo.settled();

    // Late on Monday 5 January: 15 weekdays have passed, but only 14 working days.
    clock.set('2026-01-05T23:59:59.000Z');
    await demo.sweep();
    await demo.settled();
    expect(await escalationsOf(cases.stalled)).toEqual([]);
    expect(await escalationsOf(cases.onTime)).toEqual([]);

    // A second before the deadline.
    clock.set(new Date(Date.parse(DEADLINE) - 1000));
    await demo.sweep();
    await demo.settled();
    expect(await escalationsOf(cases.stalled)).toEqual([]);
  });

  it('raises the stalled plan from the clock when the deadline passes with no conference', async () => {
    clock.set(new Date(Date.parse(DEADLINE) + 1000));
    await demo.sweep();
    await demo.settled();

    const [e, ...more] = await escalationsOf(cases.stalled);
    expect(more).toEqual([]);
    expect(e).toEqual({
      id: expect.any(String),
      ground: 'STALLED_PLAN',
      stage: 1,
      status: 'AWAITING_ACKNOWLEDGEMENT',
      autoRaised: true,
      raisedAt: '2026-01-06T10:00:01.000Z',
      // MK Together's stage 1: the professionals meet within 7 days.
      stageDeadline: '2026-01-13T10:00:01.000Z',
      // Police were at the strategy discussion; children's services run the enquiry.
      raisingAgency: { id: Demo.agencies.police, name: 'Thames Valley Police' },
      receivingAgency: { id: Demo.agencies.laChildren, name: "Milton Keynes Council Children's Services" },
      evidence: [
        {
          id: evidenceId(stalled.events[0]!),
          kind: 'strategy-discussion',
          summary: 'Strategy discussion held: s47 enquiry started',
          agency: { name: "Milton Keynes Council Children's Services" },
        },
      ],
      history: [
        {
          toStage: 1,
          toStatus: 'AWAITING_ACKNOWLEDGEMENT',
          actor: 'system',
          rationale:
            "Raised automatically: Milton Keynes Council Children's Services has held no initial child protection " +
            'conference within 15 working days of the strategy discussion that started the section 47 enquiry on ' +
            '11 December 2025; it was due by 6 January 2026.',
        },
      ],
    });
  });

  it('raises nothing for the child whose initial conference arrived in time', async () => {
    // Its next expectations (first core group by 15 January, first review by 31 March) are not due yet.
    expect(await escalationsOf(cases.onTime)).toEqual([]);
    const timeline = await gql<{ case: { timeline: { nodes: { kind: string; summary: string }[] } } }>(
      demo.platform.gatewayUrl,
      `query ($id: ID!) { case(id: $id) { timeline { nodes { kind summary } } } }`,
      { id: cases.onTime },
      mashOfficer,
    );
    expect(timeline.data?.case.timeline.nodes[0]).toEqual({
      kind: 'child-protection-conference',
      summary: 'Initial child protection conference held: child protection plan decided',
    });
  });
});
