import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  ResourcePatternTypes,
  type AclEntry,
  type Admin,
} from 'kafkajs';
import { AGENCY_FAMILIES, topics } from '@mash/schema';
import { createTopicsAndWait } from './topics';

/**
 * The principal that provisions the broker: creates topics, grants ACLs, and is the broker's super user (and its
 * inter-broker principal). No service runs as it.
 */
export const ADMIN_PRINCIPAL = 'admin';

/** The platform's deployables that use Kafka, each with a principal of its own. */
export const PLATFORM_SERVICES = ['connectors', 'cases', 'escalations', 'contacts', 'gateway'] as const;
export type PlatformService = (typeof PLATFORM_SERVICES)[number];

/** Each platform service's SCRAM user name (`mash-` so that no source system code is mistaken for one). */
export const PLATFORM_PRINCIPALS: Readonly<Record<PlatformService, string>> = {
  connectors: 'mash-connectors',
  cases: 'mash-cases',
  escalations: 'mash-escalations',
  contacts: 'mash-contacts',
  gateway: 'mash-gateway',
};

export type GrantOperation = 'read' | 'write' | 'describe';

/** One permission: operations on a topic or consumer group, by literal name or by name prefix. */
export interface Grant {
  readonly resource: 'topic' | 'group';
  readonly name: string;
  readonly pattern: 'literal' | 'prefixed';
  readonly operations: readonly GrantOperation[];
}

const consume = (topic: string): Grant => ({
  resource: 'topic',
  name: topic,
  pattern: 'literal',
  operations: ['read', 'describe'],
});
const produce = (topic: string): Grant => ({
  resource: 'topic',
  name: topic,
  pattern: 'literal',
  operations: ['write', 'describe'],
});
const group = (name: string, pattern: Grant['pattern']): Grant => ({
  resource: 'group',
  name,
  pattern,
  operations: ['read'],
});

/**
 * What each platform service may do on the broker, under a deployment's TOPIC_PREFIX: the one definition the
 * development broker, the test harness and docker-compose's init service all grant. Nothing else is allowed (the
 * broker runs with `allow.everyone.if.no.acl.found=false`), creating topics included: `provisionPlatform` creates
 * them as the admin first, so each service's own `ensureTopics` finds them. No service uses transactional ids (the
 * outbox stands in for Kafka transactions); idempotent producers need only WRITE on a topic.
 *
 * A service that comes to write or read another topic, or to consume under another group id, needs its line here.
 */
export function platformGrants(topicPrefix: string): Readonly<Record<PlatformService, readonly Grant[]>> {
  const t = topics(topicPrefix);
  return {
    // Reads every source system's topic (by pattern, so systems provisioned later are covered), writes the
    // canonical status changes and each family's dead letters. Group: connectorGroupId (connectors/runtime).
    connectors: [
      {
        resource: 'topic',
        name: `${topicPrefix}mash.agency.`,
        pattern: 'prefixed',
        operations: ['read', 'describe'],
      },
      produce(t.statusChanges),
      ...AGENCY_FAMILIES.map((family) => produce(t.deadLetter(family))),
      group(`${topicPrefix}mash-connector-`, 'prefixed'),
    ],
    // Reads status changes, writes case events and the status changes it could never apply.
    cases: [
      consume(t.statusChanges),
      produce(t.caseEvents),
      produce(t.internalDeadLetter('status-changes')),
      group(`${topicPrefix}mash-cases`, 'literal'),
    ],
    // Reads case events, writes escalation events and the case events it could never apply.
    escalations: [
      consume(t.caseEvents),
      produce(t.escalationEvents),
      produce(t.internalDeadLetter('case-events')),
      group(`${topicPrefix}mash-escalations`, 'literal'),
    ],
    // Notifications: reads escalation events, writes the notifications and the escalation events it could never
    // apply.
    contacts: [
      consume(t.escalationEvents),
      produce(t.notifications),
      produce(t.internalDeadLetter('escalation-events')),
      group(`${topicPrefix}mash-contacts`, 'literal'),
    ],
    // The live consumer: reads escalation events and notifications, in a group of its own per gateway instance.
    gateway: [
      consume(t.escalationEvents),
      consume(t.notifications),
      group(`${topicPrefix}mash-gateway-live-`, 'prefixed'),
    ],
  };
}

