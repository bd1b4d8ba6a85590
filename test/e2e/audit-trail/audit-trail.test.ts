import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, getNamedType, isObjectType, type GraphQLObjectType } from 'graphql';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ingestPurgeRules } from '@mash/connectors';
import { escalationsPurgeRules } from '@mash/escalations';
import { purgeAuditTrail, purgeRows } from '@mash/service-kit';
import { Demo, PERSONAL_DATA_TYPES } from '@mash/schema';
import { thresholdDisagreementEvents } from '../../../scripts/lib/demo-events';
import type { RunningPlatform } from '../../../scripts/lib/platform';
import { startDemoPlatform, type DemoPlatform } from '@test/support/demo-platform';
import { testToken } from '@test/support/auth';
import type { TestDatabase } from '@test/support/database';
import { eventually, gql, type GraphQLResponse } from '@test/support/gateway-client';
import { auditor, chair, laPractitioner, mashOfficer, policePractitioner } from '@test/support/demo-callers';

// Every read and write of personal data through the real gateway leaves an audit entry (who, what, when, on what
// ground, allowed or refused, which request); auditors read the trail and nothing else; the database keeps it
// append-only.

interface EntryRow {
  record_type: string;
  record_id: string;
  fields: string[];
  action: string;
  outcome: string;
  ground: string;
  actor: string;
  actor_roles: string[];
  actor_agency_id: string | null;
  data_subject_id: string | null;
}

/**
 * The fields of the composed graph that return a personal-data type, or a page of one (a connection whose `nodes`
 * are personal data), as `Type.field`.
 */
function personalDataFields(): string[] {
  const sdl = readFileSync(join(__dirname, '../../../schema/supergraph.graphql'), 'utf8');
  const schema = buildSchema(sdl, { assumeValidSDL: true });
  const personal = new Set<string>(PERSONAL_DATA_TYPES);
  const types = Object.values(schema.getTypeMap()).filter(
    (t): t is GraphQLObjectType => isObjectType(t) && !t.name.startsWith('__'),
  );
  const connections = new Set(
    types
      .filter((t) => {
        const nodes = t.getFields()['nodes'];
        return nodes !== undefined && personal.has(getNamedType(nodes.type).name);
      })
      .map((t) => t.name),
  );
  const out: string[] = [];
  for (const type of types) {
    if (connections.has(type.name)) continue;
    for (const field of Object.values(type.getFields())) {
      const returns = getNamedType(field.type).name;
      if (personal.has(returns) || connections.has(returns)) out.push(`${type.name}.${field.name}`);
    }
  }
  return out.sort();
}

