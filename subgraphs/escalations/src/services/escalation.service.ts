import type { DataSource, EntityManager } from 'typeorm';
import { In } from 'typeorm';
import type { Identity } from '@mash/schema';
import { enqueueOutbox } from '@mash/kafka';
import {
  BadUserInputError,
  ForbiddenError,
  InvalidTransitionError,
  isUuid,
  NotFoundError,
  type AccessDecision,
  type AuditRecorder,
} from '@mash/service-kit';
import {
  acknowledgeDecision,
  assertMaySeeEscalations,
  maySeeEscalation,
  maySeeEscalations,
  NO_PERSONAL_DATA,
  readDecision,
  resolveDecision,
  type EscalationListScope,
} from './access';
import { EscalationTransitionError } from '../domain/errors';
import { acknowledge, resolve } from '../domain/escalation';
import type { Clock, EscalationStatus, Moved } from '../domain/model';
import { EscalationEvidenceEntity } from '../entities/escalation-evidence.entity';
import { EscalationTransitionEntity } from '../entities/escalation-transition.entity';
import { EscalationEntity } from '../entities/escalation.entity';
import { escalationEvent } from './escalation-events';
import {
  appendTransition,
  lockEscalation,
  toEntity,
  toState,
  updateEscalation,
} from '../repositories/escalation.repository';
import { DB_SCHEMA } from '../entities/schema-name';

export interface EscalationServiceDeps {
  readonly dataSource: DataSource;
  readonly clock: Clock;
  /** The escalation-events topic. */
  readonly topic: string;
  /** Called after a commit that enqueued events (wake the outbox relay). */
  readonly afterCommit?: () => void;
}

/**
 * Escalation use cases behind the GraphQL resolvers: batched reads for the DataLoaders, and the people-made moves
 * (acknowledge, resolve), each recorded in the history and published through the outbox.
 */
export class EscalationService {
  constructor(private readonly deps: EscalationServiceDeps) {}

  private get repo() {
    return this.deps.dataSource.getRepository(EscalationEntity);
  }

