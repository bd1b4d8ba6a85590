import { isUuid } from '@mash/service-kit';
import DataLoader from 'dataloader';
import type { CaseAccessFacts } from '../domain/access';
import type {
  AgencyPositionEntity,
  CaseEntity,
  InvolvementEntity,
  PlanActionEntity,
  PlanEntity,
  StatusChangeEntity,
  SubjectEntity,
  SubjectIdentifierEntity,
} from '../entities';
import type { CaseReader } from '../repositories/case.reader';

/** A page of one case's timeline: `limit` entries after `afterId` (from the newest when absent). */
export interface TimelineKey {
  readonly caseId: string;
  readonly limit: number;
  readonly afterId?: string;
}

/** Per-request DataLoaders: one query per kind of record per tick, however many cases a query touches. */
export interface CasesLoaders {
  readonly subject: DataLoader<string, SubjectEntity | null>;
  readonly identifiersOfSubject: DataLoader<string, SubjectIdentifierEntity[]>;
  readonly case: DataLoader<string, CaseEntity | null>;
  readonly casesOfSubject: DataLoader<string, CaseEntity[]>;
  readonly involvementsOfCase: DataLoader<string, InvolvementEntity[]>;
  readonly positionsOfCase: DataLoader<string, AgencyPositionEntity[]>;
  readonly plansOfCase: DataLoader<string, PlanEntity[]>;
  readonly actionsOfPlan: DataLoader<string, PlanActionEntity[]>;
  readonly statusChange: DataLoader<string, StatusChangeEntity | null>;
  readonly timeline: DataLoader<TimelineKey, StatusChangeEntity[], string>;
}

function byId<T extends { id: string }>(load: (ids: readonly string[]) => Promise<T[]>) {
  return new DataLoader<string, T | null>(async (ids) => {
    const valid = ids.filter(isUuid);
    const found = new Map((valid.length > 0 ? await load(valid) : []).map((row) => [row.id, row]));
    return ids.map((id) => found.get(id) ?? null);
  });
}

function groupedBy<T>(load: (keys: readonly string[]) => Promise<T[]>, keyOf: (row: T) => string) {
  return new DataLoader<string, T[]>(async (keys) => {
    const groups = new Map<string, T[]>();
    for (const row of await load(keys)) {
      const key = keyOf(row);
      groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    return keys.map((key) => groups.get(key) ?? []);
  });
}

export function createLoaders(reader: CaseReader): CasesLoaders {
  return {
    subject: byId((ids) => reader.subjects(ids)),
    identifiersOfSubject: groupedBy(
      (ids) => reader.identifiersOfSubjects(ids),
      (i) => i.subjectId,
    ),
    case: byId((ids) => reader.cases(ids)),
    casesOfSubject: groupedBy(
      (ids) => reader.casesOfSubjects(ids),
      (c) => c.subjectId,
    ),
    involvementsOfCase: groupedBy(
      (ids) => reader.involvementsOfCases(ids),
      (i) => i.caseId,
    ),
    positionsOfCase: groupedBy(
      (ids) => reader.positionsOfCases(ids),
      (p) => p.caseId,
    ),
    plansOfCase: groupedBy(
      (ids) => reader.plansOfCases(ids),
      (p) => p.caseId,
    ),
    actionsOfPlan: groupedBy(
      (ids) => reader.actionsOfPlans(ids),
      (a) => a.planId,
    ),
    statusChange: byId((ids) => reader.statusChanges(ids)),
    timeline: new DataLoader<TimelineKey, StatusChangeEntity[], string>(
      async (keys) => {
        // First pages asking for the same limit share one query; a later page is one query of its own.
        const results = new Map<string, StatusChangeEntity[]>();
        const firstPages = new Map<number, string[]>();
        for (const key of keys) {
          if (key.afterId === undefined) {
            firstPages.set(key.limit, [...(firstPages.get(key.limit) ?? []), key.caseId]);
          } else {
            results.set(timelineKey(key), await reader.timelines([key.caseId], key.limit, key.afterId));
          }
        }
        for (const [limit, caseIds] of firstPages) {
          for (const row of await reader.timelines(caseIds, limit)) {
            const key = timelineKey({ caseId: row.caseId, limit });
            results.set(key, [...(results.get(key) ?? []), row]);
          }
        }
        return keys.map((key) => results.get(timelineKey(key)) ?? []);
      },
      { cacheKeyFn: timelineKey },
    ),
  };
}

/** What need-to-know is decided on for a case: its partnership and every agency involved. */
export async function caseAccessFacts(
  loaders: CasesLoaders,
  kase: CaseEntity | { id: string; partnershipId: string },
): Promise<CaseAccessFacts> {
  const involvements = await loaders.involvementsOfCase.load(kase.id);
  return { partnershipId: kase.partnershipId, involvedAgencyIds: involvements.map((i) => i.agencyId) };
}

function timelineKey({ caseId, limit, afterId }: TimelineKey): string {
  return `${caseId}:${limit}:${afterId ?? ''}`;
}
