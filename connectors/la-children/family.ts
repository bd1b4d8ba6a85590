import type { ContactOutcome, PlanActionFacts, ReferralOutcome, StatusFacts, Threshold } from '@mash/schema';
import {
  eventData,
  identifiersOf,
  occurredAt,
  type FamilyDefinition,
  type MappedStatusChange,
} from '../runtime/family';
import {
  LA_CHILDREN_EVENT_TYPES,
  type CaseClosedData,
  type ClosureReason,
  type ConferenceHeldData,
  type ContactOutcomeData,
  type CoreGroupHeldData,
  type LaChildrenPlanKind,
  type NoAccessReason,
  type PlanActionCreatedData,
  type PlanActionDoneData,
  type PlanActionUpdatedData,
  type PlanEndedData,
  type PlanEndReason,
  type PlanStartedData,
  type ReferralOutcomeData,
  type ReferrerAgency,
  type StrategyDiscussionOutcomeData,
  type VisitDoneData,
  type VisitNoAccessData,
} from './events';
import type { CloudEvent } from '@mash/schema';

const OUTCOME_WORDS: Record<ReferralOutcome, string> = {
  'no-further-action': 'Referral closed with no further action',
  'early-help': 'Referral stepped down to early help',
  'child-in-need': 'Referral accepted for a child in need assessment (s17)',
  'strategy-discussion': 'Referral progressed to a strategy discussion',
  'child-protection': 'Referral progressed to child protection enquiries (s47)',
};

const AGENCY_WORDS: Record<ReferrerAgency, string> = {
  police: 'police',
  health: 'health',
  'la-children': "children's social care",
  'la-adults': 'adult social care',
  education: 'education',
  probation: 'probation',
  housing: 'housing',
  voluntary: 'a voluntary organisation',
};

const CLOSURE_WORDS: Record<ClosureReason, string> = {
  'no-further-action': 'no further action',
  'stepped-down-to-early-help': 'stepped down to early help',
  'needs-met': 'needs met',
  'transferred-to-another-authority': 'transferred to another authority',
  'moved-away': 'moved away',
  other: 'other reasons',
};

const CONTACT_OUTCOME_WORDS: Record<ContactOutcome, string> = {
  'no-further-action': 'Contact closed with no further action',
  'information-and-advice': 'Contact closed with information and advice',
  'early-help': 'Contact stepped down to early help',
  referral: "Contact progressed to a referral to children's social care",
};

/**
 * The threshold a contact's outcome states, where it clearly states one: information and advice, or no further
 * action, leave the child with universal services (as a referral closed with no further action does); early help
 * is early help. A referral states none: the assessment that follows decides, and its outcome is published as
 * `uk.mash.la-children.referral-outcome.v1`.
 */
export const THRESHOLD_OF_CONTACT_OUTCOME: Readonly<Partial<Record<ContactOutcome, Threshold>>> = {
  'no-further-action': 'universal',
  'information-and-advice': 'universal',
  'early-help': 'early-help',
};

/** A plan puts the local authority at its threshold: a child protection plan at s47, a child in need plan at s17. */
export const THRESHOLD_OF_PLAN: Readonly<Record<LaChildrenPlanKind, Threshold>> = {
  'child-protection': 'child-protection',
  'child-in-need': 'child-in-need',
};

/** The threshold a plan's ending states: only a step down names the level the child steps down to. */
export const THRESHOLD_OF_PLAN_END: Readonly<Partial<Record<PlanEndReason, Threshold>>> = {
  'stepped-down-to-child-in-need': 'child-in-need',
  'stepped-down-to-early-help': 'early-help',
};

const PLAN_WORDS: Record<LaChildrenPlanKind, string> = {
  'child-protection': 'Child protection plan',
  'child-in-need': 'Child in need plan',
};

const PLAN_END_WORDS: Record<PlanEndReason, string> = {
  'stepped-down-to-child-in-need': 'stepped down to child in need',
  'stepped-down-to-early-help': 'stepped down to early help',
  'needs-met': 'needs met',
  'moved-away': 'moved away',
  'transferred-to-another-authority': 'transferred to another authority',
  other: 'other reasons',
};

const NO_ACCESS_WORDS: Record<NoAccessReason, string> = {
  'no-answer': 'no answer',
  'access-refused': 'access refused',
  'child-not-seen': 'child not seen',
};

const withReference = (reference: string | undefined): Pick<StatusFacts, 'reference'> =>
  reference === undefined ? {} : { reference };

