import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { Demo, DemoLincolnshire } from '@mash/schema';
import { testToken } from '@test/support/auth';
import { auditor, chair, mashOfficer, policePractitioner } from '@test/support/demo-callers';
import { startDemoPlatform, type DemoPlatform } from '@test/support/demo-platform';
import { insertLearningSeed, PRIVATE_MARKER } from '@test/support/fixtures/learning';
import type { GraphQLResponse } from '@test/support/gateway-client';

// End to end: the partnership's learning through the real gateway, on the demo platform's database seeded with a
// set of escalations whose figures are known. The chair gets exact figures with agencies named by the agencies
// subgraph; a practitioner, an auditor, an integrator and another partnership's chair get exactly FORBIDDEN.

const A = Demo.agencies;
const L = DemoLincolnshire;
const police = { id: A.police, name: 'Thames Valley Police' };
const la = { id: A.laChildren, name: "Milton Keynes Council Children's Services" };
const health = { id: A.health, name: 'Milton Keynes University Hospital' };
const education = { id: A.education, name: 'Milton Keynes Education Safeguarding' };

const LEARNING = /* GraphQL */ `
  query Learning($p: ID!, $from: LocalDate!, $to: LocalDate!, $granularity: LearningGranularity) {
    escalationLearning(partnershipId: $p, from: $from, to: $to, granularity: $granularity) {
      partnership {
        id
        name
      }
      from
      to
      granularity
      total
      byRaisingAgency {
        agency {
          id
          name
        }
        count
      }
      byReceivingAgency {
        agency {
          id
          name
        }
        count
      }
      byAgencyPair {
        raisingAgency {
          id
          name
        }
        receivingAgency {
          id
          name
        }
        count
      }
      byGround {
        ground
        count
      }
      byHighestStage {
        stage
        count
      }
      byOutcome {
        outcome
        count
      }
      byStatus {
        status
        count
      }
      byOrigin {
        origin
        count
      }
      byImmediateRisk {
        immediateRisk
        count
      }
      timeToResolution {
        resolved
        medianHours
        p90Hours
        histogram {
          bucket
          fromHours
          toHours
          count
        }
      }
      series {
        start
        end
        raised
        open
        resolved
        redirected
        autoRaised
        immediateRisk
      }
    }
  }
`;
const TOTAL = `query ($p: ID!, $from: LocalDate!, $to: LocalDate!) {
  escalationLearning(partnershipId: $p, from: $from, to: $to) { total }
}`;

type Learning = { escalationLearning: Record<string, unknown> & { total: number } };

const lincolnshireChair = testToken({
  sub: L.contacts.partnershipChair,
  roles: ['partnership-chair'],
  partnership: L.partnershipId,
  agency: L.agencies.partnership,
});
const integrator = testToken({
  sub: 'integrator:tvp',
  roles: ['agency-integrator'],
  partnership: Demo.partnershipId,
  agency: A.police,
});

