import { BadUserInputError, pageRequest, readAuditEntries, type StoredAuditEntry } from '@mash/service-kit';
import { hasRole } from '@mash/schema';
import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import type { AgenciesContext } from './context';
import { AuditEntryConnection, AuditEntryType } from './audit-entry.type';

const MAX_PAGE = 500;

/**
 * The audit trail (schema `audit`, written by every subgraph through the service kit), for auditors only. Reading
 * the trail is itself recorded.
 */
@Resolver(() => AuditEntryType)
export class AuditResolver {
  @Query(() => AuditEntryConnection, {
    description:
      'The audit trail of personal-data access, newest first, for the auditor role only. Filters combine; `to` is exclusive.',
  })
  async auditEntries(
    @Ctx() ctx: AgenciesContext,
    @Arg('subjectId', () => ID, { nullable: true, description: 'The person the records are about.' })
    subjectId?: string | null,
    @Arg('actor', () => String, { nullable: true, description: 'Who accessed (token subject).' })
    actor?: string | null,
    @Arg('recordId', () => ID, { nullable: true }) recordId?: string | null,
    @Arg('from', () => Date, { nullable: true }) from?: Date | null,
    @Arg('to', () => Date, { nullable: true }) to?: Date | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<AuditEntryConnection> {
    const target = { recordType: 'AuditTrail', recordId: 'auditEntries' };
    if (!hasRole(ctx.identity, 'auditor')) {
      ctx.audit.check(target, 'read', {
        allowed: false,
        ground: 'refused:not-auditor',
        reason: 'Only auditors read the audit trail.',
      });
    }
    const page = pageRequest(first, after, { defaultFirst: 50, max: MAX_PAGE });
    if (page.after !== undefined && !/^\d+$/.test(page.after.id)) {
      throw new BadUserInputError('after is not a cursor this list gave out.', 'after');
    }
    ctx.audit.record(target, 'read', { allowed: true, ground: 'auditor' });
    const result = await readAuditEntries(
      ctx.services.auditTrail,
      {
        ...(subjectId != null && { dataSubjectId: subjectId }),
        ...(actor != null && { actor }),
        ...(recordId != null && { recordId }),
        ...(from != null && { from }),
        ...(to != null && { to }),
      },
      page,
    );
    return {
      nodes: result.nodes.map(toType),
      pageInfo: { endCursor: result.endCursor, hasNextPage: result.hasNextPage },
    };
  }
}

function toType(e: StoredAuditEntry): AuditEntryType {
  return {
    id: e.id,
    at: e.at,
    service: e.service,
    requestId: e.requestId,
    actor: e.actor,
    actorAgencyId: e.actorAgencyId ?? null,
    actorPartnershipId: e.actorPartnershipId ?? null,
    actorRoles: [...e.actorRoles],
    action: e.action,
    recordType: e.recordType,
    recordId: e.recordId,
    fields: [...e.fields],
    dataSubjectId: e.dataSubjectId ?? null,
    ground: e.ground,
    outcome: e.outcome,
  };
}
