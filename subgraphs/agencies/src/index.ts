export { buildAgenciesSchema } from './schema';
export {
  AGENCIES_SCHEMA,
  startAgenciesService,
  type AgenciesServiceOptions,
  type RunningAgenciesService,
} from './service';
export { seedPartnership, type PartnershipSeed } from './seed';
export { demoPartnershipSeed, seedAgenciesDemo } from './demo';
export { demoPolicy, type PolicyOverrides } from './domain/demo-policy';
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
