import { registerEnumType } from 'type-graphql';

/** GraphQL names (SCREAMING_SNAKE) for why a person is told; values are the contract's (`NotificationReason`). */
export enum NotificationReasonValue {
  RAISER = 'raiser',
  STAGE_OWNER = 'stage-owner',
  IMMEDIATE_RISK = 'immediate-risk',
  PARTNERSHIP_CHAIR = 'partnership-chair',
}

/** GraphQL names for the escalation change a notification tells of; values are the contract's event types. */
export enum NotificationEventTypeValue {
  RAISED = 'raised',
  EVIDENCE_ADDED = 'evidence-added',
  ACKNOWLEDGED = 'acknowledged',
  MEETING_RECORDED = 'meeting-recorded',
  STAGE_ADVANCED = 'stage-advanced',
  STAGE_LAPSED = 'stage-lapsed',
  PANEL_CONVENED = 'panel-convened',
  PANEL_DECIDED = 'panel-decided',
  RESOLVED = 'resolved',
  REDIRECTED = 'redirected',
  LEARNING_RECORDED = 'learning-recorded',
}

registerEnumType(NotificationReasonValue, {
  name: 'NotificationReason',
  description:
    'Why the person is told: they raised the escalation, own its stage, are told of an immediate risk, or chair the partnership (a lapsed last stage).',
});
registerEnumType(NotificationEventTypeValue, {
  name: 'NotificationEventType',
  description: 'The escalation change the notification tells of.',
});
