import { BadUserInputError } from '../errors';

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
