import type { Case } from './case.type';

/** A `Case` reference needs nothing but its id here: `Case.escalations` loads the rest (batched). */
export function resolveCaseReference(ref: { id: string }): Case {
  return { id: ref.id };
}
