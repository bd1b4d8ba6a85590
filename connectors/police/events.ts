import type { RiskLevel, SubjectIdentifier, Threshold } from '@mash/schema';

/** The police family's published CloudEvent types (schemas in `schema/events/<type>.schema.json`). */
export const POLICE_EVENT_TYPES = {
  strategyDiscussionView: 'uk.mash.police.strategy-discussion-view.v1',
  protectionNotice: 'uk.mash.police.protection-notice.v1',
  dashAssessment: 'uk.mash.police.dash-assessment.v1',
  missingEpisodeReported: 'uk.mash.police.missing-episode-reported.v1',
  missingEpisodeReturned: 'uk.mash.police.missing-episode-returned.v1',
  maracReferral: 'uk.mash.police.marac-referral.v1',
} as const;

export interface PoliceSubject {
  readonly system: 'police-person-id';
  readonly value: string;
}

/** What every police event's data carries about its subject. */
interface PoliceData {
  readonly subject: PoliceSubject;
  /** Other identifiers the police record holds for the person. */
  readonly otherIdentifiers?: readonly SubjectIdentifier[];
}

/** `uk.mash.police.strategy-discussion-view.v1` data. */
export interface StrategyDiscussionViewData extends PoliceData {
  readonly threshold: Threshold;
  readonly discussionAt: string;
  readonly incidentRef?: string;
}

export { BRAG_RATINGS, type BragRating } from '@mash/schema';
import type { BragRating } from '@mash/schema';

/** `uk.mash.police.protection-notice.v1` data. */
export interface ProtectionNoticeData extends PoliceData {
  readonly bragRating: BragRating;
  readonly childrenPresent: boolean;
  readonly incidentRef: string;
}

/** `uk.mash.police.dash-assessment.v1` data. */
export interface DashAssessmentData extends PoliceData {
  /** Questions ticked yes, 0 to 27. */
  readonly score: number;
  readonly level: RiskLevel;
  readonly incidentRef?: string;
}

/** A missing person's risk grading (College of Policing missing persons guidance). */
export const MISSING_RISK_GRADES = ['no-apparent-risk', 'low', 'medium', 'high'] as const;
export type MissingRiskGrade = (typeof MISSING_RISK_GRADES)[number];

/** `uk.mash.police.missing-episode-reported.v1` data. */
export interface MissingEpisodeReportedData extends PoliceData {
  /** The police reference of the episode; the returned event carries the same one. */
  readonly episodeRef: string;
  readonly reportedAt: string;
  readonly riskGrade?: MissingRiskGrade;
}

/** `uk.mash.police.missing-episode-returned.v1` data. */
export interface MissingEpisodeReturnedData extends PoliceData {
  readonly episodeRef: string;
  readonly returnedAt: string;
}

/** The SafeLives criteria for a MARAC referral. */
export const MARAC_CRITERIA = [
  'visible-high-risk',
  'professional-judgement',
  'potential-escalation',
  'repeat',
] as const;
export type MaracCriterion = (typeof MARAC_CRITERIA)[number];

/** `uk.mash.police.marac-referral.v1` data. */
export interface MaracReferralData extends PoliceData {
  readonly referralRef: string;
  readonly referredAt: string;
  readonly criterion?: MaracCriterion;
}
