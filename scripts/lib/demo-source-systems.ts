import type { SourceSystemPrincipal } from '@mash/kafka';
import { Demo } from '@mash/schema';

/**
 * The demo partnership's source systems: each is a Kafka principal of its own with its own agency topic, which
 * only it may write (`provisionSourceSystems`).
 */
export const DEMO_SOURCE_SYSTEMS: readonly SourceSystemPrincipal[] = [
  { principal: Demo.sourceSystems.police.code, family: 'police' },
  { principal: Demo.sourceSystems.laChildren.code, family: 'la-children' },
  { principal: Demo.sourceSystems.laAdults.code, family: 'la-adults' },
  { principal: Demo.sourceSystems.health.code, family: 'health' },
  { principal: Demo.sourceSystems.education.code, family: 'education' },
];

/** The source system code of a CloudEvent's `source` (`urn:mash:source:<code>`). */
export function sourceCodeOf(source: string): string {
  return source.replace(/^urn:mash:source:/, '');
}
