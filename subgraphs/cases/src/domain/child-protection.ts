import type { ChildProtectionSnapshot, StatusChangeMessage } from '@mash/schema';
import { compareReported, iso, isEarlier, type Reported } from './time';

/** A milestone of the child protection process as the local authority reported it. */
export interface Milestone extends Reported {
  readonly agencyId: string;
}

export interface ConferenceMilestone extends Milestone {
  readonly type: 'initial' | 'review';
  readonly planDecided: boolean;
}

/**
 * What the case keeps of the child protection process: the current enquiry and every conference and core group
 * reported at or after its start (every one reported, while no enquiry is known), oldest first. The snapshot is
 * derived from it (`childProtectionSnapshot`), so the outcome depends on which reports arrived, never on the order
 * they arrived in: a late, older report cannot undo a newer one.
 */
export interface ChildProtectionRecord {
  /** The latest strategy discussion that started a s47 enquiry. */
  readonly enquiry: Milestone | null;
  readonly conferences: readonly ConferenceMilestone[];
  readonly coreGroups: readonly Milestone[];
}

/** The status change kinds that move the process. */
export const CHILD_PROTECTION_KINDS: readonly string[] = [
  'strategy-discussion',
  'child-protection-conference',
  'core-group',
];

/** How many conferences and how many core groups one enquiry keeps (the oldest go first past this). */
export const MAX_MILESTONES_PER_KIND = 200;

const onOrAfter =
  (start: string) =>
  (m: Reported): boolean =>
    !isEarlier(m.at, start);

function insert<T extends Reported>(list: readonly T[], item: T): readonly T[] {
  if (list.some((m) => m.statusChangeId === item.statusChangeId)) return list;
  const sorted = [...list, item].sort(compareReported);
  return sorted.slice(Math.max(0, sorted.length - MAX_MILESTONES_PER_KIND));
}

/**
 * The process after one status change. Only the local authority's children's service runs it (`la-children`
 * family); other families' changes, and other kinds, leave it as it is.
 *
 * - `strategy-discussion` with `s47Started: true`, newer than the current enquiry: starts a new enquiry, and the
 *   conferences and core groups before it (the previous enquiry's) are dropped; an older one is ignored. One
 *   without `s47Started` starts nothing.
 * - `child-protection-conference` (`facts.conference`) and `core-group`: kept when at or after the enquiry's start,
 *   ignored when before it (they belong to an earlier enquiry).
 */
export function applyChildProtection(
  record: ChildProtectionRecord | null,
  change: StatusChangeMessage,
): ChildProtectionRecord | null {
  if (change.family !== 'la-children') return record;
  const milestone: Milestone = {
    at: iso(change.occurredAt),
    statusChangeId: change.id,
    agencyId: change.agencyId,
  };
  const current: ChildProtectionRecord = record ?? { enquiry: null, conferences: [], coreGroups: [] };
  const start = current.enquiry?.at ?? null;
  switch (change.kind) {
    case 'strategy-discussion': {
      if (change.facts.s47Started !== true) return record;
      if (current.enquiry && compareReported(milestone, current.enquiry) <= 0) return record;
      const keep = onOrAfter(milestone.at);
      return {
        enquiry: milestone,
        conferences: current.conferences.filter(keep),
        coreGroups: current.coreGroups.filter(keep),
      };
    }
    case 'child-protection-conference': {
      const conference = change.facts.conference;
      if (!conference || (start !== null && isEarlier(milestone.at, start))) return record;
      const item: ConferenceMilestone = {
        ...milestone,
        type: conference.type,
        planDecided: conference.planDecided,
      };
      return { ...current, conferences: insert(current.conferences, item) };
    }
    case 'core-group': {
      if (start !== null && isEarlier(milestone.at, start)) return record;
      return { ...current, coreGroups: insert(current.coreGroups, milestone) };
    }
    default:
      return record;
  }
}

const first = <T>(list: readonly T[]): T | undefined => list[0];
const last = <T>(list: readonly T[]): T | undefined => list[list.length - 1];

/**
 * The process as the snapshot carries it (null when nothing of it has been reported):
 * - the enquiry: the latest strategy discussion that started a s47 enquiry;
 * - the initial conference: the first initial conference held since the enquiry started (a reconvened one does not
 *   move it);
 * - core groups and review conferences: those held since that initial conference (since the enquiry's start while
 *   no initial conference is known): the first and the latest core group, the latest review;
 * - `planDecided`: the decision of the latest conference since the initial one (false while none is known);
 * - `agencyId`: the agency that reported the enquiry, or the latest milestone when no enquiry is known.
 */
export function childProtectionSnapshot(
  record: ChildProtectionRecord | null,
): ChildProtectionSnapshot | null {
  if (!record) return null;
  const { enquiry } = record;
  if (!enquiry && record.conferences.length === 0 && record.coreGroups.length === 0) return null;
  const initial = first(record.conferences.filter((c) => c.type === 'initial'));
  const since = initial ? onOrAfter(initial.at) : () => true;
  const conferences = record.conferences.filter(since);
  const reviews = conferences.filter((c) => c.type === 'review');
  const coreGroups = record.coreGroups.filter(since);
  const latestReview = last(reviews);
  const latestCoreGroup = last(coreGroups);
  const latest = last([...record.conferences, ...record.coreGroups].sort(compareReported));
  return {
    agencyId: enquiry?.agencyId ?? latest?.agencyId ?? '',
    enquiryStartedAt: enquiry?.at ?? null,
    enquiryStatusChangeId: enquiry?.statusChangeId ?? null,
    initialConferenceAt: initial?.at ?? null,
    initialConferenceStatusChangeId: initial?.statusChangeId ?? null,
    planDecided: last(conferences)?.planDecided ?? false,
    firstCoreGroupAt: first(coreGroups)?.at ?? null,
    lastCoreGroupAt: latestCoreGroup?.at ?? null,
    lastCoreGroupStatusChangeId: latestCoreGroup?.statusChangeId ?? null,
    lastReviewConferenceAt: latestReview?.at ?? null,
    lastReviewConferenceStatusChangeId: latestReview?.statusChangeId ?? null,
  };
}