describe('audit trail of personal-data access', () => {
  let demo: DemoPlatform;
  let db: TestDatabase;
  let platform: RunningPlatform;
  let pg: Client;
  let escalationId: string;
  let unmatchedId: string;
  let newSubjectId: string;
  /** Raised by hand at immediate risk, at the last stage, for the panel probes. */
  let raisedId: string;
  /** Raised by hand in beforeAll, for the redirection probe. */
  let toRedirectId: string;

  async function post<T>(
    query: string,
    variables: Record<string, unknown>,
    token: string,
  ): Promise<{ res: GraphQLResponse<T>; requestId: string }> {
    const requestId = randomUUID();
    const response = await fetch(platform.gatewayUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        'x-request-id': requestId,
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as Omit<GraphQLResponse<T>, 'status'>;
    return { res: { status: response.status, ...body }, requestId };
  }

  async function entriesOf(requestId: string): Promise<EntryRow[]> {
    const { rows } = await pg.query<EntryRow>(
      `SELECT "record_type", "record_id", "fields", "action", "outcome", "ground", "actor", "actor_roles",
         "actor_agency_id", "data_subject_id"
       FROM "audit"."entry" WHERE "request_id" = $1 ORDER BY "id"`,
      [requestId],
    );
    return rows;
  }

  beforeAll(async () => {
    demo = await startDemoPlatform();
    ({ db, platform } = demo);
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    const events = thresholdDisagreementEvents(new Date(), 'audit');
    // One more LA event about a person nobody has registered: it waits, unmatched, for a MASH officer.
    const template = events[0]!;
    const stranger = {
      ...template,
      key: 'LCS-000001',
      event: {
        ...template.event,
        id: 'lcs-referral-outcome-audit-stranger',
        data: {
          ...(template.event['data'] as object),
          subject: { system: 'la-person-id', value: 'LCS-000001' },
        },
      },
    };
    // One at a time, in order.
    await demo.publish([...events, stranger]);
    escalationId = await eventually(
      async () => {
        const res = await gql<{ escalations: { nodes: { id: string }[] } }>(
          platform.gatewayUrl,
          `query($p: ID!) { escalations(partnershipId: $p) { nodes { id } } }`,
          { p: Demo.partnershipId },
          mashOfficer,
        );
        return res.data?.escalations.nodes[0]?.id;
      },
      { what: 'the demo escalation', timeoutMs: 60_000 },
    );
    // The raise tells the police practitioner (a stage-1 owner), whose notification names the escalation.
    await eventually(
      async () => {
        const res = await gql<{ myNotifications: { nodes: { id: string }[] } }>(
          platform.gatewayUrl,
          `query { myNotifications { nodes { id } } }`,
          {},
          policePractitioner,
        );
        return res.data?.myNotifications.nodes[0]?.id;
      },
      { what: 'the notification of the raise', timeoutMs: 60_000 },
    );
    unmatchedId = await eventually(
      async () => {
        const res = await gql<{ unmatchedStatusChanges: { nodes: { id: string }[] } }>(
          platform.gatewayUrl,
          `query($p: ID!) { unmatchedStatusChanges(partnershipId: $p) { nodes { id } } }`,
          { p: Demo.partnershipId },
          mashOfficer,
        );
        return res.data?.unmatchedStatusChanges.nodes[0]?.id;
      },
      { what: 'the unmatched status change', timeoutMs: 60_000 },
    );
    const raised = await gql<{ raiseEscalation: { escalation: { id: string } } }>(
      platform.gatewayUrl,
      `mutation($input: RaiseEscalationInput!) { raiseEscalation(input: $input) { escalation { id } } }`,
      {
        input: {
          caseId: Demo.subject.caseId,
          ground: 'INFORMATION_NOT_SHARED',
          receivingAgencyId: Demo.agencies.laChildren,
          reason: 'The strategy discussion minutes were not shared.',
        },
      },
      policePractitioner,
    );
    toRedirectId = raised.data!.raiseEscalation.escalation.id;
  }, 120_000);

  afterAll(async () => {
    await pg?.end();
    await demo?.stop();
  });

  /**
   * One probe per personal-data field: the operation that reads (or writes) it, who asks, and the entry it must
   * leave. Order matters only for the mutations (register a subject, then link the unmatched change to it).
   */
  const probes: Record<
    string,
    () => {
      query: string;
      variables: Record<string, unknown>;
      token: string;
      expected: Partial<Record<keyof EntryRow, unknown>>;
    }
  > = {
    'Query.case': () => ({
      query: `query($id: ID!) { case(id: $id) { id status } }`,
      variables: { id: Demo.subject.caseId },
      token: mashOfficer,
      expected: {
        record_type: 'Case',
        record_id: Demo.subject.caseId,
        fields: [],
        ground: 'partnership-oversight',
      },
    }),
    'Query.cases': () => ({
      query: `query($p: ID!) { cases(partnershipId: $p) { nodes { id } } }`,
      variables: { p: Demo.partnershipId },
      token: policePractitioner,
      expected: { record_type: 'Case', record_id: Demo.subject.caseId, ground: 'involved-agency' },
    }),
    'Query.subject': () => ({
      query: `query($id: ID!) { subject(id: $id) { displayName } }`,
      variables: { id: Demo.subject.id },
      token: mashOfficer,
      expected: { record_type: 'Subject', record_id: Demo.subject.id, data_subject_id: Demo.subject.id },
    }),
    'Query.unmatchedStatusChanges': () => ({
      query: `query($p: ID!) { unmatchedStatusChanges(partnershipId: $p) { nodes { id identifierValue } } }`,
      variables: { p: Demo.partnershipId },
      token: mashOfficer,
      expected: {
        record_type: 'UnmatchedStatusChange',
        record_id: unmatchedId,
        ground: 'partnership-mash-officer',
      },
    }),
    // A held change's other identifiers are read with its row, which is what the entry records.
    'UnmatchedStatusChange.otherIdentifiers': () => ({
      query: `query($p: ID!) { unmatchedStatusChanges(partnershipId: $p) { nodes { otherIdentifiers { system } } } }`,
      variables: { p: Demo.partnershipId },
      token: mashOfficer,
      expected: {
        record_type: 'UnmatchedStatusChange',
        record_id: unmatchedId,
        ground: 'partnership-mash-officer',
      },
    }),
    'Query.escalation': () => ({
      query: `query($id: ID!) { escalation(id: $id) { id ground } }`,
      variables: { id: escalationId },
      token: policePractitioner,
      expected: { record_type: 'Escalation', record_id: escalationId, ground: 'party-agency' },
    }),
    'Query.escalationsByIds': () => ({
      query: `query($ids: [ID!]!) { escalationsByIds(ids: $ids) { id ground } }`,
      variables: { ids: [escalationId] },
      token: policePractitioner,
      expected: { record_type: 'Escalation', record_id: escalationId, ground: 'party-agency' },
    }),
    'Query.escalations': () => ({
      query: `query($p: ID!) { escalations(partnershipId: $p) { nodes { id } } }`,
      variables: { p: Demo.partnershipId },
      token: chair,
      expected: { record_type: 'Escalation', record_id: escalationId, ground: 'partnership-oversight' },
    }),
    // A notification names its escalation; reading the escalation's fields through it is the escalations
    // subgraph's read (its id alone the gateway answers from the notification).
    'Notification.escalation': () => ({
      query: `query { myNotifications { nodes { escalation { id ground } } } }`,
      variables: {},
      token: policePractitioner,
      expected: { record_type: 'Escalation', record_id: escalationId, ground: 'party-agency' },
    }),
    'Case.subject': () => ({
      query: `query($id: ID!) { case(id: $id) { subject { displayName } } }`,
      variables: { id: Demo.subject.caseId },
      token: policePractitioner,
      expected: { record_type: 'Subject', record_id: Demo.subject.id, ground: 'involved-agency' },
    }),
    ...Object.fromEntries(
      ['involvements { open }', 'positions { asOf }', 'plans { id }', 'timeline { nodes { id } }'].map(
        (selection) => {
          const field = selection.split(' ')[0]!;
          return [
            `Case.${field}`,
            () => ({
              query: `query($id: ID!) { case(id: $id) { ${selection} } }`,
              variables: { id: Demo.subject.caseId },
              token: policePractitioner,
              expected: {
                record_type: 'Case',
                record_id: Demo.subject.caseId,
                fields: expect.arrayContaining([field]),
                ground: 'involved-agency',
                data_subject_id: Demo.subject.id,
              },
            }),
          ];
        },
      ),
    ),
    'Case.escalations': () => ({
      query: `query($id: ID!) { case(id: $id) { escalations { id } } }`,
      variables: { id: Demo.subject.caseId },
      token: policePractitioner,
      expected: { record_type: 'Escalation', record_id: escalationId, ground: 'party-agency' },
    }),
    'Subject.identifiers': () => ({
      query: `query($id: ID!) { subject(id: $id) { identifiers { system value } } }`,
      variables: { id: Demo.subject.id },
      token: mashOfficer,
      expected: {
        record_type: 'Subject',
        record_id: Demo.subject.id,
        fields: expect.arrayContaining(['identifiers']),
      },
    }),
    'Subject.cases': () => ({
      query: `query($id: ID!) { subject(id: $id) { cases { id } } }`,
      variables: { id: Demo.subject.id },
      token: mashOfficer,
      expected: { record_type: 'Case', record_id: Demo.subject.caseId, ground: 'partnership-oversight' },
    }),
    'Plan.actions': () => ({
      query: `query($id: ID!) { case(id: $id) { plans { actions { description } } } }`,
      variables: { id: Demo.subjectB.caseId },
      token: mashOfficer,
      expected: {
        record_type: 'Plan',
        record_id: Demo.subjectB.planId,
        fields: expect.arrayContaining(['actions']),
      },
    }),
    'StatusChange.case': () => ({
      query: `query($id: ID!) { escalation(id: $id) { evidence { case { id } } } }`,
      variables: { id: escalationId },
      token: policePractitioner,
      expected: { record_type: 'Case', record_id: Demo.subject.caseId, ground: 'involved-agency' },
    }),
    'Escalation.case': () => ({
      query: `query($id: ID!) { escalation(id: $id) { case { status } } }`,
      variables: { id: escalationId },
      token: policePractitioner,
      expected: { record_type: 'Case', record_id: Demo.subject.caseId, ground: 'involved-agency' },
    }),
    'Escalation.evidence': () => ({
      query: `query($id: ID!) { escalation(id: $id) { evidence { summary } } }`,
      variables: { id: escalationId },
      token: policePractitioner,
      expected: { record_type: 'StatusChange', action: 'read', ground: 'involved-agency' },
    }),
    'Escalation.history': () => ({
      query: `query($id: ID!) { escalation(id: $id) { history { toStatus } } }`,
      variables: { id: escalationId },
      token: policePractitioner,
      expected: {
        record_type: 'Escalation',
        record_id: escalationId,
        fields: expect.arrayContaining(['history']),
      },
    }),
    'Mutation.registerSubject': () => ({
      query: `mutation($input: RegisterSubjectInput!) { registerSubject(input: $input) { id } }`,
      variables: {
        input: {
          partnershipId: Demo.partnershipId,
          displayName: 'Audit Child',
          identifiers: [{ system: 'nhs-number', value: '9000000009' }],
        },
      },
      token: mashOfficer,
      expected: { record_type: 'Subject', action: 'write', ground: 'partnership-mash-officer' },
    }),
    'Mutation.linkStatusChange': () => ({
      query: `mutation($s: ID!, $c: ID!) { linkStatusChange(subjectId: $s, statusChangeId: $c) { id } }`,
      variables: { s: newSubjectId, c: unmatchedId },
      token: mashOfficer,
      expected: {
        record_type: 'UnmatchedStatusChange',
        record_id: unmatchedId,
        action: 'write',
        data_subject_id: newSubjectId,
      },
    }),
    // People's moves, in the order an escalation's life takes them: the demo escalation at stage 1 is taken up,
    // met on, moved up, resolved and learnt from; one raised by hand at the last stage goes to a panel.
    'Mutation.acknowledgeEscalation': () => ({
      query: `mutation($id: ID!) { acknowledgeEscalation(id: $id, rationale: "Taking it up") { status } }`,
      variables: { id: escalationId },
      token: laPractitioner,
      expected: {
        record_type: 'Escalation',
        record_id: escalationId,
        action: 'write',
        ground: 'receiving-agency-stage-owner',
      },
    }),
    'Mutation.recordEscalationMeeting': () => ({
      query: `mutation($input: RecordEscalationMeetingInput!) { recordEscalationMeeting(input: $input) { id } }`,
      variables: {
        input: {
          escalationId,
          heldAt: new Date().toISOString(),
          participants: [
            { contactId: Demo.contacts.policePractitioner, agencyId: Demo.agencies.police },
            { contactId: Demo.contacts.laChildrenPractitioner, agencyId: Demo.agencies.laChildren },
          ],
          agreed: 'To meet the line managers.',
        },
      },
      token: policePractitioner,
      expected: {
        record_type: 'Escalation',
        record_id: escalationId,
        action: 'write',
        ground: 'stage-owner',
      },
    }),
    'Escalation.meetings': () => ({
      query: `query($id: ID!) { escalation(id: $id) { meetings { agreed } } }`,
      variables: { id: escalationId },
      token: policePractitioner,
      expected: {
        record_type: 'Escalation',
        record_id: escalationId,
        fields: expect.arrayContaining(['meetings']),
      },
    }),
    'Mutation.advanceEscalation': () => ({
      query: `mutation($id: ID!) { advanceEscalation(id: $id, rationale: "No agreement") { stage } }`,
      variables: { id: escalationId },
      token: policePractitioner,
      expected: {
        record_type: 'Escalation',
        record_id: escalationId,
        action: 'write',
        ground: 'stage-owner',
      },
    }),
    'Mutation.resolveEscalation': () => ({
      query: `mutation($id: ID!) { resolveEscalation(id: $id, outcome: AGREED_ACTION_PLAN, outstandingIssues: "None", rationale: "Met") { status } }`,
      variables: { id: escalationId },
      token: chair,
      expected: {
        record_type: 'Escalation',
        record_id: escalationId,
        action: 'write',
        ground: 'partnership-chair',
      },
    }),
    'Mutation.recordEscalationLearning': () => ({
      query: `mutation($id: ID!) { recordEscalationLearning(id: $id, learning: "Share minutes") { id } }`,
      variables: { id: escalationId },
      token: chair,
      expected: {
        record_type: 'Escalation',
        record_id: escalationId,
        action: 'write',
        ground: 'partnership-oversight',
      },
    }),
    'Escalation.learning': () => ({
      query: `query($id: ID!) { escalation(id: $id) { learning { learning } } }`,
      variables: { id: escalationId },
      token: policePractitioner,
      expected: {
        record_type: 'Escalation',
        record_id: escalationId,
        fields: expect.arrayContaining(['learning']),
      },
    }),
    'Mutation.redirectEscalation': () => ({
      query: `mutation($id: ID!) { redirectEscalation(id: $id, route: LADO, rationale: "About an officer") { status } }`,
      variables: { id: toRedirectId },
      token: mashOfficer,
      expected: {
        record_type: 'Escalation',
        record_id: toRedirectId,
        action: 'write',
        ground: 'partnership-oversight',
      },
    }),
    'RaiseEscalationPayload.escalation': () => ({
      query: `mutation($input: RaiseEscalationInput!) { raiseEscalation(input: $input) { escalation { id } } }`,
      variables: {
        input: {
          caseId: Demo.subject.caseId,
          ground: 'QUALITY_OF_WORK',
          receivingAgencyId: Demo.agencies.laChildren,
          reason: 'The assessment did not see the child.',
          immediateRisk: true,
          startStage: 4,
        },
      },
      token: policePractitioner,
      expected: { record_type: 'Escalation', action: 'write', ground: 'involved-agency' },
    }),
    'Mutation.conveneResolutionPanel': () => ({
      query: `mutation($id: ID!, $members: [EscalationParticipantInput!]!) {
        conveneResolutionPanel(id: $id, members: $members) { id } }`,
      variables: {
        id: raisedId,
        members: [
          { contactId: Demo.contacts.policeHeadOfService, agencyId: Demo.agencies.police },
          { contactId: Demo.contacts.laChildrenHeadOfService, agencyId: Demo.agencies.laChildren },
          { contactId: Demo.contacts.healthDsl, agencyId: Demo.agencies.health },
        ],
      },
      token: chair,
      expected: {
        record_type: 'Escalation',
        record_id: raisedId,
        action: 'write',
        ground: 'partnership-chair',
      },
    }),
    'Escalation.panel': () => ({
      query: `query($id: ID!) { escalation(id: $id) { panel { convenedAt } } }`,
      variables: { id: raisedId },
      token: chair,
      expected: { record_type: 'Escalation', record_id: raisedId, fields: expect.arrayContaining(['panel']) },
    }),
    'Mutation.recordPanelDecision': () => ({
      query: `mutation($id: ID!) { recordPanelDecision(id: $id, decision: DECISION_UPHELD, rationale: "Reasonable", outstandingIssues: "None") { status } }`,
      variables: { id: raisedId },
      token: chair,
      expected: {
        record_type: 'Escalation',
        record_id: raisedId,
        action: 'write',
        ground: 'partnership-chair',
      },
    }),
  };

  it('has a probe for every field of the composed graph that returns personal data', () => {
    expect(Object.keys(probes).sort()).toEqual(personalDataFields());
  });

  it.each(Object.keys(probes))(
    'records an allowed entry when %s is used through the gateway',
    async (name) => {
      const probe = probes[name]!();
      const { res, requestId } = await post<Record<string, unknown>>(
        probe.query,
        probe.variables,
        probe.token,
      );
      expect(res.errors).toBeUndefined();
      expect(res.status).toBe(200);
      if (name === 'Mutation.registerSubject') {
        newSubjectId = (res.data!['registerSubject'] as { id: string }).id;
      }
      if (name === 'RaiseEscalationPayload.escalation') {
        raisedId = (res.data!['raiseEscalation'] as { escalation: { id: string } }).escalation.id;
      }
      const entries = await entriesOf(requestId);
      expect(entries).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ action: 'read', outcome: 'allowed', ...probe.expected }),
        ]),
      );
    },
  );

  it('records a refusal with its ground, the caller and its roles', async () => {
    const { res, requestId } = await post(
      `query($id: ID!) { case(id: $id) { id } }`,
      { id: Demo.subjectB.caseId },
      policePractitioner,
    );
    expect(res.data).toEqual({ case: null });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(await entriesOf(requestId)).toEqual([
      {
        record_type: 'Case',
        record_id: Demo.subjectB.caseId,
        fields: [],
        action: 'read',
        outcome: 'refused',
        ground: 'refused:not-involved',
        actor: Demo.contacts.policePractitioner,
        actor_roles: ['practitioner'],
        actor_agency_id: Demo.agencies.police,
        data_subject_id: Demo.subjectB.id,
      },
    ]);
  });

  it('records an auditor refused the records themselves', async () => {
    const { res, requestId } = await post(
      `query($id: ID!) { case(id: $id) { id } }`,
      { id: Demo.subject.caseId },
      auditor,
    );
    expect(res.data).toEqual({ case: null });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(await entriesOf(requestId)).toEqual([
      expect.objectContaining({
        record_type: 'Case',
        record_id: Demo.subject.caseId,
        outcome: 'refused',
        ground: 'refused:no-personal-data-role',
        actor: 'auditor-1',
      }),
    ]);
  });

  it('gives auditors the trail by user, subject and period, a page at a time', async () => {
    const query = `query($actor: String, $subject: ID, $from: DateTimeISO, $first: Int, $after: String) {
      auditEntries(actor: $actor, subjectId: $subject, from: $from, first: $first, after: $after) {
        nodes { id actor recordType recordId ground outcome dataSubjectId requestId }
        pageInfo { endCursor hasNextPage }
      } }`;
    type Page = {
      auditEntries: {
        nodes: {
          id: string;
          actor: string;
          recordType: string;
          recordId: string;
          ground: string;
          dataSubjectId: string | null;
          outcome: string;
          requestId: string;
        }[];
        pageInfo: { endCursor: string | null; hasNextPage: boolean };
      };
    };
    // Three reads by one caller leave three entries: two pages of 2 and 1.
    const reader = testToken({
      sub: 'police-reader-for-audit',
      roles: ['practitioner'],
      partnership: Demo.partnershipId,
      agency: Demo.agencies.police,
    });
    const requestIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { res, requestId } = await post(
        `query($id: ID!) { case(id: $id) { id } }`,
        { id: Demo.subject.caseId },
        reader,
      );
      expect(res.data).toEqual({ case: { id: Demo.subject.caseId } });
      requestIds.push(requestId);
    }
    const first = await gql<Page>(
      platform.gatewayUrl,
      query,
      { actor: 'police-reader-for-audit', first: 2 },
      auditor,
    );
    expect(first.errors).toBeUndefined();
    const page1 = first.data!.auditEntries;
    expect(page1.nodes.map((n) => n.requestId)).toEqual([requestIds[2], requestIds[1]]);
    expect(
      page1.nodes.map((n) => [n.actor, n.recordType, n.recordId, n.ground, n.outcome, n.dataSubjectId]),
    ).toEqual(
      Array(2).fill([
        'police-reader-for-audit',
        'Case',
        Demo.subject.caseId,
        'involved-agency',
        'allowed',
        Demo.subject.id,
      ]),
    );
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const second = await gql<Page>(
      platform.gatewayUrl,
      query,
      { actor: 'police-reader-for-audit', first: 2, after: page1.pageInfo.endCursor },
      auditor,
    );
    expect(second.data!.auditEntries.nodes.map((n) => n.requestId)).toEqual([requestIds[0]]);
    expect(second.data!.auditEntries.pageInfo).toEqual({
      endCursor: expect.any(String),
      hasNextPage: false,
    });

    await post(`query($id: ID!) { case(id: $id) { id } }`, { id: Demo.subjectB.caseId }, reader);
    const bySubject = await gql<Page>(platform.gatewayUrl, query, { subject: Demo.subjectB.id }, auditor);
    expect(bySubject.data!.auditEntries.nodes.length).toBeGreaterThan(0);
    expect(bySubject.data!.auditEntries.nodes.every((n) => n.dataSubjectId === Demo.subjectB.id)).toBe(true);
    expect(bySubject.data!.auditEntries.nodes.some((n) => n.outcome === 'refused')).toBe(true);

    const future = await gql<Page>(
      platform.gatewayUrl,
      query,
      { from: new Date(Date.now() + 3_600_000).toISOString() },
      auditor,
    );
    expect(future.data).toEqual({
      auditEntries: { nodes: [], pageInfo: { endCursor: null, hasNextPage: false } },
    });
  });

  it('refuses the trail to everyone but auditors, and a bad page size, with their codes', async () => {
    const query = `query($first: Int) { auditEntries(first: $first) { nodes { id } } }`;
    const officer = await gql(platform.gatewayUrl, query, {}, mashOfficer);
    expect(officer.data).toBeNull();
    expect(officer.errors?.[0]).toMatchObject({
      message: 'Only auditors read the audit trail.',
      path: ['auditEntries'],
      extensions: { code: 'FORBIDDEN', retriable: false },
    });
    for (const first of [0, -1, 501]) {
      const res = await gql(platform.gatewayUrl, query, { first }, auditor);
      expect(res.errors?.[0]).toMatchObject({
        message: 'first must be between 1 and 500.',
        extensions: { code: 'BAD_USER_INPUT', retriable: false },
      });
    }
    const badCursor = await gql(
      platform.gatewayUrl,
      `{ auditEntries(after: "nonsense") { nodes { id } } }`,
      {},
      auditor,
    );
    expect(badCursor.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('keeps the trail append-only in the database, deleting only entries past retention', async () => {
    const refusedBy = async (sql: string) => {
      await expect(pg.query(sql)).rejects.toMatchObject({ code: '42501' });
    };
    await refusedBy(`UPDATE "audit"."entry" SET "outcome" = 'allowed'`);
    await refusedBy(`DELETE FROM "audit"."entry"`);
    await refusedBy(`TRUNCATE "audit"."entry"`);
    await pg.query(`SET mash.audit_retention_days = '1'`);
    await refusedBy(`DELETE FROM "audit"."entry"`);
    await pg.query(`RESET mash.audit_retention_days`);

    await pg.query(
      `INSERT INTO "audit"."entry" ("at", "service", "request_id", "actor", "actor_roles", "action", "record_type",
         "record_id", "ground", "outcome")
       VALUES (now() - interval '400 days', 'cases', 'old', 'someone', '{practitioner}', 'read', 'Case', 'x',
         'involved-agency', 'allowed')`,
    );
    const ds = new DataSource({ type: 'postgres', url: db.url });
    await ds.initialize();
    try {
      const before = Number((await pg.query(`SELECT count(*) AS n FROM "audit"."entry"`)).rows[0].n);
      expect(await purgeAuditTrail(ds, 365, true)).toEqual({ what: 'audit.entry', rows: 1 });
      expect(await purgeAuditTrail(ds, 365, false)).toEqual({ what: 'audit.entry', rows: 1 });
      const after = Number((await pg.query(`SELECT count(*) AS n FROM "audit"."entry"`)).rows[0].n);
      expect(after).toBe(before - 1);
    } finally {
      await ds.destroy();
    }
  });

  it('purges only what is past retention: fired timers, inbox rows, raw events, old audit entries', async () => {
    await pg.query(
      `INSERT INTO "escalations"."timer" ("id", "kind", "key", "due_at", "payload", "fired_at") VALUES
         (gen_random_uuid(), 'grace', 'purge-old-fired', now() - interval '40 days', '{}', now() - interval '40 days'),
         (gen_random_uuid(), 'grace', 'purge-recent-fired', now() - interval '1 day', '{}', now() - interval '1 day'),
         (gen_random_uuid(), 'grace', 'purge-old-unfired', now() - interval '40 days', '{}', NULL)`,
    );
    await pg.query(
      `INSERT INTO "escalations"."inbox" ("message_id", "processed_at") VALUES ('purge-old', now() - interval '40 days')`,
    );
    const ds = new DataSource({ type: 'postgres', url: db.url });
    await ds.initialize();
    try {
      const rules = [...ingestPurgeRules(90), ...escalationsPurgeRules({ firedTimers: 30, inbox: 30 })];
      const dry = await Promise.all(rules.map((r) => purgeRows(ds, r, true)));
      expect(dry).toEqual([
        { what: 'ingest.raw_event', rows: 0 },
        { what: 'ingest.rejected_event', rows: 0 },
        { what: 'escalations.timer (fired)', rows: 1 },
        { what: 'escalations.inbox', rows: 1 },
      ]);
      for (const r of rules) await purgeRows(ds, r, false);
    } finally {
      await ds.destroy();
    }
    const { rows } = await pg.query<{ key: string }>(
      `SELECT "key" FROM "escalations"."timer" WHERE "key" LIKE 'purge-%' ORDER BY "key"`,
    );
    expect(rows.map((r) => r.key)).toEqual(['purge-old-unfired', 'purge-recent-fired']);
    expect(
      (await pg.query(`SELECT 1 FROM "escalations"."inbox" WHERE "message_id" = 'purge-old'`)).rowCount,
    ).toBe(0);
    expect(
      Number((await pg.query(`SELECT count(*) AS n FROM "ingest"."raw_event"`)).rows[0].n),
    ).toBeGreaterThan(0);
  });
});
