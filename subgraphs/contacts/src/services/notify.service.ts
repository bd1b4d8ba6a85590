import type { EscalationEventMessage, NotificationMessage } from '@mash/schema';
import { enqueueOutbox, type OutboxMessage } from '@mash/kafka';
import { uuidFromName, type Logger } from '@mash/service-kit';
import type { DataSource } from 'typeorm';
import type { NotificationRecord } from '../domain/notification';
import { notificationWords } from '../domain/notification-words';
import { NOTIFIED_EVENT_TYPES, raisersAtRaise, recipientsOf } from '../domain/notifications';
import { directoriesOf } from '../repositories/directory.repository';
import {
  claimInbox,
  insertNotifications,
  raisersOf,
  recordRaisers,
} from '../repositories/notification.repository';

export const CONTACTS_DB_SCHEMA = 'contacts';

export interface NotifierDeps {
  readonly dataSource: DataSource;
  /** The notifications topic. */
  readonly topic: string;
  readonly logger: Logger;
  /** Called after a commit that enqueued notifications (wake the outbox relay). */
  readonly afterCommit?: (notifications: number) => void;
}

export interface NotifyResult {
  /** The event had been handled before: nothing changed. */
  readonly replay: boolean;
  /** People told about this event. */
  readonly notified: number;
}

/** The deterministic id of the notification telling `recipientId` about escalation event `eventId`. */
export function notificationId(eventId: string, recipientId: string): string {
  return uuidFromName(`notification:${eventId}:${recipientId}`);
}

/**
 * Tells everyone who must know about escalation changes. A batch of escalation events in one transaction: the inbox
 * (event ids, so a replay changes nothing), the raisers of newly raised escalations, the notification rows and
 * their NotificationMessages in the outbox (the relay publishes them to the notifications topic, keyed by
 * recipient). Recipients are decided here, from the directory this subgraph owns: no call to another service.
 * Escalation events exist only for committed changes (the escalations outbox), so nobody is told of a change that
 * rolled back.
 */
export class Notifier {
  private readonly log: Logger;

  constructor(private readonly deps: NotifierDeps) {
    this.log = deps.logger.child({ component: 'notifier' });
  }

  async handle(event: EscalationEventMessage): Promise<NotifyResult> {
    const [result] = await this.handleBatch([event]);
    return result!;
  }

  async handleBatch(batch: readonly EscalationEventMessage[]): Promise<NotifyResult[]> {
    if (batch.length === 0) return [];
    const now = new Date();
    const { results, notified } = await this.deps.dataSource.transaction(async (m) => {
      const fresh = await claimInbox(
        m,
        batch.map((e) => e.id),
        now,
      );
      // The first time this batch meets each id (a batch may carry a redelivered record twice).
      const applies = batch.map((e) => fresh.delete(e.id));
      const relevant = batch.filter((e, i) => applies[i] && NOTIFIED_EVENT_TYPES.has(e.type));
      const directory = await directoriesOf(m, [...new Set(relevant.map((e) => e.partnershipId))]);
      const recorded = await raisersOf(
        m,
        relevant.filter((e) => e.type !== 'raised').map((e) => e.escalationId),
      );
      const newRaisers = new Map<string, string[]>();
      const rows: Omit<NotificationRecord, 'readAt'>[] = [];
      const counts = batch.map((e, i): NotifyResult => {
        if (!applies[i]) return { replay: true, notified: 0 };
        if (!NOTIFIED_EVENT_TYPES.has(e.type)) return { replay: false, notified: 0 };
        if (e.type === 'raised' && !recorded.has(e.escalationId)) {
          const raisers = raisersAtRaise(e, directory).map((c) => c.id);
          recorded.set(e.escalationId, raisers);
          newRaisers.set(e.escalationId, raisers);
        }
        const recipients = recipientsOf(e, directory, recorded.get(e.escalationId) ?? []);
        if (recipients.length === 0 && !e.raisingAgencyId) {
          this.log.warn({ eventId: e.id, type: e.type }, 'escalation event carries no parties: nobody told');
        }
        for (const r of recipients) {
          rows.push({
            id: notificationId(e.id, r.contact.id),
            recipientId: r.contact.id,
            partnershipId: e.partnershipId,
            escalationId: e.escalationId,
            eventId: e.id,
            eventType: e.type,
            reason: r.reason,
            stage: e.stage,
            message: notificationWords(e, r.reason),
            immediateRisk: e.immediateRisk === true,
            at: new Date(e.at),
          });
        }
        return { replay: false, notified: recipients.length };
      });
      await recordRaisers(m, newRaisers, now);
      const inserted = await insertNotifications(m, rows);
      const messages = rows.filter((r) => inserted.has(r.id)).map((r) => this.message(r));
      await enqueueOutbox(m, CONTACTS_DB_SCHEMA, messages);
      return { results: counts, notified: messages.length };
    });
    results.forEach((r, i) =>
      this.log.debug({ eventId: batch[i]!.id, ...r }, 'escalation event handled for notifications'),
    );
    if (notified > 0) this.deps.afterCommit?.(notified);
    return results;
  }

  private message(r: Omit<NotificationRecord, 'readAt'>): OutboxMessage {
    const value: NotificationMessage = {
      id: r.id,
      recipientId: r.recipientId,
      partnershipId: r.partnershipId,
      escalationId: r.escalationId,
      eventId: r.eventId,
      eventType: r.eventType,
      reason: r.reason,
      stage: r.stage,
      message: r.message,
      immediateRisk: r.immediateRisk,
      at: r.at.toISOString(),
    };
    return {
      topic: this.deps.topic,
      key: r.recipientId,
      value,
      headers: { 'mash-notification-id': r.id, 'mash-event-type': r.eventType },
    };
  }
}
