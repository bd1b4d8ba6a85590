import type { EscalationEventType, NotificationReason } from '@mash/schema';

/** One person told about one escalation change, as stored and served. */
export interface NotificationRecord {
  /** Derived from (escalation event, recipient): the same event never tells the same person twice. */
  readonly id: string;
  readonly recipientId: string;
  readonly partnershipId: string;
  readonly escalationId: string;
  readonly eventId: string;
  readonly eventType: EscalationEventType;
  readonly reason: NotificationReason;
  readonly stage: number;
  readonly message: string;
  readonly immediateRisk: boolean;
  readonly at: Date;
  readonly readAt: Date | null;
}
