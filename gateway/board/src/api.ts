import { createClient, type Client } from 'graphql-ws';

/** The parts of an escalation the board shows. */
export interface BoardEscalation {
  id: string;
  ground: string;
  stage: number;
  status: string;
  immediateRisk: boolean;
  autoRaised: boolean;
  raisedAt: string;
  stageStartedAt: string;
  stageDeadline: string | null;
  raisingAgency: { id: string; name: string };
  receivingAgency: { id: string; name: string };
  stageOwners: { name: string; role: string }[];
}

export interface EscalationDetail {
  id: string;
  outcome: string | null;
  history: { at: string; toStage: number; toStatus: string; actor: string; rationale: string }[];
  evidence: { id: string; summary: string; occurredAt: string; agency: { name: string } }[];
  case: {
    id: string;
    subject: { displayName: string };
    timeline: { nodes: { id: string; summary: string; occurredAt: string; agency: { name: string } }[] };
  };
}

const CARD = `id ground stage status immediateRisk autoRaised raisedAt stageStartedAt stageDeadline
  raisingAgency { id name } receivingAgency { id name } stageOwners { name role }`;

/**
 * Open escalations, up to the largest page (500); a partnership's open escalations fit in it. The page size is a
 * variable: the gateway's cost limit weighs a literal `first` as that many rows.
 */
export const BOARD_QUERY = `query Board($p: ID!, $first: Int = 500) {
  escalations(partnershipId: $p, first: $first) { nodes { ${CARD} } } }`;
export const BOARD_SUBSCRIPTION = `subscription Board($p: ID!) { escalationChanged(partnershipId: $p) { ${CARD} } }`;
export const DETAIL_QUERY = `query Detail($id: ID!) { escalation(id: $id) { id outcome
  history { at toStage toStatus actor rationale }
  evidence { id summary occurredAt agency { name } }
  case { id subject { displayName } timeline(first: 20) { nodes { id summary occurredAt agency { name } } } } } }`;

/** One of the signed-in person's notifications, as the board shows it. */
export interface BoardNotification {
  id: string;
  eventType: string;
  reason: string;
  stage: number;
  message: string;
  immediateRisk: boolean;
  at: string;
  readAt: string | null;
  escalation: { id: string } | null;
}

const NOTE = 'id eventType reason stage message immediateRisk at readAt escalation { id }';

/** The person's latest notifications and how many are unread (the page size is a variable, as above). */
export const NOTIFICATIONS_QUERY = `query Notifications($first: Int = 20) {
  myNotifications(first: $first) { nodes { ${NOTE} } } myUnreadNotificationCount }`;
export const NOTIFICATION_SUBSCRIPTION = `subscription Notifications { notificationReceived { ${NOTE} } }`;
export const MARK_READ = `mutation MarkRead($id: ID!) { markNotificationRead(id: $id) { id readAt } }`;
export const MARK_ALL_READ = `mutation MarkAllRead { markAllNotificationsRead }`;

export class GraphQLFailure extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/** A query over HTTP with the signed-in token; a coded error becomes a GraphQLFailure. */
export async function query<T>(token: string, text: string, variables: Record<string, unknown>): Promise<T> {
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: text, variables }),
  });
  const body = (await res.json()) as {
    data?: T;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
  const first = body.errors?.[0];
  if (first || !body.data) throw new GraphQLFailure(first?.message ?? 'No data', first?.extensions?.code);
  return body.data;
}

/** The live connection: graphql-ws on the gateway's own /graphql endpoint. */
export function liveClient(token: string, onClosed: (code: number, reason: string) => void): Client {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
  return createClient({
    url,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    on: {
      closed: (event) => {
        const e = event as { code?: number; reason?: string };
        onClosed(e.code ?? 0, e.reason ?? '');
      },
    },
  });
}

/** The claims the board needs, read from the token (the gateway verifies it; this only reads). */
export function claimsOf(token: string): { partnership?: string; name?: string; exp?: number } | undefined {
  try {
    const payload = token.split('.')[1] ?? '';
    return JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as {
      partnership?: string;
      name?: string;
      exp?: number;
    };
  } catch {
    return undefined;
  }
}