const withThreshold = (threshold: Threshold | undefined): Pick<StatusFacts, 'threshold'> =>
  threshold === undefined ? {} : { threshold };

type PlanActionData = PlanActionCreatedData | PlanActionUpdatedData | PlanActionDoneData;

/** A plan-action status change: the action as it stands after the event. The description stays out of the summary. */
function planActionChange(
  event: CloudEvent,
  data: PlanActionData,
  status: PlanActionFacts['status'],
  at: string,
  verb: string,
): MappedStatusChange {
  const planAction: PlanActionFacts = {
    planRef: data.planRef,
    ref: data.actionRef,
    status,
    dueDate: data.dueDate ?? null,
    description: data.description,
    ...(data.ownerAgencyType !== undefined && { ownerAgencyType: data.ownerAgencyType }),
  };
  const owner = data.ownerAgencyType ? `, owned by ${AGENCY_WORDS[data.ownerAgencyType]}` : '';
  const due =
    status === 'done' ? '' : data.dueDate !== undefined ? `, due by ${data.dueDate}` : ', no due date set';
  return {
    ...identifiersOf(data),
    kind: 'plan-action',
    facts: { planAction, reference: data.actionRef },
    summary: `Plan action ${verb}${owner}${due}`,
    occurredAt: occurredAt(event, at),
  };
}

function visitChange(
  event: CloudEvent,
  data: VisitDoneData,
  outcome: 'seen' | 'no-access',
  reason: NoAccessReason | undefined,
): MappedStatusChange {
  const visit = data.plan ? `${PLAN_WORDS[data.plan.kind]} visit` : 'Visit';
  const result =
    outcome === 'seen' ? 'child seen' : `no access${reason ? ` (${NO_ACCESS_WORDS[reason]})` : ''}`;
  return {
    ...identifiersOf(data),
    kind: 'visit',
    facts: {
      visit: { outcome },
      ...(data.plan && { plan: { ref: data.plan.ref, kind: data.plan.kind } }),
      ...withReference(data.visitRef),
    },
    summary: `${visit}: ${result}`,
    occurredAt: occurredAt(event, data.visitedAt),
  };
}

function conferenceChange(event: CloudEvent, type: 'initial' | 'review'): MappedStatusChange {
  const data = eventData<ConferenceHeldData>(event);
  const decision =
    type === 'initial'
      ? data.planDecided
        ? 'child protection plan decided'
        : 'no child protection plan'
      : data.planDecided
        ? 'plan to continue'
        : 'plan to end';
  return {
    ...identifiersOf(data),
    kind: 'child-protection-conference',
    facts: {
      conference: { type, planDecided: data.planDecided },
      ...withThreshold(data.planDecided ? 'child-protection' : undefined),
      reference: data.conferenceRef,
    },
    summary: `${type === 'initial' ? 'Initial' : 'Review'} child protection conference held: ${decision}`,
    occurredAt: occurredAt(event, data.heldAt),
  };
}

