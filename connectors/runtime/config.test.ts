import { ConnectorConfigError, parseConnectorFamilies } from './config';
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
