import { seedAgenciesDemo } from '@mash/agencies';
import { agenciesOnDatabase } from '@test/support/fixtures/agencies';

// Integration: the real service over HTTP against a throwaway Postgres database with the real migrations.

describe('the agencies subgraph with its demo data', () => {
  const h = agenciesOnDatabase();

  it('answers ready while its database answers', async () => {
    const response = await fetch(new URL('/ready', h.service.url));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready', service: 'agencies' });
  });

  it('seeds the demo again without duplicating anything', async () => {
    await seedAgenciesDemo(h.service.dataSource);
    const [counts] = (await h.service.dataSource.query(
      `SELECT (SELECT count(*) FROM "agencies"."partnership")::int AS partnerships,
              (SELECT count(*) FROM "agencies"."agency")::int AS agencies,
              (SELECT count(*) FROM "agencies"."source_system")::int AS "sourceSystems"`,
    )) as { partnerships: number; agencies: number; sourceSystems: number }[];
    expect(counts).toEqual({ partnerships: 2, agencies: 11, sourceSystems: 9 });
  });
});
