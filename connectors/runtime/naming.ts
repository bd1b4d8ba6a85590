import { AGENCY_FAMILIES, type AgencyFamily } from '@mash/schema';

/** Prefix of the `source` attribute: `urn:mash:source:<source-system-code>`. */
export const SOURCE_URN_PREFIX = 'urn:mash:source:';
/** Prefix of every event schema's `$id`: `urn:mash:schema:<type>` (also the value of `dataschema`). */
export const SCHEMA_ID_PREFIX = 'urn:mash:schema:';

/** The source system code in a `urn:mash:source:<code>` source, or null when the source is not of that form. */
export function sourceSystemCode(source: string): string | null {
  if (!source.startsWith(SOURCE_URN_PREFIX)) return null;
  const code = source.slice(SOURCE_URN_PREFIX.length);
  return code.length > 0 ? code : null;
}

export function sourceUrn(code: string): string {
  return `${SOURCE_URN_PREFIX}${code}`;
}

export function schemaId(type: string): string {
  return `${SCHEMA_ID_PREFIX}${type}`;
}

const TYPE_PATTERN = /^uk\.mash\.([a-z-]+)\.[a-z0-9]+(?:-[a-z0-9]+)*\.v[1-9][0-9]*$/;

/** The agency family a type belongs to by its name (`uk.mash.<family>.<what>.v<N>`), or null. */
export function familyOfType(type: string): AgencyFamily | null {
  const family = TYPE_PATTERN.exec(type)?.[1];
  return family !== undefined && (AGENCY_FAMILIES as readonly string[]).includes(family)
    ? (family as AgencyFamily)
    : null;
}

/** The consumer group of a connector for these families: `<prefix>mash-connector-<families joined by ->`. */
export function connectorGroupId(prefix: string, families: readonly AgencyFamily[]): string {
  return `${prefix}mash-connector-${AGENCY_FAMILIES.filter((f) => families.includes(f)).join('-')}`;
}

/** The families of a connector's consumer group (`connectorGroupId`), or null for any other group. */
export function familiesOfConnectorGroup(prefix: string, groupId: string): AgencyFamily[] | null {
  const head = `${prefix}mash-connector-`;
  if (!groupId.startsWith(head)) return null;
  let rest = groupId.slice(head.length);
  const families: AgencyFamily[] = [];
  // The id joins the families in AGENCY_FAMILIES order, so they are read back in that order.
  for (const family of AGENCY_FAMILIES) {
    if (rest === family) {
      families.push(family);
      rest = '';
    } else if (rest.startsWith(`${family}-`)) {
      families.push(family);
      rest = rest.slice(family.length + 1);
    }
  }
  return rest === '' && families.length > 0 ? families : null;
}
