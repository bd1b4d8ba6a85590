import type { RiskLevel, Threshold } from '@mash/schema';
import { eventData, occurredAt, type FamilyDefinition } from '../runtime/family';
import {
  POLICE_EVENT_TYPES,
  type BragRating,
  type DashAssessmentData,
  type ProtectionNoticeData,
  type StrategyDiscussionViewData,
} from './events';

/** A DASH assessment with 14+ ticks is high risk, whatever level was recorded (docs/DOMAIN.md#increasing-risk). */
export const DASH_HIGH_RISK_SCORE = 14;

const THRESHOLD_WORDS: Record<Threshold, string> = {
  none: 'no threshold met',
  universal: 'universal services',
  'early-help': 'early help',
  'child-in-need': 'child in need (s17)',
  'child-protection': 'child protection (s47)',
};

const BRAG_RISK: Record<BragRating, RiskLevel> = {
  red: 'high',
  amber: 'medium',
  green: 'standard',
  blue: 'standard',
};

export function dashRiskLevel(score: number, level: RiskLevel): RiskLevel {
  return score >= DASH_HIGH_RISK_SCORE ? 'high' : level;
}

export const policeFamily: FamilyDefinition = {
  family: 'police',
  identifierSystems: ['police-person-id'],
  mappers: {
    [POLICE_EVENT_TYPES.strategyDiscussionView]: (event) => {
      const data = eventData<StrategyDiscussionViewData>(event);
      return {
        subject: data.subject,
        kind: 'threshold-judgement',
        facts: {
          threshold: data.threshold,
          ...(data.incidentRef !== undefined && { reference: data.incidentRef }),
        },
        summary: `Police view at strategy discussion: ${THRESHOLD_WORDS[data.threshold]}`,
        occurredAt: occurredAt(event, data.discussionAt),
      };
    },
    [POLICE_EVENT_TYPES.protectionNotice]: (event) => {
      const data = eventData<ProtectionNoticeData>(event);
      return {
        subject: data.subject,
        kind: 'protection-notice',
        facts: { riskLevel: BRAG_RISK[data.bragRating], reference: data.incidentRef },
        summary: `Police protection notice submitted, rated ${data.bragRating}; children ${
          data.childrenPresent ? 'present' : 'not present'
        }`,
        occurredAt: occurredAt(event),
      };
    },
    [POLICE_EVENT_TYPES.dashAssessment]: (event) => {
      const data = eventData<DashAssessmentData>(event);
      const riskLevel = dashRiskLevel(data.score, data.level);
      return {
        subject: data.subject,
        kind: 'risk-assessment',
        facts: { riskLevel, ...(data.incidentRef !== undefined && { reference: data.incidentRef }) },
        summary: `DASH risk assessment: ${riskLevel} risk (${data.score} of 27 ticked)`,
        occurredAt: occurredAt(event),
      };
    },
  },
};
