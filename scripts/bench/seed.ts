import { Kafka, Partitioners, logLevel } from 'kafkajs';
import { kafkaSecurity } from '@mash/kafka';
import type { KafkaAuth } from '@mash/service-kit';
import { Demo, topics, type CloudEvent } from '@mash/schema';
import type { AgencyEvent } from '../lib/demo-events';
import { sourceCodeOf } from '../lib/demo-source-systems';

const DAY = 24 * 60 * 60 * 1000;

export interface SeedOptions {
  readonly gatewayUrl: string;
  readonly token: string;
  readonly brokers: readonly string[];
  /** The principal the agency events are published as (the platform's, a super user, in the bench). */
  readonly auth?: KafkaAuth;
  readonly topicPrefix: string;
  readonly count: number;
  /** Distinguishes this run's identifiers and event ids (the database may be shared via DATABASE_URL). */
  readonly runId: string;
}

interface GraphQLAnswer<T> {
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export async function graphql<T>(
  url: string,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as GraphQLAnswer<T>;
  if (body.errors?.length || !body.data) throw new Error(`GraphQL error: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** Bench child `i`'s identifiers in the two agencies' systems. */
function identifiers(runId: string, i: number) {
  const n = String(i).padStart(4, '0');
  const run = runId.toUpperCase();
  return { laPersonId: `LCS-B${run}-${n}`, policePersonId: `NICHE-B${run}-${n}` };
}

/**
 * The demo threshold-disagreement story for bench child `i`: children's services close a police referral with no
 * further action, then police judge the child protection threshold met. Dated well in the past so the grace
 * period has run out and the escalation is raised as soon as the scheduler sees it.
 */
function storyFor(runId: string, i: number, now: Date): AgencyEvent[] {
  const { laPersonId, policePersonId } = identifiers(runId, i);
  const nfaAt = new Date(now.getTime() - 12 * DAY).toISOString();
  const viewAt = new Date(now.getTime() - 6 * DAY).toISOString();
  const referral: CloudEvent = {
    specversion: '1.0',
    id: `lcs-referral-outcome-bench-${runId}-${i}`,
    source: `urn:mash:source:${Demo.sourceSystems.laChildren.code}`,
    type: 'uk.mash.la-children.referral-outcome.v1',
    time: nfaAt,
    datacontenttype: 'application/json',
    data: {
      subject: { system: 'la-person-id', value: laPersonId },
      referralRef: `REF-B${i}`,
      outcome: 'no-further-action',
      decidedAt: nfaAt,
    },
  };
  const view: CloudEvent = {
    specversion: '1.0',
    id: `niche-strategy-view-bench-${runId}-${i}`,
    source: `urn:mash:source:${Demo.sourceSystems.police.code}`,
    type: 'uk.mash.police.strategy-discussion-view.v1',
    time: viewAt,
    datacontenttype: 'application/json',
    data: {
      subject: { system: 'police-person-id', value: policePersonId },
      threshold: 'child-protection',
      discussionAt: viewAt,
      incidentRef: `TVP-INC-B${i}`,
    },
  };
  return [
    { family: 'la-children', key: laPersonId, event: referral },
    { family: 'police', key: policePersonId, event: view },
  ];
}

async function inBatches<T>(
  items: readonly T[],
  size: number,
  each: (item: T) => Promise<void>,
): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(each));
}

export async function countOpenEscalations(url: string, token: string): Promise<number> {
  const data = await graphql<{ escalations: { nodes: { status: string }[] } }>(
    url,
    token,
    'query ($p: ID!) { escalations(partnershipId: $p, first: 500) { nodes { status } } }',
    { p: Demo.partnershipId },
  );
  return data.escalations.nodes.filter((e) => e.status !== 'RESOLVED').length;
}

/**
 * Seeds `count` open escalations through the real pipeline: a MASH officer registers `count` children (cases
 * subgraph, through the gateway), their agencies' systems publish the disagreement story as CloudEvents, and the
 * connector, cases consumer, escalation engine and clock scheduler raise one escalation each. Resolves when the
 * gateway lists them all.
 */
export async function seedEscalations(options: SeedOptions, log: (line: string) => void): Promise<number> {
  const before = await countOpenEscalations(options.gatewayUrl, options.token);
  const children = Array.from({ length: options.count }, (_, i) => i);
  await inBatches(children, 10, async (i) => {
    const ids = identifiers(options.runId, i);
    await graphql(
      options.gatewayUrl,
      options.token,
      'mutation ($input: RegisterSubjectInput!) { registerSubject(input: $input) { id } }',
      {
        input: {
          partnershipId: Demo.partnershipId,
          displayName: `Bench child ${i}`,
          identifiers: [
            { system: 'la-person-id', value: ids.laPersonId },
            { system: 'police-person-id', value: ids.policePersonId },
          ],
        },
      },
    );
  });
  log(`registered ${options.count} subjects; publishing ${options.count * 2} agency events…`);

  const kafka = new Kafka({
    clientId: 'bench-agency-systems',
    brokers: [...options.brokers],
    logLevel: logLevel.NOTHING,
    ...kafkaSecurity(options.auth),
  });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true });
  await producer.connect();
  try {
    const now = new Date();
    const stories = children.map((i) => storyFor(options.runId, i, now));
    // Every referral outcome first, then every police view: each child's two events arrive in story order.
    for (const step of [0, 1]) {
      const events = stories.map((s) => s[step]!);
      const byTopic = new Map<string, { key: string; value: string }[]>();
      for (const e of events) {
        const topic = topics(options.topicPrefix).agency(e.family, sourceCodeOf(e.event.source));
        const list = byTopic.get(topic) ?? [];
        list.push({ key: e.key, value: JSON.stringify(e.event) });
        byTopic.set(topic, list);
      }
      for (const [topic, messages] of byTopic) await producer.send({ topic, messages });
    }
  } finally {
    await producer.disconnect();
  }

  const target = before + options.count;
  const deadline = Date.now() + 120_000 + options.count * 500;
  let open = before;
  let lastReport = 0;
  while (open < target) {
    if (Date.now() > deadline) {
      throw new Error(`only ${open - before} of ${options.count} escalations were raised in time`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    open = await countOpenEscalations(options.gatewayUrl, options.token);
    if (Date.now() - lastReport > 5000) {
      log(`  ${open - before}/${options.count} escalations raised…`);
      lastReport = Date.now();
    }
  }
  return open;
}
