import { Demo, DemoLincolnshire, escalationPolicySchema } from '@mash/schema';
import { AgencyDirectoryClient, type ServiceTokenSource } from '@mash/service-kit';
import { demoLincolnshirePolicy, demoPolicy } from '@mash/agencies';
import { agenciesOnDatabase, serviceToken } from '@test/support/fixtures/agencies';

// Integration: the real service over HTTP against a throwaway Postgres database with the real migrations.

const fixedToken = (token: string): ServiceTokenSource => ({
  token: async () => token,
  renew: async () => token,
});

const POLICY_VIEW = `
  query ($id: ID!) {
    partnership(id: $id) {
      name
      policyDocument
      escalationPolicy {
        stages {
          stage
          timescale { amount unit basis source }
          anchor { stage event }
          feedbackAfterMeeting { amount unit basis }
        }
        triggers {
          __typename
          ... on ThresholdDisagreementView { ground enabled minimumSteps gracePeriod { amount unit basis } }
          ... on StalledPlanView {
            ground
            enabled
            initialConferenceWithin { amount unit basis }
            firstCoreGroupWithin { amount unit basis }
            firstReviewWithin { amount unit basis }
            reviewEvery { amount unit basis }
            defaultVisitFrequencyDays
            parties { raising receiving }
          }
          ... on DisengagementView {
            ground
            window { amount unit basis }
            minimumSignals
            minimumAgencies
            attendanceBelowPercent
            parties { raising receiving }
          }
          ... on IncreasingRiskView {
            ground
            dashHighScore
            maracReferral
            protectionNoticeRatings
            localAuthorityBelow
            parties { raising receiving }
          }
        }
        thresholdDisagreement { minimumSteps }
      }
    }
  }
`;

interface PolicyViewData {
  partnership: {
    name: string;
    policyDocument: unknown;
    escalationPolicy: {
      stages: {
        stage: number;
        timescale: { amount: number; unit: string; basis: string | null; source: string | null } | null;
        anchor: { stage: number; event: string } | null;
        feedbackAfterMeeting: { amount: number; unit: string; basis: string | null } | null;
      }[];
      triggers: Record<string, unknown>[];
      thresholdDisagreement: { minimumSteps: number } | null;
    };
  };
}

