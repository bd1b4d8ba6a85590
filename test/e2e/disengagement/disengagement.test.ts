import { Demo } from '@mash/schema';
import { agencyEventsOf } from '../../../scripts/lib/agency-events';
import { ControllableClock } from '@test/support/clock';
import { mashOfficer } from '@test/support/demo-callers';
import { startDemoPlatform, type DemoPlatform } from '@test/support/demo-platform';
import { byId, caseEscalations, caseOf, evidenceId, registerChild } from '@test/support/grounds';
import { nhsNumber, upn } from '@test/support/identifiers';

// Disengagement through the real broker, database and gateway: a hospital's "was not brought" and a school's
// unexplained absence within 28 days raise an escalation from health to children's services; the same agency
// twice, or two agencies 29 days apart, raise nothing; a third signal joins the open escalation.

const mk = agencyEventsOf(Demo.sourceSystems);
const NOW = '2026-03-02T12:00:00.000Z';
const HOSPITAL = 'Milton Keynes University Hospital';
const SCHOOLS = 'Milton Keynes Education Safeguarding';
const LA = "Milton Keynes Council Children's Services";

interface Child {
  readonly name: string;
  readonly nhsNumber: string;
  readonly upn: string;
  readonly laPersonId: string;
  caseId: string;
}

function child(n: number, name: string): Child {
  return {
    name,
    nhsNumber: nhsNumber(7_100 + n),
    upn: upn(7_100 + n),
    laPersonId: `LCS-E2E-DE-${n}`,
    caseId: '',
  };
}

const notBrought = (c: Child, id: string, at: string) =>
  mk.health.appointmentNotAttended({ id, nhsNumber: c.nhsNumber, at, wasNotBrought: true });
const absent = (c: Child, id: string, at: string) => mk.education.unexplainedAbsence({ id, upn: c.upn, at });

describe('disengagement signals from two agencies, end to end', () => {
  const clock = new ControllableClock(NOW);
  let demo: DemoPlatform;
  const twoAgencies = child(1, 'two agencies within 28 days');
  const oneAgency = child(2, 'one agency twice');
  const tooFarApart = child(3, 'two agencies 29 days apart');
  const signals = {
    twoAgencies: [
      notBrought(twoAgencies, 'e2e-de-1-wnb', '2026-02-10T09:00:00.000Z'),
      absent(twoAgencies, 'e2e-de-1-absence', '2026-02-20T08:30:00.000Z'),
    ],
    oneAgency: [
      notBrought(oneAgency, 'e2e-de-2-wnb-a', '2026-02-10T09:00:00.000Z'),
      notBrought(oneAgency, 'e2e-de-2-wnb-b', '2026-02-20T09:00:00.000Z'),
    ],
    tooFarApart: [
      notBrought(tooFarApart, 'e2e-de-3-wnb', '2026-01-30T09:00:00.000Z'),
      absent(tooFarApart, 'e2e-de-3-absence', '2026-02-28T09:00:00.000Z'),
    ],
  };
  const escalationsOf = (c: Child) => caseEscalations(demo.platform.gatewayUrl, c.caseId, mashOfficer);

  beforeAll(async () => {
    demo = await startDemoPlatform({ families: ['la-children', 'health', 'education'], clock });
    for (const c of [twoAgencies, oneAgency, tooFarApart]) {
      const subjectId = await registerChild(
        demo.platform.gatewayUrl,
        mashOfficer,
        Demo.partnershipId,
        `Disengagement child, ${c.name}`,
        [
          { system: 'nhs-number', value: c.nhsNumber },
          { system: 'upn', value: c.upn },
          { system: 'la-person-id', value: c.laPersonId },
        ],
      );
      const key = c === twoAgencies ? 'twoAgencies' : c === oneAgency ? 'oneAgency' : 'tooFarApart';
      await demo.publish(signals[key]);
      c.caseId = await caseOf(demo.platform.gatewayUrl, mashOfficer, subjectId);
    }
    await demo.settled();
  });

  afterAll(async () => {
    await demo?.stop();
  });

  it('raises one escalation from health to children’s services for signals from two agencies within 28 days', async () => {
    const [e, ...more] = await escalationsOf(twoAgencies);
    expect(more).toEqual([]);
    expect({ ...e!, evidence: byId(e!.evidence) }).toEqual({
      id: expect.any(String),
      ground: 'DISENGAGEMENT',
      stage: 1,
      status: 'AWAITING_ACKNOWLEDGEMENT',
      autoRaised: true,
      raisedAt: NOW,
      stageDeadline: '2026-03-09T12:00:00.000Z',
      // Health is the first of the policy's raising types (police, health, education) involved in the case;
      // children's services, not yet involved, receive it as the partnership's local authority.
      raisingAgency: { id: Demo.agencies.health, name: HOSPITAL },
      receivingAgency: { id: Demo.agencies.laChildren, name: LA },
      evidence: byId([
        {
          id: evidenceId(signals.twoAgencies[0]!),
          kind: 'appointment-not-attended',
          summary: 'Child was not brought to a paediatrics appointment',
          agency: { name: HOSPITAL },
        },
        {
          id: evidenceId(signals.twoAgencies[1]!),
          kind: 'unexplained-absence',
          summary: 'Unexplained absence from school from 2026-02-20 (2 sessions missed)',
          agency: { name: SCHOOLS },
        },
      ]),
      history: [
        {
          toStage: 1,
          toStatus: 'AWAITING_ACKNOWLEDGEMENT',
          actor: 'system',
          rationale:
            `Raised automatically: 2 signs of disengagement from 2 agencies within 28 days: ${HOSPITAL} (not ` +
            `brought to an appointment), ${SCHOOLS} (an unexplained absence).`,
        },
      ],
    });
  });

  it('raises nothing for two signals from one agency', async () => {
    expect(await escalationsOf(oneAgency)).toEqual([]);
  });

  it('raises nothing for signals from two agencies 29 days apart', async () => {
    expect(await escalationsOf(tooFarApart)).toEqual([]);
  });

  it('adds a third signal to the open escalation instead of raising a second', async () => {
    const [before] = await escalationsOf(twoAgencies);
    clock.set('2026-03-03T12:00:00.000Z');
    const visit = mk.laChildren.visitNoAccess({
      id: 'e2e-de-1-visit',
      laPersonId: twoAgencies.laPersonId,
      at: '2026-03-03T10:00:00.000Z',
    });
    await demo.publish([visit]);
    await demo.settled();

    const [after, ...more] = await escalationsOf(twoAgencies);
    expect(more).toEqual([]);
    expect(after!.id).toBe(before!.id);
    expect(after!.raisingAgency.id).toBe(Demo.agencies.health);
    expect(after!.receivingAgency.id).toBe(Demo.agencies.laChildren);
    expect(after!.history).toEqual(before!.history);
    expect(byId(after!.evidence)).toEqual(
      byId([
        ...before!.evidence,
        {
          id: evidenceId(visit),
          kind: 'visit',
          summary: 'Visit: no access (no answer)',
          agency: { name: LA },
        },
      ]),
    );
  });
});
