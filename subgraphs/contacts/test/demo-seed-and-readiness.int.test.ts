import { Demo } from '@mash/schema';
import { seedContactsDemo } from '@mash/contacts';
import { contactsOnDatabase } from '@test/support/fixtures/contacts';

// Integration: the real service over HTTP against a throwaway Postgres database with the real migrations.

describe('the contacts subgraph with its demo data', () => {
  const h = contactsOnDatabase();

  it('answers ready while its database answers', async () => {
    const response = await fetch(new URL('/ready', h.service.url));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready', service: 'contacts' });
  });

  it('seeds the demo again without duplicating anyone', async () => {
    await seedContactsDemo(h.service.dataSource);
    const [row] = (await h.service.dataSource.query(
      `SELECT count(*)::int AS n FROM "contacts"."contact" WHERE "partnership_id" = $1`,
      [Demo.partnershipId],
    )) as { n: number }[];
    expect(row?.n).toBe(12);
  });
});
