import type { EscalationEventType, NotificationReason } from '@mash/schema';
import { isUuid } from '@mash/service-kit';
import type { DataSource, EntityManager } from 'typeorm';
import type { NotificationRecord } from '../domain/notification';

const S = '"contacts"';

interface NotificationRow {
  id: string;
  recipient_id: string;
  partnership_id: string;
  escalation_id: string;
  event_id: string;
  event_type: EscalationEventType;
  reason: NotificationReason;
  stage: number;
  message: string;
  immediate_risk: boolean;
  at: Date;
  read_at: Date | null;
}

const COLUMNS = `"id", "recipient_id", "partnership_id", "escalation_id", "event_id", "event_type", "reason",
  "stage", "message", "immediate_risk", "at", "read_at"`;

function record(row: NotificationRow): NotificationRecord {
  return {
    id: row.id,
    recipientId: row.recipient_id,
    partnershipId: row.partnership_id,
    escalationId: row.escalation_id,
    eventId: row.event_id,
    eventType: row.event_type,
    reason: row.reason,
    stage: row.stage,
    message: row.message,
    immediateRisk: row.immediate_risk,
    at: row.at,
    readAt: row.read_at,
  };
}

/** Records these event ids as handled; returns those not handled before (a replay returns none). */
export async function claimInbox(
  m: EntityManager,
  eventIds: readonly string[],
  at: Date,
): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set();
  const rows = (await m.query(
    `INSERT INTO ${S}."inbox" ("message_id", "processed_at")
     SELECT DISTINCT unnest($1::text[]), $2::timestamptz
     ON CONFLICT DO NOTHING RETURNING "message_id"`,
    [eventIds, at],
  )) as { message_id: string }[];
  return new Set(rows.map((r) => r.message_id));
}

/** The raisers recorded for these escalations, by escalation id. */
export async function raisersOf(
  m: EntityManager,
  escalationIds: readonly string[],
): Promise<Map<string, string[]>> {
  const ids = [...new Set(escalationIds.filter(isUuid))];
  if (ids.length === 0) return new Map();
  const rows = (await m.query(
    `SELECT "escalation_id", "raiser_ids" FROM ${S}."escalation_raiser" WHERE "escalation_id" = ANY($1::uuid[])`,
    [ids],
  )) as { escalation_id: string; raiser_ids: string[] }[];
  return new Map(rows.map((r) => [r.escalation_id, r.raiser_ids]));
}

/** Records who raised each escalation; the first record stands. */
export async function recordRaisers(
  m: EntityManager,
  raisers: ReadonlyMap<string, readonly string[]>,
  at: Date,
): Promise<void> {
  if (raisers.size === 0) return;
  const entries = [...raisers.entries()];
  await m.query(
    `INSERT INTO ${S}."escalation_raiser" ("escalation_id", "raiser_ids", "recorded_at")
     SELECT "escalation_id", ARRAY(SELECT jsonb_array_elements_text("ids"))::uuid[], $3::timestamptz
       FROM unnest($1::uuid[], $2::jsonb[]) AS r("escalation_id", "ids")
     ON CONFLICT ("escalation_id") DO NOTHING`,
    [entries.map(([id]) => id), entries.map(([, ids]) => JSON.stringify(ids)), at],
  );
}

/** Inserts notifications with one statement; returns the ids inserted (one already there is left as it was). */
export async function insertNotifications(
  m: EntityManager,
  rows: readonly Omit<NotificationRecord, 'readAt'>[],
): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const inserted = (await m.query(
    `INSERT INTO ${S}."notification" ("id", "recipient_id", "partnership_id", "escalation_id", "event_id",
       "event_type", "reason", "stage", "message", "immediate_risk", "at")
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[],
       $8::int[], $9::text[], $10::boolean[], $11::timestamptz[])
     ON CONFLICT DO NOTHING RETURNING "id"`,
    [
      rows.map((r) => r.id),
      rows.map((r) => r.recipientId),
      rows.map((r) => r.partnershipId),
      rows.map((r) => r.escalationId),
      rows.map((r) => r.eventId),
      rows.map((r) => r.eventType),
      rows.map((r) => r.reason),
      rows.map((r) => r.stage),
      rows.map((r) => r.message),
      rows.map((r) => r.immediateRisk),
      rows.map((r) => r.at),
    ],
  )) as { id: string }[];
  return new Set(inserted.map((r) => r.id));
}

/** A person's notifications: read, listed newest first, marked read. Only ever one recipient's at a time. */
export class NotificationRepository {
  constructor(private readonly dataSource: DataSource) {}

  async byId(id: string): Promise<NotificationRecord | null> {
    if (!isUuid(id)) return null;
    const [row] = (await this.dataSource.query(`SELECT ${COLUMNS} FROM ${S}."notification" WHERE "id" = $1`, [
      id,
    ])) as NotificationRow[];
    return row ? record(row) : null;
  }

  /**
   * A page of the recipient's notifications, newest first (`first + 1` rows, so the caller knows whether more
   * follow); `afterId` continues after that notification in the same order.
   */
  async page(
    recipientId: string,
    options: { readonly unreadOnly: boolean; readonly first: number; readonly afterId?: string },
  ): Promise<NotificationRecord[]> {
    if (!isUuid(recipientId)) return [];
    const rows = (await this.dataSource.query(
      `SELECT ${COLUMNS} FROM ${S}."notification" n
        WHERE n."recipient_id" = $1
          AND ($2::boolean IS FALSE OR n."read_at" IS NULL)
          AND ($3::uuid IS NULL OR (n."at", n."id") < (
            SELECT c."at", c."id" FROM ${S}."notification" c WHERE c."id" = $3 AND c."recipient_id" = $1))
        ORDER BY n."at" DESC, n."id" DESC
        LIMIT $4`,
      [recipientId, options.unreadOnly, options.afterId ?? null, options.first + 1],
    )) as NotificationRow[];
    return rows.map(record);
  }

  async unreadCount(recipientId: string): Promise<number> {
    if (!isUuid(recipientId)) return 0;
    const [row] = (await this.dataSource.query(
      `SELECT count(*)::int AS "n" FROM ${S}."notification" WHERE "recipient_id" = $1 AND "read_at" IS NULL`,
      [recipientId],
    )) as { n: number }[];
    return row?.n ?? 0;
  }

  /** Marks the recipient's notification read (kept as first read); null when it is not theirs or not there. */
  async markRead(id: string, recipientId: string, at: Date): Promise<NotificationRecord | null> {
    if (!isUuid(id) || !isUuid(recipientId)) return null;
    const [rows] = (await this.dataSource.query(
      `UPDATE ${S}."notification" SET "read_at" = coalesce("read_at", $3)
        WHERE "id" = $1 AND "recipient_id" = $2 RETURNING ${COLUMNS}`,
      [id, recipientId, at],
    )) as [NotificationRow[], number];
    const row = rows[0];
    return row ? record(row) : null;
  }

  /** Marks every unread notification of the recipient read; returns how many. */
  async markAllRead(recipientId: string, at: Date): Promise<number> {
    if (!isUuid(recipientId)) return 0;
    const [, count] = (await this.dataSource.query(
      `UPDATE ${S}."notification" SET "read_at" = $2 WHERE "recipient_id" = $1 AND "read_at" IS NULL`,
      [recipientId, at],
    )) as [unknown, number];
    return count;
  }
}
