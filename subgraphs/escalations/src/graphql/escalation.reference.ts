import { checkEscalation, maySeeEscalations, NO_PERSONAL_DATA } from '../services/access';
import type { EscalationsContext } from './context';
import type { Escalation } from './escalation.type';

/** Resolves `Escalation` references from other subgraphs (batched), through the same check point as queries. */
export async function resolveEscalationReference(
  ref: { id: string },
  ctx: EscalationsContext,
): Promise<Escalation | null> {
  if (!maySeeEscalations(ctx.identity)) {
    ctx.audit.check({ recordType: 'Escalation', recordId: ref.id }, 'read', NO_PERSONAL_DATA);
  }
  const e = await ctx.loaders.escalation.load(ref.id);
  return e ? checkEscalation(ctx.audit, e, ref.id) : null;
}
