/**
 * Kafka topic names. Every deployable takes a prefix (TOPIC_PREFIX) so that test runs and a running demo can
 * share a broker without colliding.
 */
export const AGENCY_FAMILIES = ['police', 'health', 'la-children', 'la-adults', 'education'] as const;
export type AgencyFamily = (typeof AGENCY_FAMILIES)[number];

export interface Topics {
  /** Raw CloudEvents published by one agency family's systems, keyed by the agency's subject identifier. */
  agency(family: AgencyFamily): string;
  /** Rejected raw events with their reason in headers; value is the original bytes. */
  deadLetter(family: AgencyFamily): string;
  /** Validated, normalised status changes (StatusChangeMessage), keyed by source identifier. */
  readonly statusChanges: string;
  /** Status changes matched to a case, with the case snapshot after applying them (CaseEventMessage), keyed by case id. */
  readonly caseEvents: string;
  /** Escalation lifecycle (EscalationEventMessage), keyed by escalation id. */
  readonly escalationEvents: string;
  /** Records of an internal stream (`status-changes`, `case-events`) that its consumer could never apply. */
  internalDeadLetter(stream: 'status-changes' | 'case-events'): string;
}

export function topics(prefix = ''): Topics {
  return {
    agency: (family) => `${prefix}mash.agency.${family}.v1`,
    deadLetter: (family) => `${prefix}mash.dlq.${family}.v1`,
    statusChanges: `${prefix}mash.status-changes.v1`,
    caseEvents: `${prefix}mash.case-events.v1`,
    escalationEvents: `${prefix}mash.escalation-events.v1`,
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
