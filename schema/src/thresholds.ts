/** The ladder: none < universal < early help < child in need < child protection (docs/DOMAIN.md#cross-agency-disagreement). */
export const THRESHOLDS = ['none', 'universal', 'early-help', 'child-in-need', 'child-protection'] as const;
export type Threshold = (typeof THRESHOLDS)[number];

export const RISK_LEVELS = ['standard', 'medium', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export function thresholdRank(t: Threshold): number {
  return THRESHOLDS.indexOf(t);
}
