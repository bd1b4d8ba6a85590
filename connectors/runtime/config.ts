import { AGENCY_FAMILIES, type AgencyFamily } from '@mash/schema';
import { definedFamilies } from './families';

/** A bad CONNECTOR_FAMILIES value: start-up fails naming every bad entry. */
export class ConnectorConfigError extends Error {
  readonly retriable = false;
  constructor(message: string) {
    super(message);
    this.name = 'ConnectorConfigError';
  }
}

/**
 * CONNECTOR_FAMILIES: a comma-separated list of agency families to consume (default: every family with a
 * definition). Returned deduplicated, in AGENCY_FAMILIES order.
 */
export function parseConnectorFamilies(value: string | undefined): AgencyFamily[] {
  const available = definedFamilies();
  const requested = (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (requested.length === 0) return available;
  const bad = requested.filter((f) => !(available as string[]).includes(f));
  if (bad.length > 0) {
    throw new ConnectorConfigError(
      `CONNECTOR_FAMILIES: ${bad.map((f) => `"${f}"`).join(', ')} ${bad.length === 1 ? 'is' : 'are'} not a family with published event types (${available.join(', ')})`,
    );
  }
  return AGENCY_FAMILIES.filter((f) => requested.includes(f));
}
