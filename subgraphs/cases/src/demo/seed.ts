import { Demo } from '@mash/schema';
import type { DataSource } from 'typeorm';
import { SCHEMA } from '../entities/schema-name';

const DAY = 24 * 60 * 60 * 1000;

/**
 * Demo data with the shared Demo ids (idempotent: existing rows are left as they are). Child A has an open case
 * with the local authority children's service involved; Child B is on a child-protection plan with one action
 * past its due date; Children C, D and E are registered with an open case and no agency involved yet (their
 * agencies' events, the demo stories of `npm start`, involve them). Dates are relative to the first seeding.
 */
export async function seedCasesDemo(dataSource: DataSource): Promise<void> {
  const now = Date.now();
  const daysAgo = (days: number): string => new Date(now - days * DAY).toISOString();
  const { partnershipId, agencies, subject: a, subjectB: b, subjectC: c, subjectD: d, subjectE: e } = Demo;
  await dataSource.transaction(async (m) => {
    const subject = (id: string, displayName: string, dateOfBirth: string) =>
      m.query(
        `INSERT INTO "${SCHEMA}"."subject" ("id", "partnership_id", "display_name", "date_of_birth")
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
        [id, partnershipId, displayName, dateOfBirth],
      );
    const identifier = (subjectId: string, system: string, value: string) =>
      m.query(
        `INSERT INTO "${SCHEMA}"."subject_identifier" ("partnership_id", "system", "value", "subject_id")
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
        [partnershipId, system, value, subjectId],
      );
    const openCase = (id: string, subjectId: string, openedAt: string) =>
      m.query(
        `INSERT INTO "${SCHEMA}"."case" ("id", "subject_id", "partnership_id", "status", "opened_at")
         VALUES ($1, $2, $3, 'open', $4) ON CONFLICT DO NOTHING`,
        [id, subjectId, partnershipId, openedAt],
      );
    const involve = (caseId: string, agencyId: string, localReference: string, since: string) =>
      m.query(
        `INSERT INTO "${SCHEMA}"."involvement" ("case_id", "agency_id", "local_reference", "open", "since", "open_as_of")
         VALUES ($1, $2, $3, true, $4, $4) ON CONFLICT DO NOTHING`,
        [caseId, agencyId, localReference, since],
      );

    await subject(a.id, 'Child A', '2015-06-14');
    await identifier(a.id, 'la-person-id', a.laPersonId);
    await identifier(a.id, 'police-person-id', a.policePersonId);
    await identifier(a.id, 'nhs-number', a.nhsNumber);
    await openCase(a.caseId, a.id, daysAgo(30));
    await involve(a.caseId, agencies.laChildren, 'MK-LCS-C-20931', daysAgo(30));

    await subject(b.id, 'Child B', '2019-02-03');
    await identifier(b.id, 'la-person-id', b.laPersonId);
    await openCase(b.caseId, b.id, daysAgo(120));
    await involve(b.caseId, agencies.laChildren, 'MK-LCS-C-18877', daysAgo(120));
    await m.query(
      `INSERT INTO "${SCHEMA}"."plan" ("id", "case_id", "kind", "started_at", "review_due")
       VALUES ($1, $2, 'child-protection', $3, $4) ON CONFLICT DO NOTHING`,
      [b.planId, b.caseId, daysAgo(60), daysAgo(-30)],
    );
    await m.query(
      `INSERT INTO "${SCHEMA}"."plan_action" ("id", "plan_id", "description", "owner_agency_id", "due_date")
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      [
        b.overdueActionId,
        b.planId,
        'Complete the home conditions assessment',
        agencies.laChildren,
        daysAgo(10),
      ],
    );

    await subject(c.id, 'Child C', '2017-09-22');
    await identifier(c.id, 'la-person-id', c.laPersonId);
    await identifier(c.id, 'police-person-id', c.policePersonId);
    await openCase(c.caseId, c.id, daysAgo(60));

    await subject(d.id, 'Child D', '2013-04-09');
    await identifier(d.id, 'nhs-number', d.nhsNumber);
    await identifier(d.id, 'upn', d.upn);
    await openCase(d.caseId, d.id, daysAgo(60));

    await subject(e.id, 'Child E', '2020-11-30');
    await identifier(e.id, 'police-person-id', e.policePersonId);
    await openCase(e.caseId, e.id, daysAgo(60));
  });
}
