import { messageJsonSchema, notificationMessageSchema, topics, type NotificationMessage } from '@mash/schema';

/** The AsyncAPI parts of the notifications topic: the platform's hand-off to email and SMS delivery. */
export interface NotificationsChannel {
  readonly channel: Record<string, unknown>;
  readonly operation: Record<string, unknown>;
  readonly message: Record<string, unknown>;
  readonly schema: Record<string, unknown>;
}

export const NOTIFICATION_MESSAGE = 'notification';

const EXAMPLE: NotificationMessage = {
  id: '3f1c2b9a-6d2e-5c4f-9a1b-7e8d9c0a1b2c',
  recipientId: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e43',
  partnershipId: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e01',
  escalationId: '8c2d7e4f-1a3b-4c5d-9e6f-0a1b2c3d4e5f',
  eventId: 'b7a6c5d4-e3f2-4a1b-8c9d-0e1f2a3b4c5d',
  eventType: 'stage-advanced',
  reason: 'stage-owner',
  stage: 2,
  message:
    "The threshold disagreement escalation moved to stage 2 because the previous stage's deadline passed unresolved. You now own this stage: meet your counterpart in the other agency and record the decision and its rationale.",
  immediateRisk: false,
  at: '2026-11-27T10:30:00.000Z',
};

const uuid = (description: string) => ({ type: 'string', format: 'uuid', description });

/**
 * A JSON Schema as the document shows it: where a `format` names the rule (`uuid`, `date-time`, which RFC 3339
 * holds to real calendar days), the pattern the validator checks it with is left out, and so is the safe-integer
 * bound zod puts on every integer.
 */
function documented(schema: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'pattern' && typeof schema['format'] === 'string') continue;
    if (key === 'maximum' && value === Number.MAX_SAFE_INTEGER) continue;
    out[key] =
      typeof value === 'object' && value !== null && !Array.isArray(value)
        ? documented(value as Record<string, unknown>)
        : value;
  }
  return out;
}

/**
 * The channel, its message (NotificationMessage as a JSON Schema generated from the zod schema the platform's own
 * consumers validate with, with an example) and the platform's operation.
 */
export function notificationsChannel(prefix = ''): NotificationsChannel {
  const address = topics(prefix).notifications;
  const schema = documented(messageJsonSchema(notificationMessageSchema, 'output'));
  return {
    schema,
    message: {
      name: NOTIFICATION_MESSAGE,
      title: 'Notification',
      summary:
        'One person told about one escalation change. Holds no personal data about the subject: the escalation is named by id.',
      contentType: 'application/json',
      payload: { $ref: `#/components/schemas/${NOTIFICATION_MESSAGE}` },
      bindings: {
        kafka: {
          key: uuid('The recipient’s contact id, so one person’s notifications stay in order.'),
          bindingVersion: '0.5.0',
        },
      },
      examples: [
        {
          name: 'stage-advanced',
          summary: 'A line manager told that a stage passed to them',
          payload: EXAMPLE,
        },
      ],
    },
    channel: {
      address,
      title: 'Notifications',
      description:
        'Everyone who must know about an escalation change, one record per person and change, written by the contacts subgraph through its transactional outbox (at least once; ids are deterministic). The hand-off to email and SMS delivery, which are out of scope.',
      messages: { [NOTIFICATION_MESSAGE]: { $ref: `#/components/messages/${NOTIFICATION_MESSAGE}` } },
      bindings: { kafka: { topic: address, bindingVersion: '0.5.0' } },
    },
    operation: {
      action: 'send',
      title: 'Tell people about escalation changes',
      summary:
        'The contacts subgraph decides who must know from its directory (the raiser, the stage owners of both agencies, at immediate risk MASH and the safeguarding leads, the chair on a lapsed last stage) and publishes one record each.',
      channel: { $ref: '#/channels/notifications' },
      messages: [{ $ref: `#/channels/notifications/messages/${NOTIFICATION_MESSAGE}` }],
    },
  };
}
