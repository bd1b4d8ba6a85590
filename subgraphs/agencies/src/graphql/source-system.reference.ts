import type { AgenciesContext } from './context';
import type { SourceSystemRecord } from '../domain/reference';

export async function resolveSourceSystemReference(
  reference: { id: string },
  ctx: AgenciesContext,
): Promise<SourceSystemRecord | null> {
  return ctx.loaders.sourceSystem.load(reference.id);
}
