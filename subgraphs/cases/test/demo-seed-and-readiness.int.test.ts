import { mashOfficer } from '@test/support/fixtures/cases';
import { casesOnBroker } from '@test/support/fixtures/cases-harness';
import { gql } from '@test/support/gateway-client';
import { seedCasesDemo } from '../src/index';
import { Demo } from '@mash/schema';

// Integration: the real cases service on a real Kafka broker and a throwaway Postgres database with the real
// migrations and the demo data.

describe('the demo data seeds idempotently and the service answers readiness', () => {
  const h = casesOnBroker();

  it('seeds the demo idempotently and answers /ready', async () => {
    await seedCasesDemo(h.cases.dataSource);
    const [row] = (await h.cases.dataSource.query(
      `SELECT count(*)::int AS "count" FROM "cases"."subject"`,
    )) as {
      count: number;
    }[];
    expect(row?.count).toBe(5); // Children A to E
    const ready = await fetch(h.cases.url.replace(/\/graphql$/, '/ready'));
    expect(ready.status).toBe(200);

    const res = await gql<{ subject: { displayName: string; cases: { plans: unknown[] }[] } }>(
      h.cases.url,
      `query ($id: ID!) { subject(id: $id) { displayName cases { plans { kind actions { dueDate doneAt ownerAgency { id } } } } } }`,
      { id: Demo.subjectB.id },
      mashOfficer,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.subject).toMatchObject({
      displayName: 'Child B',
      cases: [
        {
          plans: [
            {
              kind: 'CHILD_PROTECTION',
              actions: [{ doneAt: null, ownerAgency: { id: Demo.agencies.laChildren } }],
            },
          ],
        },
      ],
    });
  });
});
