import { Demo, DemoLincolnshire } from '@mash/schema';
import { seedContactsDemo } from '@mash/contacts';
import { contactsOnDatabase, STAGE_OWNERS, type StageOwnersData } from '@test/support/fixtures/contacts';

// Integration: the real service over HTTP against a throwaway Postgres database with the real migrations.

describe('the contacts subgraph with its demo data', () => {
  const h = contactsOnDatabase();

  it('answers ready while its database answers', async () => {
    const response = await fetch(new URL('/ready', h.service.url));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready', service: 'contacts' });
  });

  it('seeds both demo directories again without duplicating anyone', async () => {
    await seedContactsDemo(h.service.dataSource);
    const rows = (await h.service.dataSource.query(
      `SELECT "partnership_id" AS "partnershipId", count(*)::int AS n FROM "contacts"."contact"
        WHERE "partnership_id" = ANY($1) GROUP BY "partnership_id" ORDER BY n`,
      [[Demo.partnershipId, DemoLincolnshire.partnershipId]],
    )) as { partnershipId: string; n: number }[];
    expect(rows).toEqual([
      { partnershipId: Demo.partnershipId, n: 12 },
      { partnershipId: DemoLincolnshire.partnershipId, n: 15 },
    ]);
  });

  it('routes every stage of a Lincolnshire escalation between health and education to someone', async () => {
    const L = DemoLincolnshire;
    const stage = (n: number, stageOwnerRoles: string[]) => ({
      __typename: 'Escalation',
      id: `lincolnshire-stage-${n}`,
      stage: n,
      stageOwnerRoles,
      raisingAgency: { id: L.agencies.health },
      receivingAgency: { id: L.agencies.education },
      partnership: { id: L.partnershipId },
    });
    const result = await h.graphql<StageOwnersData>(STAGE_OWNERS, {
      representations: [
        stage(1, ['practitioner']),
        stage(2, ['line-manager', 'designated-safeguarding-lead']),
        stage(3, ['head-of-service']),
        stage(4, ['partnership-chair']),
      ],
    });
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities.map((e) => e.stageOwners.map((o) => [o.id, o.agency.id]).sort())).toEqual([
      [
        [L.contacts.educationPractitioner, L.agencies.education],
        [L.contacts.healthPractitioner, L.agencies.health],
      ].sort(),
      [
        [L.contacts.educationDsl, L.agencies.education],
        [L.contacts.healthDsl, L.agencies.health],
      ].sort(),
      [
        [L.contacts.educationHeadOfService, L.agencies.education],
        [L.contacts.healthHeadOfService, L.agencies.health],
      ].sort(),
      [[L.contacts.partnershipChair, L.agencies.partnership]],
    ]);
  });
});
