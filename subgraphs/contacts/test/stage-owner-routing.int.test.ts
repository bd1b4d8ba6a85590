import { Demo } from '@mash/schema';
import {
  contactsOnDatabase,
  escalation,
  STAGE_OWNERS,
  tokens,
  type StageOwnersData,
} from '@test/support/fixtures/contacts';

// Integration: the real service over HTTP against a throwaway Postgres database with the real migrations.

describe('routing an escalation stage to its owners', () => {
  const h = contactsOnDatabase();

  it('routes stage 1 to the practitioners of both agencies, the one on duty cover first', async () => {
    const result = await h.graphql<StageOwnersData>(STAGE_OWNERS, {
      representations: [escalation(1, ['practitioner'])],
    });
    expect(result.errors).toBeUndefined();
    const owners = result.data?._entities[0]?.stageOwners ?? [];
    expect(owners.map((o) => o.id)).toEqual([
      Demo.contacts.laChildrenDutySocialWorker,
      Demo.contacts.policePractitioner,
      Demo.contacts.laChildrenPractitioner,
    ]);
    expect(owners[0]).toMatchObject({
      name: 'Hannah Lewis',
      onDutyCover: true,
      agency: { id: Demo.agencies.laChildren },
    });
  });

  it('routes stage 2 to line managers and DSLs, and stage 4 to the partnership chair, in one batch', async () => {
    const result = await h.graphql<StageOwnersData>(
      STAGE_OWNERS,
      {
        representations: [
          escalation(2, ['line-manager', 'designated-safeguarding-lead']),
          escalation(4, ['partnership-chair']),
        ],
      },
      tokens.mashOfficer,
    );
    expect(result.errors).toBeUndefined();
    const [stage2, stage4] = result.data?._entities ?? [];
    expect(stage2?.stageOwners.map((o) => o.name).sort()).toEqual([
      'Claire Donovan',
      'Rachel Meyer',
      'Tom Hargreaves',
    ]);
    expect(stage4?.stageOwners).toEqual([
      {
        id: Demo.contacts.partnershipChair,
        name: 'Elaine Carter',
        role: 'partnership-chair',
        onDutyCover: false,
        agency: { id: Demo.agencies.partnership },
      },
    ]);
  });

  it('rejects an Escalation representation without the fields stageOwners requires', async () => {
    const result = await h.graphql(STAGE_OWNERS, {
      representations: [{ __typename: 'Escalation', id: 'escalation-without-fields' }],
    });
    expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });
});
