import { mayReadConnectorHealth } from '@mash/schema';
import { BadUserInputError, ForbiddenError } from '@mash/service-kit';
import { Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import type { EventTypeFigures, SourceSystemFigures } from '../source-health';
import type { ConnectorContext } from './context';
import { ConnectorHealth, EventTypeHealth } from './connector-health.type';
import { SourceSystem, type SourceSystemRef } from './source-system.type';

const date = (iso: string | null): Date | null => (iso === null ? null : new Date(iso));

function typeHealth(f: EventTypeFigures): EventTypeHealth {
  return {
    type: f.type,
    accepted: f.accepted,
    rejected: f.rejected,
    duplicates: f.duplicates,
    lastEventAt: date(f.lastEventAt),
    lastAcceptedAt: date(f.lastAcceptedAt),
    deadLetters: {
      count: f.deadLetters.count,
      byCode: f.deadLetters.byCode.map((c) => ({ ...c })),
      recent: f.deadLetters.recent.map((r) => ({
        code: r.code,
        at: new Date(r.at),
        type: r.type,
        issues: r.issues.map((i) => ({ ...i })),
      })),
    },
  };
}

function connectorHealth(f: SourceSystemFigures, consumerLag: number | null): ConnectorHealth {
  const { type: _type, ...totals } = typeHealth({ ...f, type: null });
  return { ...totals, consumerLag, eventTypes: f.eventTypes.map(typeHealth) };
}

/** Checks the representation the router sent, which must hold the `code` that `health` requires. */
function sourceSystemRef(root: Record<string, unknown>): SourceSystemRef {
  const { id, code } = root;
  if (typeof id !== 'string' || typeof code !== 'string')
    throw new BadUserInputError('A SourceSystem representation needs id and code.');
  return { id, code };
}

@Resolver(() => SourceSystem)
export class SourceSystemHealthResolver {
  @Directive('@requires(fields: "code")')
  @FieldResolver(() => ConnectorHealth, {
    nullable: true,
    description:
      "The connector's figures for this source system: events accepted and rejected, per event type, the last event's time, consumer lag and dead-letter codes with the fields that broke. For the integrators of the source system's agency and the MASH officers of its partnership (FORBIDDEN for anyone else); never personal data.",
  })
  async health(
    @Root() root: Record<string, unknown>,
    @Ctx() ctx: ConnectorContext,
  ): Promise<ConnectorHealth | null> {
    const ref = sourceSystemRef(root);
    // Whose it is comes from the agencies subgraph itself, not from the representation a caller could write.
    const registered = await ctx.services.directory.sourceSystem(ref.code);
    if (!registered || registered.id !== ref.id) return null;
    if (!mayReadConnectorHealth(ctx.identity, registered)) {
      throw new ForbiddenError(
        "Connector health is for the source system's agency integrators and MASH officers.",
      );
    }
    const [figures, lag] = await Promise.all([
      ctx.services.health.ofSourceSystem(registered.code),
      ctx.services.lag.ofSourceSystem(registered.family, registered.code).catch((err: unknown) => {
        ctx.logger.warn({ err, sourceSystem: registered.code }, 'consumer lag unavailable');
        return null;
      }),
    ]);
    return connectorHealth(figures, lag);
  }
}
