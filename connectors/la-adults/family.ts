import type { PartnerAgencyType, SafeguardingEnquiryType } from '@mash/schema';
import { eventData, identifiersOf, occurredAt, type FamilyDefinition } from '../runtime/family';
import {
  LA_ADULTS_EVENT_TYPES,
  type AdultCaseClosedData,
  type AdultClosureReason,
  type ConcernReceivedData,
  type EnquiryDecisionData,
  type NoEnquiryReason,
  type RiskOutcome,
  type SafeguardingPlanEndedData,
  type SafeguardingPlanStartedData,
} from './events';

const AGENCY_WORDS: Record<PartnerAgencyType, string> = {
  police: 'police',
  health: 'health',
  'la-children': "children's social care",
  'la-adults': 'adult social care',
  education: 'education',
  probation: 'probation',
  housing: 'housing',
  voluntary: 'a voluntary organisation',
};

const ENQUIRY_WORDS: Record<SafeguardingEnquiryType, string> = {
  'section-42': 'a s42 safeguarding enquiry',
  'other-safeguarding': 'another safeguarding enquiry (not s42)',
};

const NO_ENQUIRY_WORDS: Record<NoEnquiryReason, string> = {
  'criteria-not-met': 's42 criteria not met',
  'information-and-advice': 'information and advice given',
  'referred-to-other-service': 'referred to another service',
  other: 'other reasons',
};

const RISK_WORDS: Record<RiskOutcome, string> = {
  'risk-removed': 'risk removed',
  'risk-reduced': 'risk reduced',
  'risk-remains': 'risk remains',
};

const CLOSURE_WORDS: Record<AdultClosureReason, string> = {
  'no-further-action': 'no further action',
  'needs-met': 'needs met',
  'moved-away': 'moved away',
  'transferred-to-another-authority': 'transferred to another authority',
  other: 'other reasons',
};

/**
 * Adult social care (Care Act 2014 s42). The grounds DOMAIN.md applies to adults as to children are fed through
 * the same facts: a safeguarding plan is a plan (PlanFacts, kind `adult-safeguarding`) for the stalled-plan rule; a
 * decision of no enquiry is a concern ending with no further action (`referralOutcome`), which the disagreement rule
 * weighs against another agency's high risk; a closed case closes the involvement. The children's threshold ladder
 * is not applied to adults, so these changes state no threshold.
 */
export const laAdultsFamily: FamilyDefinition = {
  family: 'la-adults',
  identifierSystems: ['la-person-id'],
  mappers: {
    [LA_ADULTS_EVENT_TYPES.concernReceived]: (event) => {
      const data = eventData<ConcernReceivedData>(event);
      const from = data.raisedByAgency ? ` (raised by ${AGENCY_WORDS[data.raisedByAgency]})` : '';
      return {
        ...identifiersOf(data),
        kind: 'safeguarding-concern',
        facts: { reference: data.concernRef },
        summary: `Adult safeguarding concern received${from}`,
        occurredAt: occurredAt(event, data.receivedAt),
      };
    },
    [LA_ADULTS_EVENT_TYPES.enquiryDecision]: (event) => {
      const data = eventData<EnquiryDecisionData>(event);
      if (data.decision === 'enquiry') {
        const type = data.enquiryType ?? 'section-42';
        return {
          ...identifiersOf(data),
          kind: 'safeguarding-enquiry-decision',
          facts: { safeguardingEnquiry: { decision: 'enquiry', type }, reference: data.concernRef },
          summary: `Safeguarding concern progressed to ${ENQUIRY_WORDS[type]}`,
          occurredAt: occurredAt(event, data.decidedAt),
        };
      }
      const why = data.noEnquiryReason ? `: ${NO_ENQUIRY_WORDS[data.noEnquiryReason]}` : '';
      return {
        ...identifiersOf(data),
        kind: 'safeguarding-enquiry-decision',
        facts: {
          safeguardingEnquiry: { decision: 'no-enquiry' },
          referralOutcome: 'no-further-action',
          reference: data.concernRef,
        },
        summary: `Safeguarding concern not progressed to an enquiry${why}`,
        occurredAt: occurredAt(event, data.decidedAt),
      };
    },
    [LA_ADULTS_EVENT_TYPES.planStarted]: (event) => {
      const data = eventData<SafeguardingPlanStartedData>(event);
      const days = data.visitFrequencyDays;
      const visits = days === undefined ? '' : ` (seen at least every ${days} day${days === 1 ? '' : 's'})`;
      return {
        ...identifiersOf(data),
        kind: 'plan-started',
        facts: {
          plan: {
            ref: data.planRef,
            kind: 'adult-safeguarding',
            ...(days !== undefined && { visitFrequencyDays: days }),
          },
          reference: data.planRef,
        },
        summary: `Adult safeguarding plan started${visits}`,
        occurredAt: occurredAt(event, data.startedAt),
      };
    },
    [LA_ADULTS_EVENT_TYPES.planEnded]: (event) => {
      const data = eventData<SafeguardingPlanEndedData>(event);
      return {
        ...identifiersOf(data),
        kind: 'plan-ended',
        facts: { plan: { ref: data.planRef, kind: 'adult-safeguarding' }, reference: data.planRef },
        summary: `Adult safeguarding plan ended${data.riskOutcome ? `: ${RISK_WORDS[data.riskOutcome]}` : ''}`,
        occurredAt: occurredAt(event, data.endedAt),
      };
    },
    [LA_ADULTS_EVENT_TYPES.caseClosed]: (event) => {
      const data = eventData<AdultCaseClosedData>(event);
      const reason = data.closureReason ? `: ${CLOSURE_WORDS[data.closureReason]}` : '';
      return {
        ...identifiersOf(data),
        kind: 'case-closed',
        facts: { closed: true, reference: data.caseRef },
        summary: `Adult social care case closed${reason}`,
        occurredAt: occurredAt(event, data.closedAt),
      };
    },
  },
};
