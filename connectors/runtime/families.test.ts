import { AGENCY_FAMILIES, STATUS_CHANGE_KINDS } from '@mash/schema';
import { createCloudEvent } from './cloudevent';
import { loadEventContract } from './contract';
import { definedFamilies, FAMILY_DEFINITIONS, familyDefinition } from './families';
import { mapperFor } from './family';
import { identifiersInSummary } from './summary-rule';
import { familyOfType } from './naming';
import { EventValidator } from './validation';

describe('family registry', () => {
  const types = EventValidator.load().types;

  it('maps every published event type, in the family its name gives', () => {
    for (const type of types) {
      const family = familyOfType(type);
      expect({ type, family }).toEqual({ type, family: expect.any(String) });
      const definition = familyDefinition(family!);
      expect({ type, mapped: definition && mapperFor(definition, type) !== undefined }).toEqual({
        type,
        mapped: true,
      });
    }
  });

  it('has a published schema for every mapped type', () => {
    for (const definition of FAMILY_DEFINITIONS) {
      for (const type of Object.keys(definition.mappers)) {
        expect(types).toContain(type);
        expect(familyOfType(type)).toBe(definition.family);
      }
    }
  });

  it('defines each family once, in AGENCY_FAMILIES order', () => {
    const families = definedFamilies();
    expect(families).toEqual(AGENCY_FAMILIES.filter((f) => families.includes(f)));
    expect(families).toEqual(['police', 'health', 'la-children', 'la-adults', 'education']);
  });

  it('maps to every canonical status change kind', () => {
    const mapped = new Set(
      types.map((type) => {
        const definition = familyDefinition(familyOfType(type)!)!;
        const example = loadEventContract().types.find((t) => t.type === type)!.examples[0];
        return mapperFor(definition, type)!(createCloudEvent({ sourceSystem: 'x', type, data: example }))
          .kind;
      }),
    );
    expect([...mapped].sort()).toEqual([...STATUS_CHANGE_KINDS].sort());
  });

  it("summarises every published example without an identifier, a reference or an agency's free text", () => {
    for (const { type, family, examples } of loadEventContract().types) {
      const mapper = mapperFor(familyDefinition(family)!, type)!;
      for (const data of examples) {
        const { summary } = mapper(createCloudEvent({ sourceSystem: 'x', type, data }));
        expect({ type, summary, found: identifiersInSummary(summary, data) }).toEqual({
          type,
          summary,
          found: [],
        });
      }
    }
  });
});
