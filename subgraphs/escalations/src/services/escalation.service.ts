import type { DataSource } from 'typeorm';
import { In } from 'typeorm';
import { isUuid } from '@mash/service-kit';
import type { EscalationListScope } from './access';
import type {
  EscalationLearning,
  EscalationMeeting,
  EscalationStatus,
  ResolutionPanel,
} from '../domain/model';
import { EscalationEvidenceEntity } from '../entities/escalation-evidence.entity';
import { EscalationTransitionEntity } from '../entities/escalation-transition.entity';
import { EscalationEntity } from '../entities/escalation.entity';
import { learningOf, meetingsOf, panelsOf } from '../repositories/escalation-records.repository';
import { DB_SCHEMA } from '../entities/schema-name';

export interface EscalationServiceDeps {
  readonly dataSource: DataSource;
}

/**
 * Escalation reads behind the GraphQL resolvers, batched for the DataLoaders. The moves people make are in
 * `escalation-actions.service.ts`.
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

  /** Each escalation's meetings, in the order they were held. */
  meetings(escalationIds: readonly string[]): Promise<EscalationMeeting[][]> {
    return meetingsOf(this.deps.dataSource.manager, escalationIds);
  }

  /** Each escalation's learning, oldest first. */
  learning(escalationIds: readonly string[]): Promise<EscalationLearning[][]> {
    return learningOf(this.deps.dataSource.manager, escalationIds);
  }

  /** Each escalation's resolution panel, or null. */
  panels(escalationIds: readonly string[]): Promise<(ResolutionPanel | null)[]> {
    return panelsOf(this.deps.dataSource.manager, escalationIds);
  }
}
