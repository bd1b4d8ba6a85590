import type { SourceSystemPrincipal } from '@mash/kafka';
import { Demo, DemoLincolnshire } from '@mash/schema';

/**
 * The demo partnerships' source systems (MK Together's, then Lincolnshire's): each is a Kafka principal of its
 * own with its own agency topic, which only it may write (`provisionSourceSystems`). The connector consumes them by
 * its families' topic patterns, and looks each one up in the agencies subgraph, where both partnerships register
 * theirs.
 */
export const DEMO_SOURCE_SYSTEMS: readonly SourceSystemPrincipal[] = [
  ...[Demo, DemoLincolnshire].flatMap((p) => [
    { principal: p.sourceSystems.police.code, family: 'police' as const },
    { principal: p.sourceSystems.laChildren.code, family: 'la-children' as const },
    { principal: p.sourceSystems.health.code, family: 'health' as const },
    { principal: p.sourceSystems.education.code, family: 'education' as const },
  ]),
  { principal: Demo.sourceSystems.laAdults.code, family: 'la-adults' as const },
];

/** The source system code of a CloudEvent's `source` (`urn:mash:source:<code>`). */
export function sourceCodeOf(source: string): string {
  return source.replace(/^urn:mash:source:/, '');
}
