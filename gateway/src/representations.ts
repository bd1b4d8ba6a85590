import type { GraphQLFormattedError } from 'graphql';

export interface DedupedRepresentations {
  /** Each distinct representation once, in order of first appearance. */
  readonly unique: unknown[];
  /** For each original representation, the index of its distinct one. */
  readonly positions: number[];
}

/**
 * Collapses equal entity representations (same JSON) into one. Undefined when there is nothing to gain (not an
 * `_entities` fetch, or every representation already distinct), so the caller sends the request as it was.
 */
export function dedupeRepresentations(representations: unknown): DedupedRepresentations | undefined {
  if (!Array.isArray(representations) || representations.length < 2) return undefined;
  const index = new Map<string, number>();
  const unique: unknown[] = [];
  const positions: number[] = new Array<number>(representations.length);
  for (let i = 0; i < representations.length; i++) {
    const rep: unknown = representations[i];
    const key = JSON.stringify(rep);
    let at = index.get(key);
    if (at === undefined) {
      at = unique.length;
      index.set(key, at);
      unique.push(rep);
    }
    positions[i] = at;
  }
  return unique.length === representations.length ? undefined : { unique, positions };
}

interface EntitiesResponse {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLFormattedError[];
}

/**
 * Puts a deduplicated `_entities` answer back in the original order: each position gets its own copy of its
 * entity (the gateway merges later fetches into these objects), and an error on one distinct entity is reported
 * at every position that shared it.
 */
export function expandEntities<R extends EntitiesResponse>(response: R, positions: readonly number[]): R {
  const entities = response.data?.['_entities'];
  const firstUse = new Set<number>();
  const expanded = Array.isArray(entities)
    ? positions.map((at) => {
        const entity: unknown = entities[at];
        if (!firstUse.has(at)) {
          firstUse.add(at);
          return entity;
        }
        return entity === null || typeof entity !== 'object' ? entity : structuredClone(entity);
      })
    : entities;
  const errors = response.errors?.flatMap((error) => {
    const [head, at, ...rest] = error.path ?? [];
    if (head !== '_entities' || typeof at !== 'number') return [error];
    const out: GraphQLFormattedError[] = [];
    positions.forEach((p, i) => {
      if (p === at) out.push({ ...error, path: ['_entities', i, ...rest] });
    });
    return out;
  });
  return {
    ...response,
    ...(response.data && { data: { ...response.data, _entities: expanded } }),
    ...(errors && { errors }),
  };
}
