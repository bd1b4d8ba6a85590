import {
  ConnectorConfigError,
  loadConnectorConfig,
  parseConnectorFamilies,
  parseSourceSystems,
} from './config';
import { definedFamilies } from './families';

describe('CONNECTOR_FAMILIES', () => {
  it('defaults to every family with published event types', () => {
    expect(parseConnectorFamilies(undefined)).toEqual(definedFamilies());
    expect(parseConnectorFamilies(' ')).toEqual(definedFamilies());
  });

  it('reads a comma list, trimmed and deduplicated, in canonical order', () => {
    expect(parseConnectorFamilies('la-children, police,police')).toEqual(['police', 'la-children']);
  });

  it('names every family that has no definition', () => {
    expect(() => parseConnectorFamilies('police,probation,polise')).toThrow(ConnectorConfigError);
    expect(() => parseConnectorFamilies('police,probation,polise')).toThrow(
      /"probation", "polise" are not a family/,
    );
  });
});

describe('CONNECTOR_SOURCE_SYSTEMS', () => {
  it('reads family:code entries, and none by default', () => {
    expect(parseSourceSystems(undefined)).toEqual([]);
    expect(parseSourceSystems('police:tvp-niche, health:mkuh-systmone')).toEqual([
      { family: 'police', code: 'tvp-niche' },
      { family: 'health', code: 'mkuh-systmone' },
    ]);
  });

  it('names every entry that is not a family and a source system code', () => {
    expect(() => parseSourceSystems('police:tvp-niche,probation:x,police,health:Bad.Code')).toThrow(
      /"probation:x", "police", "health:Bad.Code" must be family:code/,
    );
  });
});

describe('loadConnectorConfig', () => {
  const base = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/mash', JWT_SECRET: 's'.repeat(32) };

  it('reads the families and the log level with the service settings', () => {
    const config = loadConnectorConfig({ ...base, CONNECTOR_FAMILIES: 'police', LOG_LEVEL: 'warn' });
    expect(config.families).toEqual(['police']);
    expect(config.logLevel).toBe('warn');
    expect(config.service.databaseUrl).toBe(base.DATABASE_URL);
  });

  it('names a bad family and every other bad variable at once', () => {
    expect(() => loadConnectorConfig({ CONNECTOR_FAMILIES: 'nope', LOG_LEVEL: 'loud' })).toThrow(
      /(?=[\s\S]*CONNECTOR_FAMILIES)(?=[\s\S]*LOG_LEVEL)(?=[\s\S]*DATABASE_URL)/,
    );
  });
});