/** The platform's internal topics, which `provisionPlatform` creates: every one some service writes. */
export function platformTopics(topicPrefix: string): string[] {
  const t = topics(topicPrefix);
  return [
    t.statusChanges,
    t.caseEvents,
    t.escalationEvents,
    t.notifications,
    t.internalDeadLetter('status-changes'),
    t.internalDeadLetter('case-events'),
    t.internalDeadLetter('escalation-events'),
    ...AGENCY_FAMILIES.map((family) => t.deadLetter(family)),
  ];
}

const OPERATIONS: Record<GrantOperation, AclOperationTypes> = {
  read: AclOperationTypes.READ,
  write: AclOperationTypes.WRITE,
  describe: AclOperationTypes.DESCRIBE,
};

/** The grants as the broker's ACL bindings (ALLOW, any host), for the given principal names. */
export function platformAclBindings(
  topicPrefix: string,
  principals: Readonly<Record<PlatformService, string>> = PLATFORM_PRINCIPALS,
): AclEntry[] {
  const grants = platformGrants(topicPrefix);
  return PLATFORM_SERVICES.flatMap((service) =>
    grants[service].flatMap((grant) =>
      grant.operations.map((operation): AclEntry => ({
        resourceType: grant.resource === 'topic' ? AclResourceTypes.TOPIC : AclResourceTypes.GROUP,
        resourceName: grant.name,
        resourcePatternType:
          grant.pattern === 'literal' ? ResourcePatternTypes.LITERAL : ResourcePatternTypes.PREFIXED,
        principal: `User:${principals[service]}`,
        host: '*',
        operation: OPERATIONS[operation],
        permissionType: AclPermissionTypes.ALLOW,
      })),
    ),
  );
}

/**
 * Provisions the platform under a TOPIC_PREFIX, as the admin: creates its internal topics (when missing) and grants
 * each service's principal its ACLs (`platformGrants`), then waits until the broker applies them. Idempotent; run
 * before the services start.
 */
export async function provisionPlatform(
  admin: Admin,
  topicPrefix: string,
  principals: Readonly<Record<PlatformService, string>> = PLATFORM_PRINCIPALS,
): Promise<void> {
  await createMissingTopics(admin, platformTopics(topicPrefix));
  await grant(admin, platformAclBindings(topicPrefix, principals));
}

/** Creates the topics that do not exist yet (6 partitions, the broker's replication factor). */
export async function createMissingTopics(admin: Admin, names: readonly string[]): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = [...new Set(names)].filter((topic) => !existing.has(topic));
  await createTopicsAndWait(
    admin,
    missing.map((topic) => ({ topic, numPartitions: 6 })),
  );
}

/**
 * Creates ACL bindings and waits until the broker applies them. The controller has committed them when createAcls
 * answers; the broker's authorizer applies them a moment later, and answers DescribeAcls from it, so a client
 * started after this returns is not refused.
 */
export async function grant(admin: Admin, bindings: readonly AclEntry[], timeoutMs = 15_000): Promise<void> {
  if (bindings.length === 0) return;
  await admin.createAcls({ acl: [...bindings] });
  const key = (b: AclEntry) =>
    `${b.resourceType}|${b.resourcePatternType}|${b.resourceName}|${b.principal}|${b.operation}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { resources } = await admin.describeAcls({
      resourceType: AclResourceTypes.ANY,
      resourcePatternType: ResourcePatternTypes.ANY,
      operation: AclOperationTypes.ANY,
      permissionType: AclPermissionTypes.ALLOW,
    });
    const seen = new Set(
      resources.flatMap((r) =>
        r.acls.map((a) =>
          key({
            ...a,
            resourceType: r.resourceType,
            resourceName: r.resourceName,
            resourcePatternType: r.resourcePatternType,
          }),
        ),
      ),
    );
    if (bindings.every((b) => seen.has(key(b)))) return;
    if (Date.now() > deadline) throw new Error('the broker did not apply the new ACLs in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
