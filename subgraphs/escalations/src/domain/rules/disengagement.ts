import type {
  CaseSignalSnapshot,
  CaseSnapshot,
  DisengagementPolicy,
  DisengagementSignal,
} from '@mash/schema';
import { addTimescale } from '../calendar';
import type { Finding, Rule } from './finding';
import { chooseParties } from './parties';
import { agencyNamer, sentence, timescaleWords, times } from './words';

const GROUND = 'disengagement';

/**
 * docs/DOMAIN.md#disengagement: at least `minimumSignals` signals of disengagement from at least `minimumAgencies`
 * agencies within one `window`, of the kinds the policy counts (`signals`):
 * - `was-not-brought` / `did-not-attend`: a missed health appointment (an appointment event that does not say
 *   which counts as either, when the policy counts either);
 * - `no-access-visit`: a visit that found no one in, or did not see the subject;
 * - `low-attendance`: attendance under `attendanceBelowPercent` over the school's period;
 * - `unexplained-absence`, `child-missing-education`;
 * - `missing-episode`: a missing episode reported (a return is not a signal).
 * The window ends at a signal no longer ago than the window itself (signals long past raise nothing however many
 * there were); the most recent such window that holds enough signals is the finding. Its evidence is the signals
 * in that window; it is due at the signal that completed it, so it is raised at once.
 */
export const disengagementRule: Rule<'disengagement'> = (snapshot, trigger, ctx) => {
  if (!trigger.enabled) return [];
  const counted = countedSignals(snapshot, trigger);
  const within = (from: Date, to: Date) => addTimescale(from, trigger.window, ctx.calendar) >= to;
  for (let end = counted.length - 1; end >= 0; end--) {
    const endAt = counted[end]!.at;
    if (!within(endAt, ctx.now)) break; // every earlier window ended longer ago still
    const group = counted.slice(0, end + 1).filter((s) => within(s.at, endAt));
    const completedAt = completion(group, trigger);
    if (completedAt === null) continue;
    const signalling = [...new Set(group.map((s) => s.signal.agencyId))];
    const parties = chooseParties(snapshot, trigger.parties, ctx.agencies, { signalling });
    if (!parties) return [];
    return [
      {
        ground: GROUND,
        raisingAgencyId: parties.raising,
        receivingAgencyId: parties.receiving,
        evidence: group.map((s) => s.signal.statusChangeId),
        since: group[0]!.at,
        dueAt: completedAt,
        reason: reason(group, trigger, agencyNamer(ctx.agencies)),
      } satisfies Finding,
    ];
  }
  return [];
};

interface Counted {
  readonly signal: CaseSignalSnapshot;
  readonly kind: DisengagementSignal;
  readonly at: Date;
}

/** The signals the policy counts, oldest first. */
function countedSignals(snapshot: CaseSnapshot, trigger: DisengagementPolicy): Counted[] {
  const counts = new Set<DisengagementSignal>(trigger.signals);
  const out: Counted[] = [];
  for (const signal of snapshot.signals ?? []) {
    const kind = disengagementSignal(signal, trigger, counts);
    if (kind) out.push({ signal, kind, at: new Date(signal.occurredAt) });
  }
  return out.sort(
    (a, b) =>
      a.at.getTime() - b.at.getTime() || a.signal.statusChangeId.localeCompare(b.signal.statusChangeId),
  );
}

/** Which signal of disengagement a status change is, if it is one the policy counts. */
export function disengagementSignal(
  s: Pick<CaseSignalSnapshot, 'kind' | 'facts'>,
  trigger: Pick<DisengagementPolicy, 'attendanceBelowPercent'>,
  counts: ReadonlySet<DisengagementSignal>,
): DisengagementSignal | null {
  const counted = (kind: DisengagementSignal) => (counts.has(kind) ? kind : null);
  switch (s.kind) {
    case 'appointment-not-attended': {
      const attendance = s.facts.appointment?.attendance;
      return attendance ? counted(attendance) : (counted('was-not-brought') ?? counted('did-not-attend'));
    }
    case 'visit':
      return s.facts.visit?.outcome === 'no-access' ? counted('no-access-visit') : null;
    case 'attendance-below-threshold': {
      const percentage = s.facts.attendance?.percentage;
      return percentage !== undefined && percentage < trigger.attendanceBelowPercent
        ? counted('low-attendance')
        : null;
    }
    case 'unexplained-absence':
      return counted('unexplained-absence');
    case 'missing-episode':
      return s.facts.missingEpisode?.status === 'returned' ? null : counted('missing-episode');
    case 'child-missing-education':
      return counted('child-missing-education');
    default:
      return null;
  }
}

/** When the group (oldest first) first held enough signals from enough agencies; null if it never did. */
function completion(group: readonly Counted[], trigger: DisengagementPolicy): Date | null {
  const agencies = new Set<string>();
  for (const [i, s] of group.entries()) {
    agencies.add(s.signal.agencyId);
    if (i + 1 >= trigger.minimumSignals && agencies.size >= trigger.minimumAgencies) return s.at;
  }
  return null;
}

function reason(
  group: readonly Counted[],
  trigger: DisengagementPolicy,
  name: (id: string) => string,
): string {
  const byAgency = new Map<string, Map<string, number>>();
  for (const s of group) {
    const labels = byAgency.get(s.signal.agencyId) ?? new Map<string, number>();
    const label = LABELS[s.kind](trigger);
    labels.set(label, (labels.get(label) ?? 0) + 1);
    byAgency.set(s.signal.agencyId, labels);
  }
  const parts = [...byAgency].map(
    ([agencyId, labels]) =>
      `${name(agencyId)} (${[...labels].map(([label, n]) => (n === 1 ? label : `${label}, ${times(n)}`)).join('; ')})`,
  );
  return sentence(
    `${group.length} signs of disengagement from ${byAgency.size} ${byAgency.size === 1 ? 'agency' : 'agencies'} ` +
      `within ${timescaleWords(trigger.window)}: ${parts.join(', ')}.`,
  );
}

const LABELS: Record<DisengagementSignal, (trigger: DisengagementPolicy) => string> = {
  'was-not-brought': () => 'not brought to an appointment',
  'did-not-attend': () => 'did not attend an appointment',
  'no-access-visit': () => 'no access on a visit',
  'low-attendance': (t) => `attendance below ${t.attendanceBelowPercent}%`,
  'unexplained-absence': () => 'an unexplained absence',
  'missing-episode': () => 'reported missing',
  'child-missing-education': () => 'missing education',
};