describe('both demo partnerships, each with its own valid policy', () => {
  const h = agenciesOnDatabase();
  const view = (id: string) => h.graphql<PolicyViewData>(POLICY_VIEW, { id });

  it('seeds MK Together and Lincolnshire with policies the shared schema accepts', async () => {
    const result = await h.graphql<{ partnerships: { id: string; name: string; policyDocument: unknown }[] }>(
      '{ partnerships { id name policyDocument } }',
    );
    expect(result.errors).toBeUndefined();
    const partnerships = result.data?.partnerships ?? [];
    expect(partnerships.map((p) => [p.id, p.name])).toEqual([
      [DemoLincolnshire.partnershipId, 'Lincolnshire Safeguarding Children Partnership'],
      [Demo.partnershipId, 'MK Together Safeguarding Partnership'],
    ]);
    for (const p of partnerships) {
      expect(escalationPolicySchema.safeParse(p.policyDocument).success).toBe(true);
    }
    expect(partnerships[0]?.policyDocument).toEqual(demoLincolnshirePolicy());
    expect(partnerships[1]?.policyDocument).toEqual(demoPolicy());
  });

  it("serves each partnership's own policy and source systems to the services", async () => {
    const client = new AgencyDirectoryClient(h.service.url, fixedToken(serviceToken));
    const [mk, lincs] = await Promise.all([
      client.policy(Demo.partnershipId),
      client.policy(DemoLincolnshire.partnershipId),
    ]);
    expect(mk.stages.map((s) => s.timescale && [s.timescale.amount, s.timescale.unit])).toEqual([
      [7, 'calendar-days'],
      [5, 'working-days'],
      [10, 'calendar-days'],
      null,
    ]);
    expect(lincs.stages.map((s) => s.timescale && [s.timescale.amount, s.timescale.unit])).toEqual([
      [2, 'working-days'],
      [5, 'working-days'],
      [48, 'hours'],
      null,
    ]);
    const L = DemoLincolnshire;
    const systems = await Promise.all(Object.values(L.sourceSystems).map((s) => client.sourceSystem(s.code)));
    expect(systems).toEqual([
      {
        id: L.sourceSystems.police.id,
        code: 'lincs-niche',
        family: 'police',
        agencyId: L.agencies.police,
        partnershipId: L.partnershipId,
      },
      {
        id: L.sourceSystems.laChildren.id,
        code: 'lincs-mosaic',
        family: 'la-children',
        agencyId: L.agencies.laChildren,
        partnershipId: L.partnershipId,
      },
      {
        id: L.sourceSystems.health.id,
        code: 'lchs-systmone',
        family: 'health',
        agencyId: L.agencies.health,
        partnershipId: L.partnershipId,
      },
      {
        id: L.sourceSystems.education.id,
        code: 'lincs-myconcern',
        family: 'education',
        agencyId: L.agencies.education,
        partnershipId: L.partnershipId,
      },
    ]);
  });

  it("shows MK Together's anchored stage 3, its feedback and where each figure comes from", async () => {
    const result = await view(Demo.partnershipId);
    expect(result.errors).toBeUndefined();
    const stages = result.data?.partnership.escalationPolicy.stages ?? [];
    expect(
      stages.map((s) => [s.stage, s.timescale?.basis ?? null, s.anchor, s.feedbackAfterMeeting]),
    ).toEqual([
      [1, 'policy-text', null, null],
      [2, 'local-default', null, null],
      [
        3,
        'policy-text',
        { stage: 1, event: 'first-meeting' },
        { amount: 48, unit: 'hours', basis: 'policy-text' },
      ],
      [4, null, null, null],
    ]);
    expect(stages[0]?.timescale?.source).toBe(
      'MK Together Safeguarding Partnership, Escalation Process (seed 004): "Arrange a meeting with relevant ' +
        'professionals, within 7 days of the challenge being raised"',
    );
  });

  it('shows every trigger by ground, with its figures and parties', async () => {
    const result = await view(Demo.partnershipId);
    expect(result.errors).toBeUndefined();
    const policy = result.data?.partnership.escalationPolicy;
    expect(policy?.thresholdDisagreement).toEqual({ minimumSteps: 2 });
    expect(policy?.triggers).toEqual([
      {
        __typename: 'ThresholdDisagreementView',
        ground: 'threshold-disagreement',
        enabled: true,
        minimumSteps: 2,
        gracePeriod: { amount: 1, unit: 'working-days', basis: 'local-default' },
      },
      {
        __typename: 'StalledPlanView',
        ground: 'stalled-plan',
        enabled: true,
        initialConferenceWithin: { amount: 15, unit: 'working-days', basis: 'statutory' },
        firstCoreGroupWithin: { amount: 10, unit: 'working-days', basis: 'statutory' },
        firstReviewWithin: { amount: 3, unit: 'calendar-months', basis: 'statutory' },
        reviewEvery: { amount: 6, unit: 'calendar-months', basis: 'statutory' },
        defaultVisitFrequencyDays: null,
        parties: { raising: ['POLICE', 'HEALTH', 'EDUCATION'], receiving: 'LA_CHILDREN' },
      },
      {
        __typename: 'DisengagementView',
        ground: 'disengagement',
        window: { amount: 28, unit: 'calendar-days', basis: 'local-default' },
        minimumSignals: 2,
        minimumAgencies: 2,
        attendanceBelowPercent: 90,
        parties: { raising: ['POLICE', 'HEALTH', 'EDUCATION'], receiving: 'LA_CHILDREN' },
      },
      {
        __typename: 'IncreasingRiskView',
        ground: 'increasing-risk',
        dashHighScore: 14,
        maracReferral: true,
        protectionNoticeRatings: ['red'],
        localAuthorityBelow: 'child-protection',
        parties: { raising: ['POLICE'], receiving: 'LA_CHILDREN' },
      },
    ]);
  });

  it("shows Lincolnshire's own timescales, all from its policy text", async () => {
    const result = await view(DemoLincolnshire.partnershipId);
    expect(result.errors).toBeUndefined();
    expect(
      result.data?.partnership.escalationPolicy.stages.map(
        (s) => s.timescale && [s.timescale.amount, s.timescale.unit, s.timescale.basis],
      ),
    ).toEqual([
      [2, 'working-days', 'policy-text'],
      [5, 'working-days', 'policy-text'],
      [48, 'hours', 'policy-text'],
      null,
    ]);
    expect(result.data?.partnership.escalationPolicy.triggers.map((t) => t['__typename'])).toEqual([
      'ThresholdDisagreementView',
      'StalledPlanView',
      'DisengagementView',
      'IncreasingRiskView',
    ]);
  });
});
