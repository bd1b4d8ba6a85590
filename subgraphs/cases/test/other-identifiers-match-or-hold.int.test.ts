import { agencyChange, freshIdentifiers, mashOfficer } from '@test/support/fixtures/cases';
import { casesOnBroker, registerSubject } from '@test/support/fixtures/cases-harness';
import { eventually, gql } from '@test/support/gateway-client';
import { Demo, type StatusChangeMessage, type SubjectIdentifier } from '@mash/schema';

// Integration: the real cases service on a real Kafka broker and a throwaway Postgres database with the real
// migrations. An LA record usually holds the child's NHS number too: the change carries it as another identifier.

const when = '2026-02-02T10:00:00.000Z';

describe("a status change's other identifiers match its subject, or hold it when they point to two", () => {
  const h = casesOnBroker();

  const identifiersOf = async (subjectId: string): Promise<SubjectIdentifier[]> => {
    const res = await gql<{ subject: { identifiers: SubjectIdentifier[] } }>(
      h.cases.url,
      `query ($id: ID!) { subject(id: $id) { identifiers { system value } } }`,
      { id: subjectId },
      mashOfficer,
    );
    expect(res.errors).toBeUndefined();
    return res.data!.subject.identifiers;
  };

  interface HeldRow {
    id: string;
    reasonCode: string;
    identifierSystem: string;
    identifierValue: string;
    otherIdentifiers: SubjectIdentifier[];
    kind: string;
  }
  const held = async (): Promise<HeldRow[]> => {
    const res = await gql<{ unmatchedStatusChanges: { nodes: HeldRow[] } }>(
      h.cases.url,
      `query ($p: ID!) { unmatchedStatusChanges(partnershipId: $p, first: 100) { nodes {
         id reasonCode identifierSystem identifierValue otherIdentifiers { system value } kind } } }`,
      { p: Demo.partnershipId },
      mashOfficer,
    );
    expect(res.errors).toBeUndefined();
    return res.data!.unmatchedStatusChanges.nodes;
  };
  const heldRow = (change: StatusChangeMessage) =>
    eventually(async () => (await held()).find((r) => r.id === change.id), { what: `held ${change.id}` });

  const link = (statusChangeId: string, subjectId: string) =>
    gql<{ linkStatusChange: { id: string } }>(
      h.cases.url,
      `mutation ($sc: ID!, $s: ID!) { linkStatusChange(statusChangeId: $sc, subjectId: $s) { id } }`,
      { sc: statusChangeId, s: subjectId },
      mashOfficer,
    );

  it('applies a change whose own identifier is unknown to the subject another identifier names, and records its own', async () => {
    const ids = freshIdentifiers();
    const subjectId = await registerSubject(h.cases.url, 'Child J', [ids.nhsNumber]);
    const change = agencyChange(
      'laChildren',
      ids.laPersonId,
      'strategy-discussion',
      { s47Started: true },
      when,
      {
        otherIdentifiers: [ids.nhsNumber, ids.upn],
      },
    );
    await h.publish(change);

    const event = await h.caseEventFor(change.id);
    expect(event.case.subjectId).toBe(subjectId);
    expect(event.case.childProtection?.enquiryStatusChangeId).toBe(change.id);
    expect(await identifiersOf(subjectId)).toEqual(
      expect.arrayContaining([ids.nhsNumber, ids.laPersonId, ids.upn]),
    );
    expect(await identifiersOf(subjectId)).toHaveLength(3);

    // Its own identifier is known now: the next change names only that and is matched as it arrives.
    const next = agencyChange('laChildren', ids.laPersonId, 'core-group', {}, '2026-02-09T10:00:00.000Z');
    await h.publish(next);
    expect((await h.caseEventFor(next.id)).case.id).toBe(event.case.id);
  });

  it('holds a change whose identifiers belong to two subjects as IDENTIFIER_CONFLICT, merges nothing, and lets a MASH officer link it', async () => {
    const first = freshIdentifiers();
    const second = freshIdentifiers();
    const childK = await registerSubject(h.cases.url, 'Child K', [first.laPersonId]);
    const childL = await registerSubject(h.cases.url, 'Child L', [second.nhsNumber]);
    const change = agencyChange(
      'laChildren',
      first.laPersonId,
      'strategy-discussion',
      { s47Started: true },
      when,
      {
        otherIdentifiers: [second.nhsNumber, first.upn],
      },
    );
    await h.publish(change);

    expect(await heldRow(change)).toEqual({
      id: change.id,
      reasonCode: 'IDENTIFIER_CONFLICT',
      identifierSystem: 'la-person-id',
      identifierValue: first.laPersonId.value,
      otherIdentifiers: [second.nhsNumber, first.upn],
      kind: 'strategy-discussion',
    });
    expect(h.eventsFor(change.id)).toEqual([]);
    expect(await identifiersOf(childK)).toEqual([first.laPersonId]);
    expect(await identifiersOf(childL)).toEqual([second.nhsNumber]);

    // Its own identifier is Child K's: it cannot be linked to Child L.
    const refused = await link(change.id, childL);
    expect(refused.errors?.map((e) => e.extensions?.['code'])).toEqual(['BAD_USER_INPUT']);
    expect(refused.errors?.[0]?.message).toBe(
      "The status change's identifier already belongs to another subject.",
    );

    const linked = await link(change.id, childK);
    expect(linked.errors).toBeUndefined();
    const event = await h.caseEventFor(change.id);
    expect(event.case.subjectId).toBe(childK);
    expect(linked.data?.linkStatusChange.id).toBe(event.case.id);
    // Child L keeps its NHS number; the identifier no one held is Child K's now.
    expect(await identifiersOf(childL)).toEqual([second.nhsNumber]);
    expect(await identifiersOf(childK)).toEqual(expect.arrayContaining([first.laPersonId, first.upn]));
    expect(await identifiersOf(childK)).toHaveLength(2);
    expect((await held()).map((r) => r.id)).not.toContain(change.id);
  });

  it('holds a change whose own identifier is unknown and whose other identifiers name two subjects', async () => {
    const a = freshIdentifiers();
    const b = freshIdentifiers();
    await registerSubject(h.cases.url, 'Child M', [a.nhsNumber]);
    await registerSubject(h.cases.url, 'Child N', [b.upn]);
    const change = agencyChange('laChildren', a.laPersonId, 'visit', { visit: { outcome: 'seen' } }, when, {
      otherIdentifiers: [a.nhsNumber, b.upn],
    });
    await h.publish(change);
    expect(await heldRow(change)).toMatchObject({ reasonCode: 'IDENTIFIER_CONFLICT' });

    // Registering a subject with the change's own identifier does not take a conflicting change with it.
    const childO = await registerSubject(h.cases.url, 'Child O', [a.laPersonId]);
    expect((await heldRow(change)).reasonCode).toBe('IDENTIFIER_CONFLICT');
    expect(h.eventsFor(change.id)).toEqual([]);
    expect(await identifiersOf(childO)).toEqual([a.laPersonId]);
  });

  it('lets a later change of a batch see the identifiers an earlier one recorded', async () => {
    const ids = freshIdentifiers();
    const other = freshIdentifiers();
    const childP = await registerSubject(h.cases.url, 'Child P', [ids.laPersonId]);
    await registerSubject(h.cases.url, 'Child Q', [other.upn]);
    // The first brings the NHS number to Child P; the second, keyed by that NHS number, then matches Child P;
    // the third, keyed by it too, names Child Q's pupil number as well: a conflict.
    const bringsNhs = agencyChange('laChildren', ids.laPersonId, 'core-group', {}, when, {
      otherIdentifiers: [ids.nhsNumber],
    });
    const byNhs = agencyChange(
      'health',
      ids.nhsNumber,
      'appointment-not-attended',
      { appointment: { attendance: 'was-not-brought' } },
      when,
    );
    const conflicting = agencyChange('health', ids.nhsNumber, 'appointment-not-attended', {}, when, {
      otherIdentifiers: [other.upn],
    });
    // One key for the three, so they share a partition and arrive in this order (in one fetched batch, as a rule).
    await h.producer.send({
      topic: h.names.statusChanges,
      messages: [bringsNhs, byNhs, conflicting].map((m) => ({ key: childP, value: JSON.stringify(m) })),
    });
    expect((await h.caseEventFor(bringsNhs.id)).case.subjectId).toBe(childP);
    expect((await h.caseEventFor(byNhs.id)).case.subjectId).toBe(childP);
    expect(await heldRow(conflicting)).toMatchObject({
      reasonCode: 'IDENTIFIER_CONFLICT',
      identifierSystem: 'nhs-number',
      otherIdentifiers: [other.upn],
    });
  });

  it('holds a waiting change as IDENTIFIER_CONFLICT when its other identifier went to another subject meanwhile', async () => {
    const ids = freshIdentifiers();
    const change = agencyChange('laChildren', ids.laPersonId, 'core-group', {}, when, {
      otherIdentifiers: [ids.nhsNumber],
    });
    await h.publish(change);
    expect((await heldRow(change)).reasonCode).toBe('SUBJECT_UNKNOWN');
    await registerSubject(h.cases.url, 'Child R', [ids.nhsNumber]);
    // Registering Child R with the NHS number links only changes keyed by it; this one is keyed by the LA id.
    expect((await heldRow(change)).reasonCode).toBe('SUBJECT_UNKNOWN');

    const childS = await registerSubject(h.cases.url, 'Child S', [ids.laPersonId]);
    expect((await heldRow(change)).reasonCode).toBe('IDENTIFIER_CONFLICT');
    expect(h.eventsFor(change.id)).toEqual([]);
    expect(await identifiersOf(childS)).toEqual([ids.laPersonId]);
  });

  it('says SUBJECT_UNKNOWN for a change none of whose identifiers is known', async () => {
    const ids = freshIdentifiers();
    const change = agencyChange('education', ids.upn, 'unexplained-absence', {}, when, {
      otherIdentifiers: [ids.nhsNumber],
    });
    await h.publish(change);
    expect(await heldRow(change)).toEqual({
      id: change.id,
      reasonCode: 'SUBJECT_UNKNOWN',
      identifierSystem: 'upn',
      identifierValue: ids.upn.value,
      otherIdentifiers: [ids.nhsNumber],
      kind: 'unexplained-absence',
    });
  });
});
