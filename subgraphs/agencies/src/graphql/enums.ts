import { registerEnumType } from 'type-graphql';
import { AGENCY_TYPES, PARTNERSHIP_KINDS, type AgencyType, type PartnershipKind } from '../domain/reference';

/** `la-children` → `LA_CHILDREN`: GraphQL enum names are SCREAMING_SNAKE, internal values the domain strings. */
function enumOf<V extends string>(values: readonly V[]): Record<string, V> {
  return Object.fromEntries(values.map((v) => [v.toUpperCase().replace(/-/g, '_'), v]));
}

export const PartnershipKindEnum: Record<string, PartnershipKind> = enumOf(PARTNERSHIP_KINDS);
export const AgencyTypeEnum: Record<string, AgencyType> = enumOf(AGENCY_TYPES);

registerEnumType(PartnershipKindEnum, {
  name: 'PartnershipKind',
  description: 'LSCP: Local Safeguarding Children Partnership. SAB: Safeguarding Adults Board.',
});
registerEnumType(AgencyTypeEnum, {
  name: 'AgencyType',
  description: 'What kind of organisation a member agency is.',
});
