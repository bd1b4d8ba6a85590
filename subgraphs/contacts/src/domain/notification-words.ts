import type { EscalationEventMessage, EscalationEventType, NotificationReason } from '@mash/schema';

/**
 * The words of a notification: what changed and what is asked of the person. Built only from the event's coded
 * fields (type, ground, stage, immediate risk, cause), never from its free-text rationale, so a notification carries
 * no personal data about the subject: the escalation is named by id, the person reads it through the graph.
 */
export function notificationWords(
  event: Pick<EscalationEventMessage, 'type' | 'ground' | 'stage' | 'immediateRisk' | 'autoRaised' | 'cause'>,
  reason: NotificationReason,
): string {
  const what = event.ground ? `${event.ground.replace(/-/g, ' ')} escalation` : 'escalation';
  const changed = CHANGED[event.type](what, event);
  const ask = ASKED[event.type][reason] ?? DEFAULT_ASK[reason];
  const urgent = event.immediateRisk ? 'Immediate risk: ' : '';
  const emergency =
    event.immediateRisk && reason === 'immediate-risk'
      ? ' Emergency action comes first: this record never stands in for it.'
      : '';
  return `${urgent}${changed} ${ask}${emergency}`;
}

type Changed = (
  what: string,
  event: Pick<EscalationEventMessage, 'stage' | 'autoRaised' | 'cause'>,
) => string;

const CHANGED: Readonly<Record<EscalationEventType, Changed>> = {
  raised: (what, e) =>
    `${capital(article(what))} was raised${e.autoRaised ? ' automatically' : ''} at stage ${e.stage}.`,
  'evidence-added': (what, e) => `New evidence joined the ${what} at stage ${e.stage}.`,
  acknowledged: (what, e) => `The receiving agency acknowledged the ${what} at stage ${e.stage}.`,
  'meeting-recorded': (what, e) => `A discussion or meeting was recorded on the ${what} at stage ${e.stage}.`,
  'stage-advanced': (what, e) =>
    e.cause === 'deadline'
      ? `The ${what} moved to stage ${e.stage} because the previous stage's deadline passed unresolved.`
      : `The ${what} was moved to stage ${e.stage}.`,
  'stage-lapsed': (what, e) =>
    `The ${what} passed the deadline of its last stage (stage ${e.stage}) unresolved.`,
  'panel-convened': (what) => `The partnership chair convened a resolution panel on the ${what}.`,
  'panel-decided': (what) => `The resolution panel recorded its decision on the ${what}.`,
  resolved: (what, e) => `The ${what} was resolved at stage ${e.stage}.`,
  redirected: (what) => `The ${what} was closed and redirected to another route.`,
  'learning-recorded': (what) => `Learning from the ${what} was recorded.`,
};

const DEFAULT_ASK: Readonly<Record<NotificationReason, string>> = {
  raiser: 'You raised it: read the record, which is shared with you.',
  'stage-owner': 'You own this stage: read the record and act on it.',
  'immediate-risk': 'You are told because the subject is at immediate risk: read it now.',
  'partnership-chair': 'As partnership chair, read the record.',
};

const ASKED: Readonly<Record<EscalationEventType, Partial<Record<NotificationReason, string>>>> = {
  raised: {
    raiser: 'You will be told of every decision recorded on it.',
    'stage-owner':
      'You own this stage: the receiving agency acknowledges it, then talk to your counterpart in the other agency and record what is agreed.',
  },
  'evidence-added': {},
  acknowledged: {
    raiser: 'You will be told of every decision recorded on it.',
    'stage-owner': 'You own this stage: discuss it with the other agency and record what is agreed.',
  },
  'meeting-recorded': {
    raiser: 'Read what was agreed: the record is shared with you.',
    'stage-owner': 'Read what was agreed and carry out your part.',
  },
  'stage-advanced': {
    raiser: 'You will be told of every decision recorded at this stage.',
    'stage-owner':
      'You now own this stage: meet your counterpart in the other agency and record the decision and its rationale.',
  },
  'stage-lapsed': {
    'partnership-chair':
      'It is flagged to you as partnership chair: decide whether to convene a resolution panel.',
    'stage-owner': 'It has been flagged to the partnership chair.',
  },
  'panel-convened': {
    'stage-owner': "Be ready to give your agency's position to the panel.",
    raiser: 'You will be told of its decision.',
  },
  'panel-decided': {
    'stage-owner': 'Read the decision and act on it.',
    raiser: 'Read the decision: it is shared with you.',
  },
  resolved: {
    raiser: 'Read the outcome and how outstanding issues will be pursued.',
    'stage-owner': 'Carry out the agreed outcome and pursue outstanding issues as recorded.',
  },
  redirected: {
    raiser: 'Read where it was redirected and follow that route.',
    'stage-owner': 'Read where it was redirected; no further action is asked of you here.',
  },
  'learning-recorded': {
    raiser: 'Read the learning and the debrief.',
    'stage-owner': 'Read the learning and the debrief.',
  },
};

function article(words: string): string {
  return /^[aeiou]/i.test(words) ? `an ${words}` : `a ${words}`;
}

function capital(words: string): string {
  return words.charAt(0).toUpperCase() + words.slice(1);
}
