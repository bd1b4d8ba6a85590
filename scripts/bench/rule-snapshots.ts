import {
  Demo,
  THRESHOLDS,
  type CaseSignalSnapshot,
  type CaseSnapshot,
  type PlanSnapshot,
  type StatusChangeKind,
  type StatusFacts,
  type Threshold,
} from '@mash/schema';
import type { AgencyRef } from '@mash/escalations';

/**
 * Realistic case snapshots for `bench:rules`, as the cases subgraph builds them (schema/src/events.ts): police,
 * children's services, health and education involved with their positions; half of the cases with a child
 * protection process under way; one or two plans with 3 to 8 actions (some overdue) and a visit frequency; 20 to 50
 * signals of every kind over the last four months. Deterministic for a seed, so runs compare.
 */

const DAY = 24 * 3600 * 1000;
const A = Demo.agencies;

/** MK Together's agencies, as the directory serves them to the rules. */
export const BENCH_AGENCIES: readonly AgencyRef[] = [
  { id: A.police, name: 'Thames Valley Police', type: 'police' },
  { id: A.laChildren, name: "Milton Keynes Council Children's Services", type: 'la-children' },
  { id: A.health, name: 'Milton Keynes University Hospital', type: 'health' },
  { id: A.education, name: 'Milton Keynes Education Safeguarding', type: 'education' },
  { id: A.partnership, name: 'MK Together Business Unit', type: 'voluntary' },
];

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface SignalKind {
  readonly kind: StatusChangeKind;
  readonly agencyId: string;
  readonly family: CaseSignalSnapshot['family'];
  readonly facts: (r: () => number) => StatusFacts;
}

const SIGNAL_KINDS: readonly SignalKind[] = [
  {
    kind: 'appointment-not-attended',
    agencyId: A.health,
    family: 'health',
    facts: (r) => ({ appointment: { attendance: r() < 0.7 ? 'was-not-brought' : 'did-not-attend' } }),
  },
  {
    kind: 'visit',
    agencyId: A.laChildren,
    family: 'la-children',
    facts: (r) => ({ visit: { outcome: r() < 0.6 ? 'seen' : 'no-access' } }),
  },
  {
    kind: 'attendance-below-threshold',
    agencyId: A.education,
    family: 'education',
    facts: (r) => ({
      attendance: {
        percentage: 70 + Math.round(r() * 250) / 10,
        periodStart: '2026-09-03',
        periodEnd: '2026-11-20',
      },
    }),
  },
  { kind: 'unexplained-absence', agencyId: A.education, family: 'education', facts: () => ({}) },
  {
    kind: 'missing-episode',
    agencyId: A.police,
    family: 'police',
    facts: (r) => ({ missingEpisode: { ref: 'episode', status: r() < 0.5 ? 'missing' : 'returned' } }),
  },
  {
    kind: 'risk-assessment',
    agencyId: A.police,
    family: 'police',
    facts: (r) => {
      const dashScore = Math.floor(r() * 24);
      return { dashScore, riskLevel: dashScore >= 14 ? 'high' : dashScore >= 10 ? 'medium' : 'standard' };
    },
  },
  { kind: 'marac-referral', agencyId: A.police, family: 'police', facts: () => ({ riskLevel: 'high' }) },
  {
    kind: 'protection-notice',
    agencyId: A.police,
    family: 'police',
    facts: (r) => ({ bragRating: (['red', 'amber', 'green', 'blue'] as const)[Math.floor(r() * 4)]! }),
  },
  { kind: 'child-missing-education', agencyId: A.education, family: 'education', facts: () => ({}) },
];

const iso = (t: number) => new Date(t).toISOString();
const date = (t: number) => iso(t).slice(0, 10);

