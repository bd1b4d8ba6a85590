export { buildAgenciesSchema } from './graphql/schema';
export {
  AGENCIES_SCHEMA,
  startAgenciesService,
  type AgenciesServiceOptions,
  type RunningAgenciesService,
} from './start';
export { seedPartnership, type PartnershipSeed } from './services/seed-partnership';
export { demoPartnershipSeed, lincolnshirePartnershipSeed, seedAgenciesDemo } from './demo/seed';
export { demoLincolnshirePolicy, demoPolicy, type PolicyOverrides } from './demo/policy';
export { PolicyValidationError, STAGE_OWNER_ROLES, TIMESCALE_UNITS, validatePolicy } from './domain/policy';
export {
  AGENCY_TYPES,
  PARTNERSHIP_KINDS,
  type AgencyRecord,
  type AgencyType,
  type PartnershipKind,
  type PartnershipRecord,
  type SourceSystemRecord,
} from './domain/reference';
