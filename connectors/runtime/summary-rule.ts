/** Keys whose string values identify a person or a record, or are free text an agency typed. */
const IDENTIFYING_KEY = /^(value|ref|description)$|Ref$/;

/**
 * The house rule for status change summaries: plain English with no identifiers or names. These are the string
 * values of an event's data that a summary must never contain (identifier values, the agency's references, free
 * text), for the families' tests to check their mappers against.
 */
export function identifyingValues(data: unknown, key = ''): string[] {
  if (typeof data === 'string') return IDENTIFYING_KEY.test(key) ? [data] : [];
  if (Array.isArray(data)) return data.flatMap((item) => identifyingValues(item, key));
  if (data !== null && typeof data === 'object')
    return Object.entries(data).flatMap(([k, v]) => identifyingValues(v, k));
  return [];
}

/** The identifying values of `data` that `summary` contains; empty when the summary keeps the rule. */
export function identifiersInSummary(summary: string, data: unknown): string[] {
  return identifyingValues(data).filter((value) => summary.includes(value));
}
