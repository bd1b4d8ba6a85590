import type { RiskLevel, Threshold } from '@mash/schema';
import { eventData, identifiersOf, occurredAt, type FamilyDefinition } from '../runtime/family';
import {
  POLICE_EVENT_TYPES,
  type BragRating,
  type DashAssessmentData,
  type MaracCriterion,
  type MaracReferralData,
  type MissingEpisodeReportedData,
  type MissingEpisodeReturnedData,
  type MissingRiskGrade,
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

const MISSING_GRADE_WORDS: Record<MissingRiskGrade, string> = {
  'no-apparent-risk': 'no apparent risk',
  low: 'low risk',
  medium: 'medium risk',
  high: 'high risk',
};

const MARAC_CRITERION_WORDS: Record<MaracCriterion, string> = {
  'visible-high-risk': 'visible high risk',
  'professional-judgement': 'professional judgement',
  'potential-escalation': 'potential escalation',
  repeat: 'repeat referral',
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
        ...identifiersOf(data),
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
        ...identifiersOf(data),
        kind: 'protection-notice',
        facts: {
          riskLevel: BRAG_RISK[data.bragRating],
          bragRating: data.bragRating,
          reference: data.incidentRef,
        },
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
        ...identifiersOf(data),
        kind: 'risk-assessment',
        facts: {
          riskLevel,
          dashScore: data.score,
          ...(data.incidentRef !== undefined && { reference: data.incidentRef }),
        },
        summary: `DASH risk assessment: ${riskLevel} risk (${data.score} of 27 ticked)`,
        occurredAt: occurredAt(event),
      };
    },
    [POLICE_EVENT_TYPES.missingEpisodeReported]: (event) => {
      const data = eventData<MissingEpisodeReportedData>(event);
      const grade = data.riskGrade ? `, graded ${MISSING_GRADE_WORDS[data.riskGrade]}` : '';
      return {
        ...identifiersOf(data),
        kind: 'missing-episode',
        facts: {
          missingEpisode: { ref: data.episodeRef, status: 'missing' },
          reference: data.episodeRef,
        },
        summary: `Reported missing to police${grade}`,
        occurredAt: occurredAt(event, data.reportedAt),
      };
    },
    [POLICE_EVENT_TYPES.missingEpisodeReturned]: (event) => {
      const data = eventData<MissingEpisodeReturnedData>(event);
      return {
        ...identifiersOf(data),
        kind: 'missing-episode',
        facts: {
          missingEpisode: { ref: data.episodeRef, status: 'returned' },
          reference: data.episodeRef,
        },
        summary: 'Missing episode ended: found or returned',
        occurredAt: occurredAt(event, data.returnedAt),
      };
    },
    [POLICE_EVENT_TYPES.maracReferral]: (event) => {
      const data = eventData<MaracReferralData>(event);
      const criterion = data.criterion ? ` (${MARAC_CRITERION_WORDS[data.criterion]})` : '';
      return {
        ...identifiersOf(data),
        kind: 'marac-referral',
        // MARAC hears the highest-risk domestic abuse cases: every referral criterion is a judgement of high risk.
        facts: { riskLevel: 'high', reference: data.referralRef },
        summary: `Police referral to MARAC${criterion}`,
        occurredAt: occurredAt(event, data.referredAt),
      };
    },
  },
};
