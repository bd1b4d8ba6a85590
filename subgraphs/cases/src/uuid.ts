const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids here are Postgres uuids: anything else names no record (and must not reach a query as a uuid). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
