import { Demo } from '@mash/schema';
import {
  contactsOnDatabase,
  escalation,
  OTHER_CONTACT,
  seedOtherPartnershipContact,
  STAGE_OWNERS,
  tokens,
  type StageOwnersData,
} from '@test/support/fixtures/contacts';

// Integration: the real service over HTTP against a throwaway Postgres database with the real migrations.

describe('who may read the directory', () => {
  const h = contactsOnDatabase();

  beforeAll(() => seedOtherPartnershipContact(h.service.dataSource));

  it('forbids agency integrators the directory and stage routing', async () => {
    const direct = await h.graphql(
      `
        query ($id: ID!) {
          contacts(agencyId: $id) {
            name
            phone
          }
        }
      `,
      { id: Demo.agencies.police },
      tokens.integrator,
    );
    expect(direct.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(direct.data ?? null).toBeNull();

    const routed = await h.graphql(
      STAGE_OWNERS,
      { representations: [escalation(1, ['practitioner'])] },
      tokens.integrator,
    );
    expect(routed.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(JSON.stringify(routed.data ?? null)).not.toContain('Aisha');
  });

  it("shows a caller from another partnership none of this partnership's directory", async () => {
    const result = await h.graphql<{ contact: null; contacts: unknown[]; mine: { name: string } }>(
      `
        query ($id: ID!, $agencyId: ID!, $mine: ID!) {
          contact(id: $id) {
            name
          }
          contacts(agencyId: $agencyId) {
            name
          }
          mine: contact(id: $mine) {
            name
          }
        }
      `,
      { id: Demo.contacts.policePractitioner, agencyId: Demo.agencies.police, mine: OTHER_CONTACT },
      tokens.otherPartnership,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ contact: null, contacts: [], mine: { name: 'Olivia Elsewhere' } });

    const routed = await h.graphql<StageOwnersData>(
      STAGE_OWNERS,
      { representations: [escalation(4, ['partnership-chair'])] },
      tokens.otherPartnership,
    );
    expect(routed.errors).toBeUndefined();
    expect(routed.data?._entities[0]?.stageOwners).toEqual([]);
  });

  it('rejects a request without a token as UNAUTHENTICATED', async () => {
    const result = await h.graphql(`{ contact(id: "${Demo.contacts.mashOfficer}") { name } }`, {}, null);
    expect(result.status).toBe(401);
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(result.data ?? null).toBeNull();
  });
});
