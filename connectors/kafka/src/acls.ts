import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  ResourcePatternTypes,
  type Admin,
} from 'kafkajs';
import { topics, type AgencyFamily } from '@mash/schema';

/** An agency source system's Kafka principal and the family whose topic it publishes to. */
export interface SourceSystemPrincipal {
  /** The SCRAM user name: the source system's registered code (e.g. `tvp-niche`). */
  readonly principal: string;
  readonly family: AgencyFamily;
}

/**
 * Provisions source systems on the broker: each gets its own agency topic (created when missing), and its
 * principal may write that topic and nothing else: WRITE and DESCRIBE on the one topic (literal name, under the
 * deployment's topic prefix). With no other ACL, the broker (`allow.everyone.if.no.acl.found=false`) refuses it
 * every other topic, other source systems' and the platform's internal topics included, with
 * TOPIC_AUTHORIZATION_FAILED. Idempotent. A connector subscribes to its families' topics when it starts, so one
 * provisioned later is consumed after the connector restarts.
 */
export async function provisionSourceSystems(
  admin: Admin,
  topicPrefix: string,
  principals: readonly SourceSystemPrincipal[],
): Promise<void> {
  if (principals.length === 0) return;
  const t = topics(topicPrefix);
  const existing = new Set(await admin.listTopics());
  const missing = [...new Set(principals.map((p) => t.agency(p.family, p.principal)))].filter(
    (topic) => !existing.has(topic),
  );
  if (missing.length > 0) {
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({ topic, numPartitions: 6, replicationFactor: -1 })),
      });
    } catch (err) {
      // Another provisioning run may have created them between list and create.
      if ((err as { type?: string }).type !== 'TOPIC_ALREADY_EXISTS') throw err;
    }
  }
  const bindings = principals.flatMap(({ principal, family }) =>
    [AclOperationTypes.WRITE, AclOperationTypes.DESCRIBE].map((operation) => ({
      resourceType: AclResourceTypes.TOPIC,
      resourceName: t.agency(family, principal),
      resourcePatternType: ResourcePatternTypes.LITERAL,
      principal: `User:${principal}`,
      host: '*',
      operation,
      permissionType: AclPermissionTypes.ALLOW,
    })),
  );
  await admin.createAcls({ acl: bindings });
  await untilVisible(admin, bindings);
}

/**
 * The controller has committed the ACLs when createAcls answers; the broker's authorizer applies them a moment
 * later. Waits until the broker describes every one (it answers DescribeAcls from its authorizer), so a producer
 * started next is not refused.
 */
async function untilVisible(
  admin: Admin,
  bindings: readonly { resourceName: string; principal: string; operation: AclOperationTypes }[],
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { resources } = await admin.describeAcls({
      resourceType: AclResourceTypes.TOPIC,
      resourcePatternType: ResourcePatternTypes.LITERAL,
      operation: AclOperationTypes.ANY,
      permissionType: AclPermissionTypes.ALLOW,
    });
    const seen = new Set(
      resources.flatMap((r) => r.acls.map((a) => `${r.resourceName}|${a.principal}|${a.operation}`)),
    );
    if (bindings.every((b) => seen.has(`${b.resourceName}|${b.principal}|${b.operation}`))) return;
    if (Date.now() > deadline) throw new Error('the broker did not apply the new ACLs in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
