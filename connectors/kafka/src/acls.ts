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
 * Lets each source system's principal write its own family's agency topic and nothing else: WRITE and DESCRIBE
 * on that one topic (literal name, under the deployment's topic prefix). With no other ACL, the broker
 * (`allow.everyone.if.no.acl.found=false`) refuses it every other topic, the platform's internal topics
 * included, with TOPIC_AUTHORIZATION_FAILED. Idempotent: granting again changes nothing.
 */
export async function grantSourceSystemProducers(
  admin: Admin,
  topicPrefix: string,
  principals: readonly SourceSystemPrincipal[],
): Promise<void> {
  if (principals.length === 0) return;
  const t = topics(topicPrefix);
  await admin.createAcls({
    acl: principals.flatMap(({ principal, family }) =>
      [AclOperationTypes.WRITE, AclOperationTypes.DESCRIBE].map((operation) => ({
        resourceType: AclResourceTypes.TOPIC,
        resourceName: t.agency(family),
        resourcePatternType: ResourcePatternTypes.LITERAL,
        principal: `User:${principal}`,
        host: '*',
        operation,
        permissionType: AclPermissionTypes.ALLOW,
      })),
    ),
  });
}
