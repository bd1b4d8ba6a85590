import { mashOfficer, policePractitioner, statusChange } from '@test/support/fixtures/cases';
import { casesOnBroker } from '@test/support/fixtures/cases-harness';
import { gql, eventually } from '@test/support/gateway-client';
import { Demo, type SubjectIdentifier } from '@mash/schema';

// Integration: the real cases service on a real Kafka broker and a throwaway Postgres database with the real
// migrations and the demo data.

describe('a status change that matches no subject waits until a MASH officer links it', () => {
  const h = casesOnBroker();

  it('keeps a change for an unknown identifier until a MASH officer links it, then applies it and its siblings', async () => {
    const upn: SubjectIdentifier = { system: 'upn', value: 'H801200001001' };
    const education = {
      agencyId: Demo.agencies.education,
      family: 'education' as const,
      source: `urn:mash:source:${Demo.sourceSystems.education.code}`,
      sourceSystemId: Demo.sourceSystems.education.id,
      type: 'uk.mash.education.dsl-referral.v1',
      kind: 'threshold-judgement' as const,
      summary: 'DSL referral: concerns about attendance and presentation',
    };
    const first = statusChange(
      upn,
      { reference: 'CPOMS-1' },
      { ...education, occurredAt: '2026-11-01T09:00:00.000Z' },
    );
    const second = statusChange(
      upn,
      { threshold: 'early-help' },
      { ...education, occurredAt: '2026-11-08T09:00:00.000Z' },
    );
    await h.publish(first, second);

    const pending = await eventually(
      async () => {
        const res = await gql<{ unmatchedStatusChanges: { nodes: Record<string, unknown>[] } }>(
          h.cases.url,
          `query ($p: ID!) { unmatchedStatusChanges(partnershipId: $p) { nodes {
             id agency { id } identifierSystem identifierValue eventType summary receivedAt } } }`,
          { p: Demo.partnershipId },
          mashOfficer,
        );
        const rows = res.data?.unmatchedStatusChanges.nodes ?? [];
        return rows.length === 2 ? rows : undefined;
      },
      { what: 'two unmatched status changes' },
    );
    expect(pending).toContainEqual({
      id: first.id,
      agency: { id: Demo.agencies.education },
      identifierSystem: 'upn',
      identifierValue: upn.value,
      eventType: education.type,
      summary: education.summary,
      receivedAt: first.receivedAt,
    });
    expect(h.eventsFor(first.id)).toHaveLength(0);

    const refused = await gql(
      h.cases.url,
      `mutation ($sc: ID!, $s: ID!) { linkStatusChange(statusChangeId: $sc, subjectId: $s) { id } }`,
      { sc: first.id, s: Demo.subject.id },
      policePractitioner,
    );
    expect(refused.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');

    const linked = await gql<{
      linkStatusChange: { id: string; subject: { identifiers: SubjectIdentifier[] } };
    }>(
      h.cases.url,
      `mutation ($sc: ID!, $s: ID!) { linkStatusChange(statusChangeId: $sc, subjectId: $s) {
         id subject { identifiers { system value } } } }`,
      { sc: first.id, s: Demo.subject.id },
      mashOfficer,
    );
    expect(linked.errors).toBeUndefined();
    expect(linked.data?.linkStatusChange.id).toBe(Demo.subject.caseId);
    expect(linked.data?.linkStatusChange.subject.identifiers).toContainEqual(upn);

    const [firstEvent, secondEvent] = await Promise.all([
      h.caseEventFor(first.id),
      h.caseEventFor(second.id),
    ]);
    expect(firstEvent.case.id).toBe(Demo.subject.caseId);
    expect(secondEvent.case.positions).toContainEqual(
      expect.objectContaining({
        agencyId: Demo.agencies.education,
        threshold: 'early-help',
        thresholdStatusChangeId: second.id,
      }),
    );
    expect(await h.timelineIds(Demo.subject.caseId)).toEqual(expect.arrayContaining([first.id, second.id]));

    const after = await gql<{ unmatchedStatusChanges: { nodes: unknown[] } }>(
      h.cases.url,
      `query ($p: ID!) { unmatchedStatusChanges(partnershipId: $p) { nodes { id } } }`,
      { p: Demo.partnershipId },
      mashOfficer,
    );
    expect(after.data?.unmatchedStatusChanges.nodes).toEqual([]);

    // The identifier is known now: the next change for it is matched as it arrives.
    const third = statusChange(upn, { reference: 'CPOMS-2' }, education);
    await h.publish(third);
    expect((await h.caseEventFor(third.id)).case.id).toBe(Demo.subject.caseId);
  });

  it('links waiting changes to a newly registered subject and opens its case', async () => {
    const nhs: SubjectIdentifier = { system: 'nhs-number', value: '9434765870' };
    const change = statusChange(
      nhs,
      { referralOutcome: 'child-in-need' },
      {
        agencyId: Demo.agencies.health,
        family: 'health',
        type: 'uk.mash.health.safeguarding-referral.v1',
        kind: 'referral-outcome',
        summary: 'Safeguarding referral made',
      },
    );
    await h.publish(change);
    await eventually(
      async () => {
        const rows = (await h.cases.dataSource.query(
          `SELECT 1 FROM "cases"."unmatched_status_change" WHERE "id" = $1`,
          [change.id],
        )) as unknown[];
        return rows.length === 1 ? true : undefined;
      },
      { what: 'the unmatched row' },
    );

    const res = await gql<{
      registerSubject: { id: string; displayName: string; cases: { id: string; positions: unknown[] }[] };
    }>(
      h.cases.url,
      `mutation ($input: RegisterSubjectInput!) { registerSubject(input: $input) {
         id displayName cases { id positions { agency { id } threshold referralOutcome } } } }`,
      {
        input: {
          partnershipId: Demo.partnershipId,
          displayName: 'Child C',
          dateOfBirth: '2020-05-01T00:00:00.000Z',
          identifiers: [nhs],
        },
      },
      mashOfficer,
    );
    expect(res.errors).toBeUndefined();
    const subject = res.data?.registerSubject;
    expect(subject?.displayName).toBe('Child C');
    expect(subject?.cases).toHaveLength(1);
    expect(subject?.cases[0]?.positions).toEqual([
      { agency: { id: Demo.agencies.health }, threshold: 'CHILD_IN_NEED', referralOutcome: 'CHILD_IN_NEED' },
    ]);
    const event = await h.caseEventFor(change.id);
    expect(event.case.subjectId).toBe(subject?.id);

    const duplicate = await gql(
      h.cases.url,
      `mutation ($input: RegisterSubjectInput!) { registerSubject(input: $input) { id } }`,
      { input: { partnershipId: Demo.partnershipId, displayName: 'Child D', identifiers: [nhs] } },
      mashOfficer,
    );
    expect(duplicate.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  });
});
