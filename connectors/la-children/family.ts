import type { ReferralOutcome } from '@mash/schema';
import { eventData, occurredAt, type FamilyDefinition } from '../runtime/family';
import {
  LA_CHILDREN_EVENT_TYPES,
  type CaseClosedData,
  type ClosureReason,
  type ReferralOutcomeData,
  type ReferrerAgency,
} from './events';

const OUTCOME_WORDS: Record<ReferralOutcome, string> = {
  'no-further-action': 'Referral closed with no further action',
  'early-help': 'Referral stepped down to early help',
  'child-in-need': 'Referral accepted for a child in need assessment (s17)',
  'strategy-discussion': 'Referral progressed to a strategy discussion',
  'child-protection': 'Referral progressed to child protection enquiries (s47)',
};

const REFERRER_WORDS: Record<ReferrerAgency, string> = {
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

export const laChildrenFamily: FamilyDefinition = {
  family: 'la-children',
  identifierSystems: ['la-person-id'],
  mappers: {
    [LA_CHILDREN_EVENT_TYPES.referralOutcome]: (event) => {
      const data = eventData<ReferralOutcomeData>(event);
      const referrer = data.referrerAgency ? ` (referred by ${REFERRER_WORDS[data.referrerAgency]})` : '';
      return {
        subject: data.subject,
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
        subject: data.subject,
        kind: 'case-closed',
        facts: { closed: true, reference: data.caseRef },
        summary: `Children's social care case closed${reason}`,
        occurredAt: occurredAt(event, data.closedAt),
      };
    },
  },
};
