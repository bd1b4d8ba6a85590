import { ForbiddenError } from '@mash/service-kit';
import { assertMaySeeEscalations, maySeeEscalation } from '../services/access';
import type { EscalationsContext } from './context';
import type { Escalation } from './escalation.type';

/** Resolves `Escalation` references from other subgraphs (batched), with the same need-to-know as queries. */
export async function resolveEscalationReference(
  ref: { id: string },
  ctx: EscalationsContext,
): Promise<Escalation | null> {
  assertMaySeeEscalations(ctx.identity);
  const e = await ctx.loaders.escalation.load(ref.id);
  if (!e) return null;
  if (!maySeeEscalation(ctx.identity, e)) throw new ForbiddenError();
  return e;
}
