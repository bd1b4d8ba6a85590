import {
  thresholdRank,
  type CaseSignalSnapshot,
  type CaseSnapshot,
  type IncreasingRiskPolicy,
} from '@mash/schema';
import { addTimescale } from '../calendar';
import type { Finding, Rule } from './finding';
import { chooseParties } from './parties';
import { agencyNamer, sentence, THRESHOLD_WORDS } from './words';

const GROUND = 'increasing-risk';

/**
 * docs/DOMAIN.md#increasing-risk: a risk signal within `signalWithin` of now
 * - a DASH risk assessment scoring `dashHighScore` or more;
 * - a MARAC referral (with `maracReferral`);
 * - a protection notice rated one of `protectionNoticeRatings`;
 * - a missing episode reported (with `missingEpisode`; a return is not a signal);
 * while the local authority (the trigger's receiving agency, chosen as for every party: `parties.ts`) judges
 * below `localAuthorityBelow` or has made no judgement, is not involved at all, or (with `whenCaseClosed`) has
 * closed its involvement or the case is closed. Evidence: the risk signals; due at the first of them, so it is
 * raised at once. A later signal is new evidence: it joins an open escalation, or raises again after one was
 * resolved.
 */
export const increasingRiskRule: Rule<'increasing-risk'> = (snapshot, trigger, ctx) => {
  if (!trigger.enabled) return [];
  const risks = (snapshot.signals ?? [])
    .map((signal) => ({ signal, at: new Date(signal.occurredAt), what: riskSignal(signal, trigger) }))
    .filter(
      (r): r is { signal: CaseSignalSnapshot; at: Date; what: string } =>
        r.what !== null && addTimescale(r.at, trigger.signalWithin, ctx.calendar) >= ctx.now,
    )
    .sort(
      (a, b) =>
        a.at.getTime() - b.at.getTime() || a.signal.statusChangeId.localeCompare(b.signal.statusChangeId),
    );
  if (risks.length === 0) return [];
  const parties = chooseParties(snapshot, trigger.parties, ctx.agencies, {
    signalling: [...new Set(risks.map((r) => r.signal.agencyId))],
  });
  if (!parties) return [];
  const name = agencyNamer(ctx.agencies);
  const position = localAuthorityPosition(snapshot, parties.receiving, name(parties.receiving), trigger);
  if (position === null) return [];
  const byAgency = new Map<string, string[]>();
  for (const r of risks)
    byAgency.set(r.signal.agencyId, [...(byAgency.get(r.signal.agencyId) ?? []), r.what]);
  const reported = [...byAgency]
    .map(([agencyId, what]) => `${name(agencyId)} reports ${[...new Set(what)].join(' and ')}`)
    .join('; ');
  const finding: Finding = {
    ground: GROUND,
    raisingAgencyId: parties.raising,
    receivingAgencyId: parties.receiving,
    evidence: risks.map((r) => r.signal.statusChangeId),
    since: risks[0]!.at,
    dueAt: risks[0]!.at,
    reason: sentence(`Risk is increasing: ${reported}, while ${position}.`),
  };
  return [finding];
};

/** What a status change says about risk, in words, if it is a signal the policy counts. */
export function riskSignal(
  s: Pick<CaseSignalSnapshot, 'kind' | 'facts'>,
  trigger: Pick<
    IncreasingRiskPolicy,
    'dashHighScore' | 'maracReferral' | 'protectionNoticeRatings' | 'missingEpisode'
  >,
): string | null {
  switch (s.kind) {
    case 'risk-assessment':
      return s.facts.dashScore !== undefined && s.facts.dashScore >= trigger.dashHighScore
        ? `a DASH risk assessment at or above the high-risk score of ${trigger.dashHighScore}`
        : null;
    case 'marac-referral':
      return trigger.maracReferral ? 'a MARAC referral' : null;
    case 'protection-notice':
      return s.facts.bragRating !== undefined && trigger.protectionNoticeRatings.includes(s.facts.bragRating)
        ? `a ${s.facts.bragRating} protection notice`
        : null;
    case 'missing-episode':
      return trigger.missingEpisode && s.facts.missingEpisode?.status !== 'returned'
        ? 'a missing episode'
        : null;
    default:
      return null;
  }
}

/**
 * The local authority's position in words when it lets a risk signal raise (below the threshold, closed, not
 * involved); null when the local authority already acts at or above it.
 */
function localAuthorityPosition(
  snapshot: CaseSnapshot,
  agencyId: string,
  name: string,
  trigger: IncreasingRiskPolicy,
): string | null {
  const involvement = snapshot.involvements.find((i) => i.agencyId === agencyId);
  if (!involvement) return `${name} is not involved in the case`;
  const threshold = snapshot.positions.find((p) => p.agencyId === agencyId)?.threshold ?? null;
  const below = threshold === null || thresholdRank(threshold) < thresholdRank(trigger.localAuthorityBelow);
  if (trigger.whenCaseClosed && !involvement.open) return `${name} has closed its involvement`;
  if (trigger.whenCaseClosed && snapshot.status === 'closed') return 'the case is closed';
  if (!below) return null;
  return threshold === null
    ? `${name} has made no threshold judgement`
    : `${name} judges ${THRESHOLD_WORDS[threshold]}`;
}
