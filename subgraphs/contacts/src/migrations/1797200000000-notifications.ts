import type { MigrationInterface, QueryRunner } from 'typeorm';
import { outboxDeadLetterTableSql, outboxTableSql } from '@mash/kafka';

const S = '"contacts"';

const UP = [
  // One person told about one escalation change; the id is derived from (event, recipient), and the pair is unique,
  // so a replayed event tells nobody twice.
  `CREATE TABLE ${S}."notification" (
    "id" uuid PRIMARY KEY,
    "recipient_id" uuid NOT NULL REFERENCES ${S}."contact" ("id") ON DELETE CASCADE,
    "partnership_id" uuid NOT NULL,
    "escalation_id" uuid NOT NULL,
    "event_id" text NOT NULL,
    "event_type" text NOT NULL,
    "reason" text NOT NULL CHECK ("reason" IN ('raiser', 'stage-owner', 'immediate-risk', 'partnership-chair')),
    "stage" integer NOT NULL,
    "message" text NOT NULL,
    "immediate_risk" boolean NOT NULL,
    "at" timestamptz NOT NULL,
    "created_at" timestamptz NOT NULL DEFAULT now(),
    "read_at" timestamptz,
    CONSTRAINT "notification_once_per_event_and_recipient" UNIQUE ("event_id", "recipient_id")
  )`,
  `CREATE INDEX "notification_by_recipient" ON ${S}."notification" ("recipient_id", "at" DESC, "id" DESC)`,
  `CREATE INDEX "notification_unread_by_recipient" ON ${S}."notification" ("recipient_id", "at" DESC, "id" DESC)
    WHERE "read_at" IS NULL`,
  // Escalation events already handled, by event id: a redelivered or replayed event changes nothing.
  `CREATE TABLE ${S}."inbox" (
    "message_id" text PRIMARY KEY,
    "processed_at" timestamptz NOT NULL
  )`,
  // Who raised each escalation, as decided when it was raised (for an automatic raise: the raising agency's owners
  // of the first stage), so that later events tell the same people.
  `CREATE TABLE ${S}."escalation_raiser" (
    "escalation_id" uuid PRIMARY KEY,
    "raiser_ids" uuid[] NOT NULL,
    "recorded_at" timestamptz NOT NULL
  )`,
  outboxTableSql('contacts'),
  outboxDeadLetterTableSql('contacts'),
];

const DOWN = [
  `DROP TABLE IF EXISTS ${S}."outbox_dead_letter"`,
  `DROP TABLE IF EXISTS ${S}."outbox"`,
  `DROP TABLE IF EXISTS ${S}."escalation_raiser"`,
  `DROP TABLE IF EXISTS ${S}."inbox"`,
  `DROP TABLE IF EXISTS ${S}."notification"`,
];

/** Notifications: who was told what about which escalation change, the inbox, the raisers, and the outbox. */
export class Notifications1797200000000 implements MigrationInterface {
  readonly name = 'Notifications1797200000000';

  async up(runner: QueryRunner): Promise<void> {
    for (const sql of UP) await runner.query(sql);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const sql of DOWN) await runner.query(sql);
  }
}
