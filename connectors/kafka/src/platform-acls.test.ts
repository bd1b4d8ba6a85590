import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } from 'kafkajs';
import {
  PLATFORM_PRINCIPALS,
  PLATFORM_SERVICES,
  platformAclBindings,
  platformGrants,
  platformTopics,
  type PlatformService,
} from './platform-acls';

const prefix = 'acme.';
const grants = platformGrants(prefix);

/** The services granted `operation` on a topic, literally or by a prefix of its name. */
function servicesAllowed(operation: 'read' | 'write', topic: string): PlatformService[] {
  return PLATFORM_SERVICES.filter((service) =>
    grants[service].some(
      (g) =>
        g.resource === 'topic' &&
        g.operations.includes(operation) &&
        (g.pattern === 'literal' ? g.name === topic : topic.startsWith(g.name)),
    ),
  );
}

describe('the platform services’ grants', () => {
  it.each([
    ['acme.mash.status-changes.v1', ['connectors'], ['cases']],
    ['acme.mash.case-events.v1', ['cases'], ['escalations']],
    ['acme.mash.escalation-events.v1', ['escalations'], ['contacts', 'gateway']],
    ['acme.mash.notifications.v1', ['contacts'], ['gateway']],
    ['acme.mash.dlq.escalation-events.v1', ['contacts'], []],
    ['acme.mash.dlq.status-changes.v1', ['cases'], []],
    ['acme.mash.dlq.case-events.v1', ['escalations'], []],
    ['acme.mash.dlq.police.v1', ['connectors'], []],
    ['acme.mash.dlq.education.v1', ['connectors'], []],
    ['acme.mash.agency.police.tvp-niche.v1', [], ['connectors']],
    ['acme.mash.agency.health.a-new-system.v1', [], ['connectors']],
    ['mash.case-events.v1', [], []],
    ['other.mash.agency.police.tvp-niche.v1', [], []],
  ])('%s: written by %j, read by %j', (topic, writers, readers) => {
    expect(servicesAllowed('write', topic)).toEqual(writers);
    expect(servicesAllowed('read', topic)).toEqual(readers);
  });

  it('gives every internal topic exactly one writer', () => {
    for (const topic of platformTopics(prefix)) expect(servicesAllowed('write', topic)).toHaveLength(1);
  });

  it('lets each service consume only under its own group ids', () => {
    const groups = (service: PlatformService) =>
      grants[service].filter((g) => g.resource === 'group').map((g) => [g.name, g.pattern]);
    expect(groups('connectors')).toEqual([['acme.mash-connector-', 'prefixed']]);
    expect(groups('cases')).toEqual([['acme.mash-cases', 'literal']]);
    expect(groups('escalations')).toEqual([['acme.mash-escalations', 'literal']]);
    expect(groups('contacts')).toEqual([['acme.mash-contacts', 'literal']]);
    expect(groups('gateway')).toEqual([['acme.mash-gateway-live-', 'prefixed']]);
  });

  it('turns each grant into ALLOW bindings for the service’s own principal, nothing on the cluster', () => {
    const bindings = platformAclBindings(prefix);
    expect(bindings.filter((b) => b.principal === 'User:mash-cases')).toEqual(
      [
        ['acme.mash.status-changes.v1', AclOperationTypes.READ],
        ['acme.mash.status-changes.v1', AclOperationTypes.DESCRIBE],
        ['acme.mash.case-events.v1', AclOperationTypes.WRITE],
        ['acme.mash.case-events.v1', AclOperationTypes.DESCRIBE],
        ['acme.mash.dlq.status-changes.v1', AclOperationTypes.WRITE],
        ['acme.mash.dlq.status-changes.v1', AclOperationTypes.DESCRIBE],
      ]
        .map(([resourceName, operation]) => ({
          resourceType: AclResourceTypes.TOPIC,
          resourceName,
          resourcePatternType: ResourcePatternTypes.LITERAL,
          principal: 'User:mash-cases',
          host: '*',
          operation,
          permissionType: AclPermissionTypes.ALLOW,
        }))
        .concat({
          resourceType: AclResourceTypes.GROUP,
          resourceName: 'acme.mash-cases',
          resourcePatternType: ResourcePatternTypes.LITERAL,
          principal: 'User:mash-cases',
          host: '*',
          operation: AclOperationTypes.READ,
          permissionType: AclPermissionTypes.ALLOW,
        }),
    );
    expect(new Set(bindings.map((b) => b.principal))).toEqual(
      new Set(Object.values(PLATFORM_PRINCIPALS).map((p) => `User:${p}`)),
    );
    expect(bindings.some((b) => b.resourceType === AclResourceTypes.CLUSTER)).toBe(false);
  });
});
