/** Types of partner agency in a safeguarding partnership (docs/DOMAIN.md#core-concepts). */
export const PARTNER_AGENCY_TYPES = [
  'police',
  'health',
  'la-children',
  'la-adults',
  'education',
  'probation',
  'housing',
  'voluntary',
] as const;
export type PartnerAgencyType = (typeof PARTNER_AGENCY_TYPES)[number];

/** Every agency type the directory holds: the partner agencies, plus the partnership's business unit (stage 4). */
export const AGENCY_TYPES = [...PARTNER_AGENCY_TYPES, 'partnership-business-unit'] as const;
export type AgencyType = (typeof AGENCY_TYPES)[number];
