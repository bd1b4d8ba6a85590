import type { AgencyFamily } from '@mash/schema';
import { educationFamily } from '../education/family';
import { healthFamily } from '../health/family';
import { laAdultsFamily } from '../la-adults/family';
import { laChildrenFamily } from '../la-children/family';
import { policeFamily } from '../police/family';
import type { FamilyDefinition } from './family';

/** Every agency family that has published event types, in AGENCY_FAMILIES order. */
export const FAMILY_DEFINITIONS: readonly FamilyDefinition[] = [
  policeFamily,
  healthFamily,
  laChildrenFamily,
  laAdultsFamily,
  educationFamily,
];

export function familyDefinition(family: AgencyFamily): FamilyDefinition | undefined {
  return FAMILY_DEFINITIONS.find((d) => d.family === family);
}

/** The families a connector can run for. */
export function definedFamilies(): AgencyFamily[] {
  return FAMILY_DEFINITIONS.map((d) => d.family);
}
