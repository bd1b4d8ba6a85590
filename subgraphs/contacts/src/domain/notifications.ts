import type { EscalationEventMessage, EscalationEventType, NotificationReason, Role } from '@mash/schema';
import type { ContactRecord } from './contact';
import { routeStage } from './routing';

/** One person to tell about one escalation change, and why. */
export interface Recipient {
  readonly contact: ContactRecord;
  readonly reason: NotificationReason;
}

/**
 * When a person is told for more than one reason, the strongest wins (one notification per person per event):
 * immediate risk asks the most of them, then the chair's decision on a lapsed last stage, then owning the stage,
 * then having raised it.
 */
export const REASON_STRENGTH: Readonly<Record<NotificationReason, number>> = {
  'immediate-risk': 4,
  'partnership-chair': 3,
  'stage-owner': 2,
  raiser: 1,
};

/**
 * The escalation changes people are told about: every transition. New evidence joining an open escalation is not a
 * transition (nothing is asked of anyone); the board shows it.
 */
export const NOTIFIED_EVENT_TYPES: ReadonlySet<EscalationEventType> = new Set<EscalationEventType>([
  'raised',
  'acknowledged',
  'meeting-recorded',
  'stage-advanced',
  'stage-lapsed',
  'panel-convened',
  'panel-decided',
  'resolved',
  'redirected',
  'learning-recorded',
]);

/** The parties an escalation event must carry for anyone to be told (older producers sent none). */
export interface EventParties {
  readonly raisingAgencyId: string;
  readonly receivingAgencyId: string;
  readonly stageOwnerRoles: readonly string[];
}

export function partiesOf(event: EscalationEventMessage): EventParties | null {
  const { raisingAgencyId, receivingAgencyId, stageOwnerRoles } = event;
  if (!raisingAgencyId || !receivingAgencyId || !stageOwnerRoles) return null;
  return { raisingAgencyId, receivingAgencyId, stageOwnerRoles };
}

const MASH_OFFICER: Role = 'mash-officer';
const SAFEGUARDING_LEAD: Role = 'designated-safeguarding-lead';
const CHAIR: Role = 'partnership-chair';

/**
 * Who raised the escalation, as recorded when it was raised: the person who raised it (when they are in the
 * partnership's directory) or, for an automatic raise, the raising agency's owners of the first stage (the event
 * of an automatic raise carries the first stage's owner roles). Later events name the person again (`raisedBy`);
 * for an automatic raise the list recorded here is what later events are told to.
 */
export function raisersAtRaise(
  event: EscalationEventMessage,
  directory: readonly ContactRecord[],
): ContactRecord[] {
  const parties = partiesOf(event);
  if (!parties) return [];
  if (typeof event.raisedBy === 'string') {
    const raiser = directory.find((c) => c.id === event.raisedBy && c.partnershipId === event.partnershipId);
    return raiser ? [raiser] : [];
  }
  // Raised by a person whom the event does not name (an older producer): nobody to record.
  if (event.raisedBy === undefined && event.autoRaised !== true) return [];
  return routeStage(
    {
      stage: event.stage,
      ownerRoles: parties.stageOwnerRoles,
      agencyIds: [parties.raisingAgencyId],
      partnershipId: event.partnershipId,
    },
    directory,
  );
}

/**
 * Everyone who must know about one escalation change, each once with the strongest reason (pure: the directory and
 * the escalation's recorded raisers are passed in):
 * - the raiser (`raisedBy`, or the raisers recorded at the raise for an automatic raise);
 * - the owners of the escalation's (new) stage in both agencies, through the directory's routing (duty cover
 *   first; partnership-level roles, the chair, at the last stage);
 * - at immediate risk, the partnership's MASH officers and both agencies' designated safeguarding leads;
 * - when the last stage lapsed, the partnership chair.
 * The person who made the change is not told of it. An event that is not a transition, or that carries no parties,
 * tells nobody.
 */
export function recipientsOf(
  event: EscalationEventMessage,
  directory: readonly ContactRecord[],
  recordedRaisers: readonly string[],
): Recipient[] {
  const parties = partiesOf(event);
  if (!parties || !NOTIFIED_EVENT_TYPES.has(event.type)) return [];
  const people = directory.filter((c) => c.partnershipId === event.partnershipId);
  const byId = new Map(people.map((c) => [c.id, c]));
  const chosen = new Map<string, Recipient>();
  const tell = (contact: ContactRecord | undefined, reason: NotificationReason) => {
    if (!contact || contact.id === event.actor) return;
    const already = chosen.get(contact.id);
    if (!already || REASON_STRENGTH[reason] > REASON_STRENGTH[already.reason]) {
      chosen.set(contact.id, { contact, reason });
    }
  };

  const raisers =
    typeof event.raisedBy === 'string'
      ? [event.raisedBy]
      : event.type === 'raised'
        ? raisersAtRaise(event, people).map((c) => c.id)
        : recordedRaisers;
  for (const id of raisers) tell(byId.get(id), 'raiser');

  const agencies = [parties.raisingAgencyId, parties.receivingAgencyId];
  const owners = routeStage(
    {
      stage: event.stage,
      ownerRoles: parties.stageOwnerRoles,
      agencyIds: agencies,
      partnershipId: event.partnershipId,
    },
    people,
  );
  for (const owner of owners) tell(owner, 'stage-owner');

  if (event.immediateRisk) {
    for (const c of people) {
      if (c.role === MASH_OFFICER || (c.role === SAFEGUARDING_LEAD && agencies.includes(c.agencyId))) {
        tell(c, 'immediate-risk');
      }
    }
  }
  if (event.type === 'stage-lapsed') {
    for (const c of people) if (c.role === CHAIR) tell(c, 'partnership-chair');
  }

  return [...chosen.values()].sort(
    (a, b) =>
      REASON_STRENGTH[b.reason] - REASON_STRENGTH[a.reason] ||
      a.contact.name.localeCompare(b.contact.name, 'en-GB') ||
      a.contact.id.localeCompare(b.contact.id),
  );
}
