import { loadEventContract } from './contract';
import { familyDefinition } from './families';

/**
 * The schemas are loaded one file each (the connector, the AsyncAPI document, CONNECTING.md and the CLI read them
 * that way), so the identifier fragments are repeated in every type's schema rather than shared with `$ref`; these
 * tests keep the copies identical. A type whose data is a FHIR resource names its patient the FHIR way (a reference
 * with the NHS number as identifier) and is left out.
 */
describe('identifier fragments of the published schemas', () => {
  const types = loadEventContract().types.filter(
    (t) => !Object.hasOwn(familyDefinition(t.family)?.dataChecks ?? {}, t.type),
  );
  const properties = (schema: Readonly<Record<string, unknown>>) =>
    schema['properties'] as Record<string, Record<string, unknown>>;

  it('gives every type the same optional otherIdentifiers array', () => {
    const first = properties(types[0]!.schema)['otherIdentifiers'];
    expect(first).toMatchObject({ type: 'array', items: { required: ['system', 'value'] } });
    for (const type of types) {
      expect({ type: type.type, otherIdentifiers: properties(type.schema)['otherIdentifiers'] }).toEqual({
        type: type.type,
        otherIdentifiers: first,
      });
      expect(type.schema['required']).not.toContain('otherIdentifiers');
    }
  });

  it("keys every type by its family's identifier system, with the same rules across the family", () => {
    for (const family of new Set(types.map((t) => t.family))) {
      const ofFamily = types.filter((t) => t.family === family);
      const rules = (t: (typeof types)[number]) => properties(t.schema)['subject']?.['properties'];
      const [first] = ofFamily;
      expect((rules(first!) as { system: { enum: string[] } }).system.enum).toEqual(
        familyDefinition(family)?.identifierSystems,
      );
      for (const type of ofFamily)
        expect({ type: type.type, rules: rules(type) }).toEqual({ type: type.type, rules: rules(first!) });
    }
  });
});
