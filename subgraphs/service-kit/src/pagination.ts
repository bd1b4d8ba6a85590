import { BadUserInputError } from './errors';

/** A page request after validation: how many, and after which position. */
export interface PageRequest {
  readonly first: number;
  readonly after?: CursorPosition;
}

/** A position in a list ordered by (key, id): the key is a timestamp or number rendered as text. */
export interface CursorPosition {
  readonly key: string;
  readonly id: string;
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.key, position.id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): CursorPosition {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      typeof parsed[1] === 'string'
    ) {
      return { key: parsed[0], id: parsed[1] };
    }
  } catch {
    // answered below
  }
  throw new BadUserInputError('after is not a cursor this list gave out.', 'after');
}

/**
 * Validates `first`/`after`: `first` between 1 and `max` (BAD_USER_INPUT otherwise), `after` a cursor of this
 * list's shape.
 */
export function pageRequest(
  first: number | null | undefined,
  after: string | null | undefined,
  limits: { readonly defaultFirst: number; readonly max: number },
): PageRequest {
  const n = first ?? limits.defaultFirst;
  if (!Number.isInteger(n) || n < 1 || n > limits.max) {
    throw new BadUserInputError(`first must be between 1 and ${limits.max}.`, 'first');
  }
  return after === null || after === undefined ? { first: n } : { first: n, after: decodeCursor(after) };
}

/** A page of a list: what the repositories fetched (`first + 1` rows) cut to size, with the next cursor. */
export interface Page<T> {
  readonly nodes: T[];
  readonly endCursor: string | null;
  readonly hasNextPage: boolean;
}

/** Cuts `rows` (fetched with `first + 1`) to a page; `position` gives each row's place in the order. */
export function pageOf<T>(rows: readonly T[], first: number, position: (row: T) => CursorPosition): Page<T> {
  const nodes = rows.slice(0, first);
  const last = nodes[nodes.length - 1];
  return {
    nodes,
    endCursor: last === undefined ? null : encodeCursor(position(last)),
    hasNextPage: rows.length > first,
  };
}

/** Page sizes of the lists keyed by record id (cases, timeline, unmatched status changes, escalations). */
export const ID_PAGE_LIMITS = { defaultFirst: 50, max: 500 } as const;

/** The most ids a by-ids field (`escalationsByIds`) answers in one call; the gateway's live hub asks no more. */
export const BY_IDS_LIMIT = 100;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `first`/`after` for a list whose cursor is a record id (the repositories find the cursor row and continue after
 * it in the list's order): BAD_USER_INPUT for a bad size or a cursor this list did not give out.
 */
export function idPageRequest(
  first: number | null | undefined,
  after: string | null | undefined,
  limits: { readonly defaultFirst: number; readonly max: number } = ID_PAGE_LIMITS,
): { first: number; afterId?: string } {
  const page = pageRequest(first, after, limits);
  if (page.after === undefined) return { first: page.first };
  if (page.after.key !== 'id' || !UUID.test(page.after.id)) {
    throw new BadUserInputError('after is not a cursor this list gave out.', 'after');
  }
  return { first: page.first, afterId: page.after.id };
}

/** Cuts rows fetched with `first + 1` to a page whose cursor is the last row's id. */
export function idPageOf<T extends { id: string }>(
  rows: readonly T[],
  first: number,
): { nodes: T[]; pageInfo: { endCursor: string | null; hasNextPage: boolean } } {
  const page = pageOf(rows, first, (row) => ({ key: 'id', id: row.id }));
  return { nodes: page.nodes, pageInfo: { endCursor: page.endCursor, hasNextPage: page.hasNextPage } };
}
