import { AGENCY_FAMILIES, SOURCE_SYSTEM_CODE, type AgencyFamily } from '@mash/schema';
import { loadDeployableConfig, z, type LogLevel, type ServiceConfig } from '@mash/service-kit';
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

/** Everything the connector deployable reads from its environment, validated together at start-up. */
export interface ConnectorConfig {
  readonly service: ServiceConfig;
  readonly logLevel: LogLevel;
  /** CONNECTOR_FAMILIES, parsed (see parseConnectorFamilies). */
  readonly families: AgencyFamily[];
  /** CONNECTOR_SOURCE_SYSTEMS, parsed: source systems whose topics the connector creates when missing. */
  readonly sourceSystems: SourceSystemTopic[];
}

/** A source system's topic: its family and code. */
export interface SourceSystemTopic {
  readonly family: AgencyFamily;
  readonly code: string;
}

/** CONNECTOR_SOURCE_SYSTEMS: `family:code` entries, comma-separated (`police:tvp-niche,health:mkuh-systmone`). */
export function parseSourceSystems(value: string | undefined): SourceSystemTopic[] {
  const entries = (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad: string[] = [];
  const parsed = entries.flatMap((entry) => {
    const [family, code, ...rest] = entry.split(':');
    if (
      rest.length > 0 ||
      !family ||
      !code ||
      !(AGENCY_FAMILIES as readonly string[]).includes(family) ||
      !SOURCE_SYSTEM_CODE.test(code)
    ) {
      bad.push(entry);
      return [];
    }
    return [{ family: family as AgencyFamily, code }];
  });
  if (bad.length > 0) {
    throw new ConnectorConfigError(
      `CONNECTOR_SOURCE_SYSTEMS: ${bad.map((e) => `"${e}"`).join(', ')} must be family:code (e.g. police:tvp-niche)`,
    );
  }
  return parsed;
}

export function loadConnectorConfig(
  source: Record<string, string | undefined> = process.env,
): ConnectorConfig {
  const families = z
    .string()
    .optional()
    .transform((value, ctx) => {
      try {
        return parseConnectorFamilies(value);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    });
  const sourceSystems = z
    .string()
    .optional()
    .transform((value, ctx) => {
      try {
        return parseSourceSystems(value);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    });
  const { service, logLevel, own } = loadDeployableConfig(
    4005,
    z.object({ CONNECTOR_FAMILIES: families, CONNECTOR_SOURCE_SYSTEMS: sourceSystems }),
    source,
  );
  return {
    service,
    logLevel,
    families: own.CONNECTOR_FAMILIES,
    sourceSystems: own.CONNECTOR_SOURCE_SYSTEMS,
  };
}
