import { hash } from 'node:crypto';

/** RFC 4122 version-5 style UUID from a name: the same name always gives the same id (idempotent replays). */
export function uuidFromName(name: string, namespace = 'mash-graph'): string {
  // One-shot `crypto.hash`: about half the time of createHash().update().digest() (a connector computes one per
  // event).
  const digest = hash('sha1', `${namespace}:${name}`, 'buffer');
  digest[6] = ((digest[6] ?? 0) & 0x0f) | 0x50;
  digest[8] = ((digest[8] ?? 0) & 0x3f) | 0x80;
  const hex = digest.toString('hex', 0, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a canonical UUID: lets resolvers answer "not found" for junk ids instead of a database error. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
