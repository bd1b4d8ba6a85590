import type { ReferralOutcome, RiskLevel, Threshold } from '@mash/schema';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One agency's current position on a case; each part names the status change that set it, when, and since when its
 * value has held.
 */
@Entity({ schema: 'cases', name: 'agency_position' })
export class AgencyPositionEntity {
  @PrimaryColumn('uuid', { name: 'case_id' })
  caseId!: string;

  @PrimaryColumn('uuid', { name: 'agency_id' })
  agencyId!: string;

  @Column('text', { nullable: true })
  threshold!: Threshold | null;

  @Column('uuid', { name: 'threshold_status_change_id', nullable: true })
  thresholdStatusChangeId!: string | null;

  @Column('timestamptz', { name: 'threshold_as_of', nullable: true })
  thresholdAsOf!: Date | null;

  /** Since when the current threshold value has held; null when never set. */
  @Column('timestamptz', { name: 'threshold_since', nullable: true })
  thresholdSince!: Date | null;

  @Column('text', { name: 'risk_level', nullable: true })
  riskLevel!: RiskLevel | null;

  @Column('uuid', { name: 'risk_status_change_id', nullable: true })
  riskStatusChangeId!: string | null;

  @Column('timestamptz', { name: 'risk_as_of', nullable: true })
  riskAsOf!: Date | null;

  /** Since when the current risk value has held; null when never set. */
  @Column('timestamptz', { name: 'risk_since', nullable: true })
  riskSince!: Date | null;

  @Column('text', { name: 'referral_outcome', nullable: true })
  referralOutcome!: ReferralOutcome | null;

  @Column('uuid', { name: 'referral_status_change_id', nullable: true })
  referralStatusChangeId!: string | null;

  @Column('timestamptz', { name: 'referral_as_of', nullable: true })
  referralAsOf!: Date | null;

  /** Since when the current referral value has held; null when never set. */
  @Column('timestamptz', { name: 'referral_since', nullable: true })
  referralSince!: Date | null;

  @Column('timestamptz', { name: 'as_of' })
  asOf!: Date;
}
