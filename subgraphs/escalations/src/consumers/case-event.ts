import type { CaseEventMessage } from '@mash/schema';
import { NonRetriableError } from '@mash/kafka';

/**
 * Reads a case event from a Kafka record value. A value that can never be applied is a NonRetriableError
 * (coded from the registry), so it is set aside rather than retried for ever.
 */
export function parseCaseEvent(value: Buffer | null): CaseEventMessage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value?.toString('utf8') ?? '');
  } catch {
    throw new NonRetriableError('EVENT_NOT_JSON', 'The case event is not a JSON document.');
  }
  const problem = shapeProblem(parsed);
  if (problem) throw new NonRetriableError('EVENT_DATA_INVALID', `The case event is malformed: ${problem}.`);
  return parsed as CaseEventMessage;
}

function shapeProblem(v: unknown): string | null {
  if (!isObject(v)) return 'not an object';
  const sc = v['statusChange'];
  const c = v['case'];
  if (!isObject(sc) || typeof sc['id'] !== 'string' || !sc['id']) return 'statusChange.id is missing';
  if (!isObject(c) || typeof c['id'] !== 'string' || !c['id']) return 'case.id is missing';
  if (typeof c['partnershipId'] !== 'string' || !c['partnershipId']) return 'case.partnershipId is missing';
  if (!Array.isArray(c['involvements'])) return 'case.involvements is not a list';
  if (!Array.isArray(c['positions'])) return 'case.positions is not a list';
  for (const p of c['positions']) {
    if (!isObject(p) || typeof p['agencyId'] !== 'string') return 'a position has no agencyId';
    if (typeof p['asOf'] !== 'string' || Number.isNaN(Date.parse(p['asOf'])))
      return 'a position has no valid asOf';
  }
  return null;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
