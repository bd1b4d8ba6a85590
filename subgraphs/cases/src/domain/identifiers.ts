import type { StatusChangeMessage, SubjectIdentifier } from '@mash/schema';

/** Which subject a status change is about, from every identifier it carries. */
export type SubjectResolution =
  | {
      readonly outcome: 'matched';
      readonly subjectId: string;
      /** The change's identifiers no subject holds yet, to be recorded against the matched one. */
      readonly newIdentifiers: readonly SubjectIdentifier[];
    }
  | { readonly outcome: 'unknown' }
  | { readonly outcome: 'conflict'; readonly subjectIds: readonly string[] };

/** The change's identifiers: the one it is keyed by first, then the other identifiers the record holds, once each. */
export function identifiersOf(
  change: Pick<StatusChangeMessage, 'subject' | 'otherIdentifiers'>,
): SubjectIdentifier[] {
  const seen = new Set<string>();
  const all: SubjectIdentifier[] = [];
  for (const id of [change.subject, ...(change.otherIdentifiers ?? [])]) {
    const key = `${id.system}\u0000${id.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    all.push({ system: id.system, value: id.value });
  }
  return all;
}

/**
 * The subject a change applies to. Every identifier it carries (its own and the other identifiers its record
 * holds) that belongs to a subject must belong to the same one: then the change is that subject's, whichever
 * identifier matched, and its identifiers no subject holds are recorded against it. None known: unknown. Two or
 * more subjects: a conflict, held for a MASH officer (nothing is merged).
 */
export function resolveSubject(
  change: Pick<StatusChangeMessage, 'subject' | 'otherIdentifiers'>,
  subjectOf: (identifier: SubjectIdentifier) => string | null,
): SubjectResolution {
  const identifiers = identifiersOf(change);
  const owners = identifiers.map((id) => subjectOf(id));
  const subjects = [...new Set(owners.filter((s): s is string => s !== null))];
  if (subjects.length === 0) return { outcome: 'unknown' };
  if (subjects.length > 1) return { outcome: 'conflict', subjectIds: subjects.sort() };
  return {
    outcome: 'matched',
    subjectId: subjects[0]!,
    newIdentifiers: identifiers.filter((_, i) => owners[i] === null),
  };
}
