/**
 * Kafka topic names. Every deployable takes a prefix (TOPIC_PREFIX) so that test runs and a running demo can
 * share a broker without colliding.
 */
export const AGENCY_FAMILIES = ['police', 'health', 'la-children', 'la-adults', 'education'] as const;
export type AgencyFamily = (typeof AGENCY_FAMILIES)[number];

/** A registered source system's code as it appears in topic names (`tvp-niche`). */
export const SOURCE_SYSTEM_CODE = /^[a-z0-9][a-z0-9-]*$/;

export interface Topics {
  /**
   * Raw CloudEvents published by one registered source system (an agency's case system), keyed by the agency's
   * subject identifier. One topic per source system, so the broker's ACLs let only that system's principal
   * write it, and the connector checks that every event on it names that source.
   */
  agency(family: AgencyFamily, sourceSystem: string): string;
  /** The address of a family's source-system topics with the code as an AsyncAPI parameter, for documents. */
  agencyTemplate(family: AgencyFamily): string;
  /** Every source system topic of a family (what a connector subscribes to). */
  agencyPattern(family: AgencyFamily): RegExp;
  /** The family and source system whose topic this is, or null for any other topic. */
  agencyTopic(topic: string): { readonly family: AgencyFamily; readonly sourceSystem: string } | null;
  /** Rejected raw events with their reason in headers; value is the original bytes. */
  deadLetter(family: AgencyFamily): string;
  /** Validated, normalised status changes (StatusChangeMessage), keyed by source identifier. */
  readonly statusChanges: string;
  /** Status changes matched to a case, with the case snapshot after applying them (CaseEventMessage), keyed by case id. */
  readonly caseEvents: string;
  /** Escalation lifecycle (EscalationEventMessage), keyed by escalation id. */
  readonly escalationEvents: string;
  /** People told about escalation changes (NotificationMessage), keyed by recipient contact id. */
  readonly notifications: string;
  /**
   * Records of an internal stream (`status-changes`, `case-events`, `escalation-events`) that its consumer could
   * never apply.
   */
  internalDeadLetter(stream: 'status-changes' | 'case-events' | 'escalation-events'): string;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function topics(prefix = ''): Topics {
  const pattern = (family: string) =>
    new RegExp(
      `^${escapeRegExp(prefix)}mash\\.agency\\.${escapeRegExp(family)}\\.([a-z0-9][a-z0-9-]*)\\.v1$`,
    );
  return {
    agency: (family, sourceSystem) => {
      if (!SOURCE_SYSTEM_CODE.test(sourceSystem))
        throw new Error(`"${sourceSystem}" is not a source system code`);
      return `${prefix}mash.agency.${family}.${sourceSystem}.v1`;
    },
    agencyTemplate: (family) => `${prefix}mash.agency.${family}.{sourceSystem}.v1`,
    agencyPattern: pattern,
    agencyTopic: (topic) => {
      for (const family of AGENCY_FAMILIES) {
        const match = pattern(family).exec(topic);
        if (match?.[1]) return { family, sourceSystem: match[1] };
      }
      return null;
    },
    deadLetter: (family) => `${prefix}mash.dlq.${family}.v1`,
    statusChanges: `${prefix}mash.status-changes.v1`,
    caseEvents: `${prefix}mash.case-events.v1`,
    escalationEvents: `${prefix}mash.escalation-events.v1`,
    notifications: `${prefix}mash.notifications.v1`,
    internalDeadLetter: (stream) => `${prefix}mash.dlq.${stream}.v1`,
  };
}

/** Headers written on a dead-letter record. */
export const DeadLetterHeaders = {
  code: 'mash-dlq-code',
  reason: 'mash-dlq-reason',
  sourceTopic: 'mash-dlq-source-topic',
  sourcePartition: 'mash-dlq-source-partition',
  sourceOffset: 'mash-dlq-source-offset',
  rejectedAt: 'mash-dlq-rejected-at',
} as const;