  /** Escalations by id, in the order asked (null where there is none). */
  async byIds(ids: readonly string[]): Promise<(EscalationEntity | null)[]> {
    const valid = ids.filter(isUuid);
    const rows = valid.length ? await this.repo.findBy({ id: In(valid) }) : [];
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /** Each case's escalations, newest first. */
  async byCaseIds(caseIds: readonly string[]): Promise<EscalationEntity[][]> {
    const rows = await this.repo.find({
      where: { caseId: In([...caseIds]) },
      order: { raisedAt: 'DESC', id: 'ASC' },
    });
    return caseIds.map((id) => rows.filter((r) => r.caseId === id));
  }

  /**
   * A partnership's escalations within the caller's scope (the whole partnership, or those where an agency is
   * raising or receiving), optionally of one status, most urgent deadline first.
   */
  /**
   * A page of a partnership's escalations in the caller's scope, the nearest deadline first (none last), then the
   * oldest raised; `afterId` continues after that escalation (a keyset on the same order).
   */
  async list(
    partnershipId: string,
    scope: EscalationListScope,
    status: EscalationStatus | null | undefined,
    page: { readonly take: number; readonly afterId?: string },
  ): Promise<EscalationEntity[]> {
    if (scope.kind === 'none') return [];
    const deadline = (alias: string) => `coalesce(${alias}."stage_deadline", 'infinity'::timestamptz)`;
    const query = this.repo
      .createQueryBuilder('e')
      .where('e.partnershipId = :partnershipId', { partnershipId })
      .orderBy(deadline('e'), 'ASC')
      .addOrderBy('e.raisedAt', 'ASC')
      .addOrderBy('e.id', 'ASC')
      .take(page.take);
    if (status) query.andWhere('e.status = :status', { status });
    if (scope.kind === 'agency') {
      query.andWhere('(e.raisingAgencyId = :agencyId OR e.receivingAgencyId = :agencyId)', {
        agencyId: scope.agencyId,
      });
    }
    if (page.afterId !== undefined) {
      query.andWhere(
        `EXISTS (SELECT 1 FROM "${DB_SCHEMA}"."escalation" a WHERE a."id" = :afterId
           AND (${deadline('e')}, e."raised_at", e."id") > (${deadline('a')}, a."raised_at", a."id"))`,
        { afterId: page.afterId },
      );
    }
    return query.getMany();
  }

  /** Each escalation's evidence (status change ids), in the order it joined. */
  async evidence(escalationIds: readonly string[]): Promise<string[][]> {
    const rows = await this.deps.dataSource.getRepository(EscalationEvidenceEntity).find({
      where: { escalationId: In([...escalationIds]) },
      order: { addedAt: 'ASC', statusChangeId: 'ASC' },
    });
    return escalationIds.map((id) => rows.filter((r) => r.escalationId === id).map((r) => r.statusChangeId));
  }

  /** Each escalation's history, oldest first. */
  async history(escalationIds: readonly string[]): Promise<EscalationTransitionEntity[][]> {
    const rows = await this.deps.dataSource.getRepository(EscalationTransitionEntity).find({
      where: { escalationId: In([...escalationIds]) },
      order: { id: 'ASC' },
    });
    return escalationIds.map((id) => rows.filter((r) => r.escalationId === id));
  }

  /** The receiving agency takes the escalation up. */
  async acknowledge(
    identity: Identity,
    id: string,
    rationale: string,
    audit?: AuditRecorder,
  ): Promise<EscalationEntity> {
    const why = required(rationale, 'rationale');
    return this.move(identity, id, 'acknowledged', audit, (row, at) => {
      checkWrite(audit, row, acknowledgeDecision(identity, row));
      return acknowledge(toState(row), { at, actor: identity.subject, rationale: why });
    });
  }

  /** Either agency in dispute, or the partnership chair, records the agreed outcome. */
  async resolve(
    identity: Identity,
    id: string,
    outcome: string,
    rationale: string,
    audit?: AuditRecorder,
  ): Promise<EscalationEntity> {
    const agreed = required(outcome, 'outcome');
    const why = required(rationale, 'rationale');
    return this.move(identity, id, 'resolved', audit, (row, at) => {
      checkWrite(audit, row, resolveDecision(identity, row));
      return resolve(toState(row), { at, actor: identity.subject, outcome: agreed, rationale: why });
    });
  }

  private async move(
    identity: Identity,
    id: string,
    type: 'acknowledged' | 'resolved',
    audit: AuditRecorder | undefined,
    decide: (row: EscalationEntity, at: Date) => Moved,
  ): Promise<EscalationEntity> {
    if (audit && !maySeeEscalations(identity)) {
      audit.check({ recordType: 'Escalation', recordId: id }, 'write', NO_PERSONAL_DATA);
    }
    assertMaySeeEscalations(identity);
    const at = this.deps.clock.now();
    const updated = await this.deps.dataSource.transaction(async (m: EntityManager) => {
      const row = isUuid(id) ? await lockEscalation(m, id) : null;
      if (!row) throw new NotFoundError(`Escalation ${id}`);
      if (audit)
        audit.check({ recordType: 'Escalation', recordId: row.id }, 'read', readDecision(identity, row));
      else if (!maySeeEscalation(identity, row)) throw new ForbiddenError();
      let moved: Moved;
      try {
        moved = decide(row, at);
      } catch (err) {
        if (err instanceof EscalationTransitionError) throw new InvalidTransitionError(err.message);
        throw err;
      }
      await updateEscalation(m, moved.escalation);
      await appendTransition(m, id, moved.transition);
      await enqueueOutbox(m, DB_SCHEMA, [
        escalationEvent(this.deps.topic, type, moved.escalation, at, moved.transition.rationale),
      ]);
      return toEntity(moved.escalation);
    });
    this.deps.afterCommit?.();
    return updated;
  }
}

/** Records a write decision (when there is a recorder) and refuses with FORBIDDEN. */
function checkWrite(audit: AuditRecorder | undefined, row: EscalationEntity, decision: AccessDecision): void {
  if (audit) audit.check({ recordType: 'Escalation', recordId: row.id }, 'write', decision);
  else if (!decision.allowed) throw new ForbiddenError(decision.reason);
}

function required(value: string, field: string): string {
  const trimmed = value.trim();
  if (!trimmed) throw new BadUserInputError(`${field} must not be blank.`, field);
  return trimmed;
}
