import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  ResourcePatternTypes,
  type Admin,
} from 'kafkajs';
import { topics, type AgencyFamily } from '@mash/schema';
import { ADMIN_PRINCIPAL, createMissingTopics, grant, PLATFORM_PRINCIPALS } from './platform-acls';

/** An agency source system's Kafka principal and the family whose topic it publishes to. */
export interface SourceSystemPrincipal {
  /** The SCRAM user name: the source system's registered code (e.g. `tvp-niche`). */
  readonly principal: string;
  readonly family: AgencyFamily;
}

const RESERVED = new Set([ADMIN_PRINCIPAL, ...Object.values(PLATFORM_PRINCIPALS)]);

/**
 * Provisions source systems on the broker: each gets its own agency topic (created when missing), and its
 * principal may write that topic and nothing else: WRITE and DESCRIBE on the one topic (literal name, under the
 * deployment's topic prefix). With no other ACL, the broker (`allow.everyone.if.no.acl.found=false`) refuses it
 * every other topic, other source systems' and the platform's internal topics included, with
 * TOPIC_AUTHORIZATION_FAILED. Idempotent. A connector subscribes to its families' topics when it starts, so one
 * provisioned later is consumed after the connector restarts. The admin's and the platform services' principals
 * are never a source system's.
 */
export async function provisionSourceSystems(
  admin: Admin,
  topicPrefix: string,
  principals: readonly SourceSystemPrincipal[],
): Promise<void> {
  if (principals.length === 0) return;
  const reserved = principals.filter((p) => RESERVED.has(p.principal)).map((p) => p.principal);
  if (reserved.length > 0) {
    throw new Error(
      `provisionSourceSystems: ${reserved.join(', ')} is a platform principal, not a source system`,
    );
  }
  const t = topics(topicPrefix);
  await createMissingTopics(
    admin,
    principals.map((p) => t.agency(p.family, p.principal)),
  );
  await grant(
    admin,
    principals.flatMap(({ principal, family }) =>
      [AclOperationTypes.WRITE, AclOperationTypes.DESCRIBE].map((operation) => ({
        resourceType: AclResourceTypes.TOPIC,
        resourceName: t.agency(family, principal),
        resourcePatternType: ResourcePatternTypes.LITERAL,
        principal: `User:${principal}`,
        host: '*',
        operation,
        permissionType: AclPermissionTypes.ALLOW,
      })),
    ),
  );
}