export function benchSnapshots(count: number, now: Date, seed = 20261130): CaseSnapshot[] {
  const r = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const ago = (maxDays: number) => now.getTime() - Math.floor(r() * maxDays * DAY);
  const threshold = (): Threshold => pick(THRESHOLDS);
  return Array.from({ length: count }, (_, i) => {
    const id = `bench-case-${i}`;
    const sc = (what: string) => `${id}:${what}`;
    const laOpen = r() < 0.9;
    const positions = [A.police, A.laChildren, A.health, A.education].map((agencyId, k) => {
      const asOf = iso(ago(60));
      return {
        agencyId,
        threshold: threshold(),
        thresholdStatusChangeId: sc(`threshold-${k}`),
        riskLevel: agencyId === A.police ? pick(['standard', 'medium', 'high'] as const) : null,
        riskStatusChangeId: agencyId === A.police ? sc('risk') : null,
        referralOutcome:
          agencyId === A.laChildren
            ? pick(['no-further-action', 'early-help', 'child-in-need'] as const)
            : null,
        referralStatusChangeId: agencyId === A.laChildren ? sc('referral') : null,
        thresholdAsOf: asOf,
        thresholdSince: asOf,
        riskAsOf: agencyId === A.police ? asOf : null,
        riskSince: agencyId === A.police ? asOf : null,
        referralAsOf: agencyId === A.laChildren ? asOf : null,
        referralSince: agencyId === A.laChildren ? asOf : null,
        asOf,
      };
    });
    const enquiryAt = ago(60);
    const conference = r() < 0.6 ? enquiryAt + Math.floor(r() * 20) * DAY : null;
    const coreGroup = conference !== null && r() < 0.7 ? conference + Math.floor(r() * 12) * DAY : null;
    const childProtection =
      r() < 0.5
        ? {
            agencyId: A.laChildren,
            enquiryStartedAt: iso(enquiryAt),
            enquiryStatusChangeId: sc('strategy'),
            initialConferenceAt: conference === null ? null : iso(conference),
            initialConferenceStatusChangeId: conference === null ? null : sc('icpc'),
            planDecided: conference !== null && r() < 0.8,
            firstCoreGroupAt: coreGroup === null ? null : iso(coreGroup),
            lastCoreGroupAt: coreGroup === null ? null : iso(coreGroup),
            lastCoreGroupStatusChangeId: coreGroup === null ? null : sc('core-group'),
            lastReviewConferenceAt: null,
            lastReviewConferenceStatusChangeId: null,
          }
        : null;
    const plans: PlanSnapshot[] = Array.from({ length: 1 + Math.floor(r() * 2) }, (_, p) => {
      const startedAt = ago(120);
      const seen = r() < 0.8 ? startedAt + Math.floor(r() * 30) * DAY : null;
      return {
        ref: `plan-${p}`,
        agencyId: A.laChildren,
        kind: pick(['child-protection', 'child-in-need'] as const),
        startedAt: iso(startedAt),
        startedStatusChangeId: sc(`plan-${p}`),
        endedAt: r() < 0.1 ? iso(startedAt + 40 * DAY) : null,
        visitFrequencyDays: pick([10, 14, 20, 28, null]),
        lastSeenVisitAt: seen === null ? null : iso(seen),
        lastSeenVisitStatusChangeId: seen === null ? null : sc(`visit-${p}`),
        actions: Array.from({ length: 3 + Math.floor(r() * 6) }, (_, k) => ({
          ref: `action-${k}`,
          description: 'An agreed action',
          status: r() < 0.6 ? ('open' as const) : ('done' as const),
          dueDate: date(now.getTime() + (Math.floor(r() * 60) - 30) * DAY),
          statusChangeId: sc(`plan-${p}-action-${k}`),
        })),
      };
    });
    const signals: CaseSignalSnapshot[] = Array.from({ length: 20 + Math.floor(r() * 31) }, (_, k) => {
      const kind = pick(SIGNAL_KINDS);
      return {
        statusChangeId: sc(`signal-${k}`),
        agencyId: kind.agencyId,
        family: kind.family,
        kind: kind.kind,
        occurredAt: iso(ago(120)),
        facts: kind.facts(r),
      };
    }).sort((a, b) => Date.parse(b.occurredAt) - Date.parse(a.occurredAt));
    return {
      id,
      partnershipId: Demo.partnershipId,
      subjectId: `bench-subject-${i}`,
      status: 'open',
      involvements: [
        { agencyId: A.police, open: true },
        { agencyId: A.laChildren, open: laOpen },
        { agencyId: A.health, open: true },
        { agencyId: A.education, open: true },
      ],
      positions,
      childProtection,
      plans,
      signals,
    };
  });
}
