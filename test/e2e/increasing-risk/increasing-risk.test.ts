import { Demo } from '@mash/schema';
import { agencyEventsOf, type AgencyEvent } from '../../../scripts/lib/agency-events';
import { ControllableClock } from '@test/support/clock';
import { mashOfficer } from '@test/support/demo-callers';
import { startDemoPlatform, type DemoPlatform } from '@test/support/demo-platform';
import { caseEscalations, caseOf, evidenceId, registerChild } from '@test/support/grounds';

// Increasing risk through the real broker, database and gateway: police assess domestic abuse risk as high (DASH 15)
// while children's services judge the child in need, and an escalation goes from police to children's services;
// when children's services already act at child protection, the same assessment raises nothing.

const mk = agencyEventsOf(Demo.sourceSystems);
const NOW = '2026-04-10T12:00:00.000Z';
const POLICE = 'Thames Valley Police';
const LA = "Milton Keynes Council Children's Services";

describe('a high-risk DASH assessment against children’s services’ position, end to end', () => {
  const clock = new ControllableClock(NOW);
  let demo: DemoPlatform;
  const children = {
    childInNeed: { laPersonId: 'LCS-E2E-IR-1', policePersonId: 'NICHE-E2E-IR-1', caseId: '' },
    childProtection: { laPersonId: 'LCS-E2E-IR-2', policePersonId: 'NICHE-E2E-IR-2', caseId: '' },
  };
  const dash: Record<keyof typeof children, AgencyEvent> = {
    childInNeed: mk.police.dashAssessment({
      id: 'e2e-ir-dash-1',
      policePersonId: children.childInNeed.policePersonId,
      at: '2026-04-08T09:00:00.000Z',
      score: 15,
    }),
    childProtection: mk.police.dashAssessment({
      id: 'e2e-ir-dash-2',
      policePersonId: children.childProtection.policePersonId,
      at: '2026-04-08T09:00:00.000Z',
      score: 15,
    }),
  };
  const escalationsOf = (caseId: string) => caseEscalations(demo.platform.gatewayUrl, caseId, mashOfficer);

  beforeAll(async () => {
    demo = await startDemoPlatform({ families: ['police', 'la-children'], clock });
    for (const [name, c] of Object.entries(children) as [
      keyof typeof children,
      (typeof children)['childInNeed'],
    ][]) {
      const subjectId = await registerChild(
        demo.platform.gatewayUrl,
        mashOfficer,
        Demo.partnershipId,
        `Increasing-risk child, ${name}`,
        [
          { system: 'la-person-id', value: c.laPersonId },
          { system: 'police-person-id', value: c.policePersonId },
        ],
      );
      // Children's services' judgement first, and through the whole pipeline before the police assessment.
      await demo.publish([
        mk.laChildren.referralOutcome({
          id: `e2e-ir-referral-${name}`,
          laPersonId: c.laPersonId,
          at: '2026-04-01T10:00:00.000Z',
          outcome: name === 'childInNeed' ? 'child-in-need' : 'child-protection',
        }),
      ]);
      c.caseId = await caseOf(demo.platform.gatewayUrl, mashOfficer, subjectId);
    }
    await demo.settled();
    await demo.publish([dash.childInNeed, dash.childProtection]);
    await demo.settled();
  });

  afterAll(async () => {
    await demo?.stop();
  });

  it('raises an escalation from police to children’s services, who judge the child in need', async () => {
    const [e, ...more] = await escalationsOf(children.childInNeed.caseId);
    expect(more).toEqual([]);
    expect(e).toEqual({
      id: expect.any(String),
      ground: 'INCREASING_RISK',
      stage: 1,
      status: 'AWAITING_ACKNOWLEDGEMENT',
      autoRaised: true,
      raisedAt: NOW,
      stageDeadline: '2026-04-17T12:00:00.000Z',
      raisingAgency: { id: Demo.agencies.police, name: POLICE },
      receivingAgency: { id: Demo.agencies.laChildren, name: LA },
      evidence: [
        {
          id: evidenceId(dash.childInNeed),
          kind: 'risk-assessment',
          summary: 'DASH risk assessment: high risk (15 of 27 ticked)',
          agency: { name: POLICE },
        },
      ],
      history: [
        {
          toStage: 1,
          toStatus: 'AWAITING_ACKNOWLEDGEMENT',
          actor: 'system',
          rationale:
            `Raised automatically: Risk is increasing: ${POLICE} reports a DASH risk assessment at or above the ` +
            `high-risk score of 14, while ${LA} judges child in need.`,
        },
      ],
    });
  });

  it('raises nothing when children’s services already judge child protection', async () => {
    expect(await escalationsOf(children.childProtection.caseId)).toEqual([]);
  });
});
