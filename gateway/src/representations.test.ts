import { dedupeRepresentations, expandEntities } from './representations';

const agencyA = { __typename: 'Agency', id: 'a' };
const agencyB = { __typename: 'Agency', id: 'b' };

describe('entity representation de-duplication', () => {
  it('sends each distinct representation once and remembers where each came from', () => {
    const deduped = dedupeRepresentations([agencyA, agencyB, { ...agencyA }, agencyB, agencyA]);
    expect(deduped).toEqual({ unique: [agencyA, agencyB], positions: [0, 1, 0, 1, 0] });
  });

  it('leaves a fetch alone when there is nothing to gain', () => {
    expect(dedupeRepresentations([agencyA, agencyB])).toBeUndefined();
    expect(dedupeRepresentations([agencyA])).toBeUndefined();
    expect(dedupeRepresentations(undefined)).toBeUndefined();
  });

  it('puts answers back in the original order, each position with its own copy', () => {
    const response = {
      data: {
        _entities: [
          { name: 'Police', nested: { x: 1 } },
          { name: 'Health', nested: { x: 2 } },
        ],
      },
    };
    const out = expandEntities(response, [0, 1, 0]);
    const entities = out.data._entities as { name: string; nested: { x: number } }[];
    expect(entities.map((e) => e.name)).toEqual(['Police', 'Health', 'Police']);
    expect(entities[2]).toEqual(entities[0]);
    expect(entities[2]).not.toBe(entities[0]);
    expect(entities[2]!.nested).not.toBe(entities[0]!.nested);
  });

  it('reports an error on a shared entity at every position that shared it', () => {
    const response = {
      data: { _entities: [null, { name: 'Health' }] },
      errors: [
        { message: 'Agency a not found.', path: ['_entities', 0, 'name'], extensions: { code: 'NOT_FOUND' } },
        { message: 'other', extensions: { code: 'INTERNAL' } },
      ],
    };
    const out = expandEntities(response, [0, 1, 0]);
    expect(out.data._entities).toEqual([null, { name: 'Health' }, null]);
    expect(out.errors!.map((e) => e.path)).toEqual([
      ['_entities', 0, 'name'],
      ['_entities', 2, 'name'],
      undefined,
    ]);
  });
});