describe("the partnership's learning through the gateway", () => {
  let demo: DemoPlatform;
  let pg: Client;

  beforeAll(async () => {
    demo = await startDemoPlatform();
    pg = new Client({ connectionString: demo.db.url });
    await pg.connect();
    await insertLearningSeed(pg, {
      partnershipId: Demo.partnershipId,
      agencies: { police: A.police, la: A.laChildren, health: A.health, education: A.education },
      otherPartnershipId: L.partnershipId,
      otherAgencies: { police: L.agencies.police, la: L.agencies.laChildren },
    });
  }, 120_000);

  afterAll(async () => {
    await pg?.end();
    await demo?.stop();
  });

  async function post<T>(query: string, variables: Record<string, unknown>, token: string) {
    const requestId = randomUUID();
    const response = await fetch(demo.platform.gatewayUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        'x-request-id': requestId,
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as Omit<GraphQLResponse<T>, 'status'>;
    const { rows } = await pg.query<{
      record_type: string;
      record_id: string;
      outcome: string;
      ground: string;
    }>(
      `SELECT "record_type", "record_id", "outcome", "ground" FROM "audit"."entry" WHERE "request_id" = $1`,
      [requestId],
    );
    return { res: { status: response.status, ...body }, entries: rows };
  }

  const period = { p: Demo.partnershipId, from: '2026-03-01', to: '2026-04-30' };

  it("answers the partnership chair with the period's figures, agencies named", async () => {
    const { res, entries } = await post<Learning>(LEARNING, { ...period, granularity: 'MONTH' }, chair);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({
      escalationLearning: {
        partnership: { id: Demo.partnershipId, name: 'MK Together Safeguarding Partnership' },
        from: '2026-03-01',
        to: '2026-04-30',
        granularity: 'MONTH',
        total: 12,
        byRaisingAgency: [
          { agency: police, count: 5 },
          { agency: health, count: 3 },
          { agency: la, count: 2 },
          { agency: education, count: 2 },
        ],
        byReceivingAgency: [
          { agency: la, count: 9 },
          { agency: police, count: 2 },
          { agency: health, count: 1 },
        ],
        byAgencyPair: [
          { raisingAgency: police, receivingAgency: la, count: 5 },
          { raisingAgency: health, receivingAgency: la, count: 2 },
          { raisingAgency: education, receivingAgency: la, count: 2 },
          { raisingAgency: la, receivingAgency: police, count: 1 },
          { raisingAgency: la, receivingAgency: health, count: 1 },
          { raisingAgency: health, receivingAgency: police, count: 1 },
        ],
        byGround: [
          { ground: 'THRESHOLD_DISAGREEMENT', count: 4 },
          { ground: 'STALLED_PLAN', count: 1 },
          { ground: 'DISENGAGEMENT', count: 3 },
          { ground: 'INCREASING_RISK', count: 1 },
          { ground: 'PROCEDURES_NOT_FOLLOWED', count: 1 },
          { ground: 'REFERRAL_NOT_PROGRESSED', count: 0 },
          { ground: 'INFORMATION_NOT_SHARED', count: 1 },
          { ground: 'QUALITY_OF_WORK', count: 1 },
          { ground: 'ACTIONS_NOT_COMPLETED', count: 0 },
        ],
        byHighestStage: [
          { stage: 1, count: 7 },
          { stage: 2, count: 3 },
          { stage: 3, count: 1 },
          { stage: 4, count: 1 },
        ],
        byOutcome: [
          { outcome: 'AGREED_ACTION_PLAN', count: 2 },
          { outcome: 'DECISION_UPHELD', count: 1 },
          { outcome: 'DECISION_CHANGED', count: 1 },
          { outcome: 'WITHDRAWN', count: 1 },
          { outcome: 'OTHER', count: 2 },
        ],
        byStatus: [
          { status: 'OPEN', count: 4 },
          { status: 'RESOLVED', count: 7 },
          { status: 'REDIRECTED', count: 1 },
        ],
        byOrigin: [
          { origin: 'AUTO_RAISED', count: 8 },
          { origin: 'MANUAL', count: 4 },
        ],
        byImmediateRisk: [
          { immediateRisk: true, count: 1 },
          { immediateRisk: false, count: 11 },
        ],
        timeToResolution: {
          resolved: 7,
          medianHours: 100,
          p90Hours: 560,
          histogram: [
            { bucket: 'UNDER_1_DAY', fromHours: 0, toHours: 24, count: 1 },
            { bucket: 'DAYS_1_TO_3', fromHours: 24, toHours: 72, count: 2 },
            { bucket: 'DAYS_3_TO_7', fromHours: 72, toHours: 168, count: 1 },
            { bucket: 'DAYS_7_TO_14', fromHours: 168, toHours: 336, count: 1 },
            { bucket: 'DAYS_14_TO_28', fromHours: 336, toHours: 672, count: 1 },
            { bucket: 'OVER_28_DAYS', fromHours: 672, toHours: null, count: 1 },
          ],
        },
        series: [
          { start: '2026-03-01', end: '2026-03-31', raised: 7, open: 1, resolved: 6, redirected: 0, autoRaised: 6, immediateRisk: 1 },
          { start: '2026-04-01', end: '2026-04-30', raised: 5, open: 3, resolved: 1, redirected: 1, autoRaised: 2, immediateRisk: 0 },
        ], // prettier-ignore
      },
    });
    expect(JSON.stringify(res.data)).not.toContain(PRIVATE_MARKER);
    expect(entries).toEqual([]); // figures, not personal data: no audit entry
  });

  it('answers its MASH officer too, weekly by default for two months', async () => {
    const { res } = await post<{
      escalationLearning: { total: number; granularity: string; series: unknown[] };
    }>(
      `query ($p: ID!, $from: LocalDate!, $to: LocalDate!) {
        escalationLearning(partnershipId: $p, from: $from, to: $to) { total granularity series { start } }
      }`,
      period,
      mashOfficer,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.escalationLearning).toMatchObject({ total: 12, granularity: 'WEEK' });
    expect(res.data?.escalationLearning.series).toHaveLength(10);
  });

  it("answers Lincolnshire's chair with Lincolnshire's figures only", async () => {
    const { res } = await post<Learning>(TOTAL, { ...period, p: L.partnershipId }, lincolnshireChair);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ escalationLearning: { total: 2 } });
  });

  it.each([
    ['a practitioner', policePractitioner, 'refused:not-partnership-oversight', Demo.partnershipId],
    [
      "another partnership's chair",
      lincolnshireChair,
      'refused:not-partnership-oversight',
      Demo.partnershipId,
    ],
    ['an auditor', auditor, 'refused:no-personal-data-role', Demo.partnershipId],
    ['an agency integrator', integrator, 'refused:no-personal-data-role', Demo.partnershipId],
    [
      "the chair, for another partnership's figures",
      chair,
      'refused:not-partnership-oversight',
      L.partnershipId,
    ],
  ])('refuses %s with FORBIDDEN, recorded in the audit trail', async (_who, token, ground, p) => {
    const { res, entries } = await post<Learning>(LEARNING, { ...period, p }, token);
    expect(res.status).toBe(200);
    expect(res.data).toBeNull();
    expect(res.errors).toEqual([
      expect.objectContaining({
        path: ['escalationLearning'],
        extensions: expect.objectContaining({ code: 'FORBIDDEN' }),
      }),
    ]);
    expect(res.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect(entries).toEqual([
      { record_type: 'EscalationLearning', record_id: p, outcome: 'refused', ground },
    ]);
  });

  it.each([
    ['to before from', { from: '2026-04-30', to: '2026-03-01' }, 'to'],
    ['more than five years', { from: '2020-01-01', to: '2026-01-01' }, 'to'],
  ])('refuses a period with %s as BAD_USER_INPUT on its field', async (_what, dates, field) => {
    const { res } = await post<Learning>(TOTAL, { ...period, ...dates }, chair);
    expect(res.data).toBeNull();
    expect(res.errors?.map((e) => e.extensions)).toEqual([
      expect.objectContaining({ code: 'BAD_USER_INPUT', field }),
    ]);
  });
});