export const laChildrenFamily: FamilyDefinition = {
  family: 'la-children',
  identifierSystems: ['la-person-id'],
  mappers: {
    [LA_CHILDREN_EVENT_TYPES.referralOutcome]: (event) => {
      const data = eventData<ReferralOutcomeData>(event);
      const referrer = data.referrerAgency ? ` (referred by ${AGENCY_WORDS[data.referrerAgency]})` : '';
      return {
        ...identifiersOf(data),
        kind: 'referral-outcome',
        facts: { referralOutcome: data.outcome, reference: data.referralRef },
        summary: `${OUTCOME_WORDS[data.outcome]}${referrer}`,
        occurredAt: occurredAt(event, data.decidedAt),
      };
    },
    [LA_CHILDREN_EVENT_TYPES.caseClosed]: (event) => {
      const data = eventData<CaseClosedData>(event);
      const reason = data.closureReason ? `: ${CLOSURE_WORDS[data.closureReason]}` : '';
      return {
        ...identifiersOf(data),
        kind: 'case-closed',
        facts: { closed: true, reference: data.caseRef },
        summary: `Children's social care case closed${reason}`,
        occurredAt: occurredAt(event, data.closedAt),
      };
    },
    [LA_CHILDREN_EVENT_TYPES.contactOutcome]: (event) => {
      const data = eventData<ContactOutcomeData>(event);
      const from = data.referrerAgency ? ` (contact from ${AGENCY_WORDS[data.referrerAgency]})` : '';
      return {
        ...identifiersOf(data),
        kind: 'contact-outcome',
        facts: {
          contactOutcome: data.outcome,
          ...withThreshold(THRESHOLD_OF_CONTACT_OUTCOME[data.outcome]),
          reference: data.contactRef,
        },
        summary: `${CONTACT_OUTCOME_WORDS[data.outcome]}${from}`,
        occurredAt: occurredAt(event, data.decidedAt),
      };
    },
    [LA_CHILDREN_EVENT_TYPES.strategyDiscussionOutcome]: (event) => {
      const data = eventData<StrategyDiscussionOutcomeData>(event);
      return {
        ...identifiersOf(data),
        kind: 'strategy-discussion',
        facts: {
          s47Started: data.s47Started,
          ...withThreshold(data.s47Started ? 'child-protection' : undefined),
          reference: data.discussionRef,
        },
        summary: data.s47Started
          ? 'Strategy discussion held: s47 enquiry started'
          : 'Strategy discussion held: no s47 enquiry',
        occurredAt: occurredAt(event, data.heldAt),
      };
    },
    [LA_CHILDREN_EVENT_TYPES.initialConferenceHeld]: (event) => conferenceChange(event, 'initial'),
    [LA_CHILDREN_EVENT_TYPES.reviewConferenceHeld]: (event) => conferenceChange(event, 'review'),
    [LA_CHILDREN_EVENT_TYPES.coreGroupHeld]: (event) => {
      const data = eventData<CoreGroupHeldData>(event);
      return {
        ...identifiersOf(data),
        kind: 'core-group',
        // Core groups work to child protection plans only.
        facts: {
          ...(data.planRef !== undefined && { plan: { ref: data.planRef, kind: 'child-protection' } }),
          ...withReference(data.meetingRef),
        },
        summary: 'Core group meeting held',
        occurredAt: occurredAt(event, data.heldAt),
      };
    },
    [LA_CHILDREN_EVENT_TYPES.planStarted]: (event) => {
      const data = eventData<PlanStartedData>(event);
      const visits =
        data.visitFrequencyDays === undefined
          ? ''
          : ` (visits at least every ${data.visitFrequencyDays} day${data.visitFrequencyDays === 1 ? '' : 's'})`;
      return {
        ...identifiersOf(data),
        kind: 'plan-started',
        facts: {
          plan: {
            ref: data.planRef,
            kind: data.planKind,
            ...(data.visitFrequencyDays !== undefined && { visitFrequencyDays: data.visitFrequencyDays }),
          },
          threshold: THRESHOLD_OF_PLAN[data.planKind],
          reference: data.planRef,
        },
        summary: `${PLAN_WORDS[data.planKind]} started${visits}`,
        occurredAt: occurredAt(event, data.startedAt),
      };
    },
    [LA_CHILDREN_EVENT_TYPES.planEnded]: (event) => {
      const data = eventData<PlanEndedData>(event);
      return {
        ...identifiersOf(data),
        kind: 'plan-ended',
        facts: {
          plan: { ref: data.planRef, kind: data.planKind },
          ...withThreshold(data.endReason && THRESHOLD_OF_PLAN_END[data.endReason]),
          reference: data.planRef,
        },
        summary: `${PLAN_WORDS[data.planKind]} ended${data.endReason ? `: ${PLAN_END_WORDS[data.endReason]}` : ''}`,
        occurredAt: occurredAt(event, data.endedAt),
      };
    },
    [LA_CHILDREN_EVENT_TYPES.planActionCreated]: (event) => {
      const data = eventData<PlanActionCreatedData>(event);
      return planActionChange(event, data, 'open', data.createdAt, 'added');
    },
    [LA_CHILDREN_EVENT_TYPES.planActionUpdated]: (event) => {
      const data = eventData<PlanActionUpdatedData>(event);
      return planActionChange(event, data, 'open', data.updatedAt, 'updated');
    },
    [LA_CHILDREN_EVENT_TYPES.planActionDone]: (event) => {
      const data = eventData<PlanActionDoneData>(event);
      return planActionChange(event, data, 'done', data.doneAt, 'done');
    },
    [LA_CHILDREN_EVENT_TYPES.visitDone]: (event) =>
      visitChange(event, eventData<VisitDoneData>(event), 'seen', undefined),
    [LA_CHILDREN_EVENT_TYPES.visitNoAccess]: (event) => {
      const data = eventData<VisitNoAccessData>(event);
      return visitChange(event, data, 'no-access', data.reason);
    },
  },
};
