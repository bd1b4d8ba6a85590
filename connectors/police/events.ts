import type { RiskLevel, Threshold } from '@mash/schema';

/** The police family's published CloudEvent types (schemas in `schema/events/<type>.schema.json`). */
export const POLICE_EVENT_TYPES = {
  strategyDiscussionView: 'uk.mash.police.strategy-discussion-view.v1',
  protectionNotice: 'uk.mash.police.protection-notice.v1',
  dashAssessment: 'uk.mash.police.dash-assessment.v1',
} as const;

export interface PoliceSubject {
  readonly system: 'police-person-id';
  readonly value: string;
}

/** `uk.mash.police.strategy-discussion-view.v1` data. */
export interface StrategyDiscussionViewData {
  readonly subject: PoliceSubject;
  readonly threshold: Threshold;
  readonly discussionAt: string;
  readonly incidentRef?: string;
}

export { BRAG_RATINGS, type BragRating } from '@mash/schema';
import type { BragRating } from '@mash/schema';

/** `uk.mash.police.protection-notice.v1` data. */
export interface ProtectionNoticeData {
  readonly subject: PoliceSubject;
  readonly bragRating: BragRating;
  readonly childrenPresent: boolean;
  readonly incidentRef: string;
}

/** `uk.mash.police.dash-assessment.v1` data. */
export interface DashAssessmentData {
  readonly subject: PoliceSubject;
  /** Questions ticked yes, 0 to 27. */
  readonly score: number;
  readonly level: RiskLevel;
  readonly incidentRef?: string;
}
