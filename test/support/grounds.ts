import { statusChangeId } from '@mash/connectors';
import type { AgencyEvent } from '../../scripts/lib/agency-events';
import { eventually, gql } from './gateway-client';

// What the end-to-end tests of the automatic grounds read through the gateway, as a MASH officer would.

/** An escalation with everything a ground's scenario asserts: ground, parties, stage, evidence and the reason. */
export interface GroundEscalation {
  id: string;
  ground: string;
  stage: number;
  status: string;
  autoRaised: boolean;
  raisedAt: string;
  stageDeadline: string | null;
  raisingAgency: { id: string; name: string };
  receivingAgency: { id: string; name: string };
  evidence: { id: string; kind: string; summary: string; agency: { name: string } }[];
  history: { toStage: number; toStatus: string; actor: string; rationale: string }[];
}

const ESCALATION_FIELDS = /* GraphQL */ `
  id
  ground
  stage
  status
  autoRaised
  raisedAt
  stageDeadline
  raisingAgency { id name }
  receivingAgency { id name }
  evidence { id kind summary agency { name } }
  history { toStage toStatus actor rationale }
`;

/** A case's escalations, newest first, through the gateway. */
export async function caseEscalations(
  gatewayUrl: string,
  caseId: string,
  token: string,
): Promise<GroundEscalation[]> {
  const res = await gql<{ case: { escalations: GroundEscalation[] } }>(
    gatewayUrl,
    `query ($id: ID!) { case(id: $id) { escalations { ${ESCALATION_FIELDS} } } }`,
    { id: caseId },
    token,
  );
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data!.case.escalations;
}

/** A partnership's open escalations (the board's list, its first page of 50), through the gateway. */
export async function openEscalations(
  gatewayUrl: string,
  partnershipId: string,
  token: string,
): Promise<(GroundEscalation & { case: { id: string } })[]> {
  const res = await gql<{ escalations: { nodes: (GroundEscalation & { case: { id: string } })[] } }>(
    gatewayUrl,
    `query ($p: ID!) { escalations(partnershipId: $p) {
       nodes { ${ESCALATION_FIELDS} case { id } } } }`,
    { p: partnershipId },
    token,
  );
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data!.escalations.nodes.filter((e) => e.status !== 'RESOLVED');
}

/**
 * Registers a child as the partnership's MASH officer does, with the identifiers its agencies know it by; returns
 * the subject's id.
 */
export async function registerChild(
  gatewayUrl: string,
  token: string,
  partnershipId: string,
  displayName: string,
  identifiers: readonly { system: string; value: string }[],
): Promise<string> {
  const res = await gql<{ registerSubject: { id: string } }>(
    gatewayUrl,
    `mutation ($input: RegisterSubjectInput!) { registerSubject(input: $input) { id } }`,
    { input: { partnershipId, displayName, identifiers } },
    token,
  );
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data!.registerSubject.id;
}

/** The open case of a subject, once its first agency event has opened one. */
export function caseOf(gatewayUrl: string, token: string, subjectId: string): Promise<string> {
  return eventually(
    async () => {
      const res = await gql<{ subject: { cases: { id: string; status: string }[] } }>(
        gatewayUrl,
        `query ($id: ID!) { subject(id: $id) { cases { id status } } }`,
        { id: subjectId },
        token,
      );
      if (res.errors) throw new Error(JSON.stringify(res.errors));
      return res.data!.subject.cases.find((c) => c.status === 'OPEN')?.id;
    },
    { what: `a case for subject ${subjectId}`, timeoutMs: 60_000 },
  );
}

/** The status change id an agency event becomes: what an escalation names as its evidence. */
export function evidenceId(e: AgencyEvent): string {
  return statusChangeId(e.event.source, e.event.id);
}

/** An escalation's evidence as the tests compare it: by status change id. */
export function byId<T extends { id: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
