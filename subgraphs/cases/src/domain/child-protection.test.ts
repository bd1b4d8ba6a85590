import type { StatusChangeKind, StatusChangeMessage, StatusFacts } from '@mash/schema';
import {
  applyChildProtection,
  childProtectionSnapshot,
  type ChildProtectionRecord,
} from './child-protection';

const LA = '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e13';
const POLICE = '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e11';

/** 10:00 UTC on day `d` counted from 1 March 2026 (day 32 is 1 April). */
const day = (d: number) => new Date(Date.UTC(2026, 2, d, 10)).toISOString();

/** A local authority status change on day `d` (id `sc-<name>`). */
function la(name: string, kind: StatusChangeKind, d: number, facts: StatusFacts = {}): StatusChangeMessage {
  const at = day(d);
  return {
    id: `sc-${name}`,
    eventId: name,
    source: 'urn:mash:source:mk-mosaic',
    type: `uk.mash.la-children.${kind}.v1`,
    family: 'la-children',
    partnershipId: 'p-1',
    agencyId: LA,
    sourceSystemId: 'ss-1',
    subject: { system: 'la-person-id', value: 'LA-1' },
    kind,
    facts,
    summary: 'test',
    occurredAt: at,
    receivedAt: at,
  };
}

const sd = (name: string, d: number, s47Started = true) => la(name, 'strategy-discussion', d, { s47Started });
const icpc = (name: string, d: number, planDecided = true) =>
  la(name, 'child-protection-conference', d, { conference: { type: 'initial', planDecided } });
const rcpc = (name: string, d: number, planDecided = true) =>
  la(name, 'child-protection-conference', d, { conference: { type: 'review', planDecided } });
const cg = (name: string, d: number) => la(name, 'core-group', d);

const fold = (changes: StatusChangeMessage[]) =>
  childProtectionSnapshot(
    changes.reduce<ChildProtectionRecord | null>((r, c) => applyChildProtection(r, c), null),
  );

const empty = {
  agencyId: LA,
  enquiryStartedAt: null,
  enquiryStatusChangeId: null,
  initialConferenceAt: null,
  initialConferenceStatusChangeId: null,
  planDecided: false,
  firstCoreGroupAt: null,
  lastCoreGroupAt: null,
  lastCoreGroupStatusChangeId: null,
  lastReviewConferenceAt: null,
  lastReviewConferenceStatusChangeId: null,
};

/** The whole process of one enquiry, in the order it happened. */
const process = [sd('sd1', 1), icpc('ic1', 5), cg('cg1', 8), cg('cg2', 20), rcpc('rc1', 28, true)];
const processSnapshot = {
  ...empty,
  enquiryStartedAt: day(1),
  enquiryStatusChangeId: 'sc-sd1',
  initialConferenceAt: day(5),
  initialConferenceStatusChangeId: 'sc-ic1',
  planDecided: true,
  firstCoreGroupAt: day(8),
  lastCoreGroupAt: day(20),
  lastCoreGroupStatusChangeId: 'sc-cg2',
  lastReviewConferenceAt: day(28),
  lastReviewConferenceStatusChangeId: 'sc-rc1',
};

describe('the child protection process record', () => {
  it.each<[string, StatusChangeMessage[], ReturnType<typeof childProtectionSnapshot>]>([
    ['nothing reported', [], null],
    ['a strategy discussion that started no s47 enquiry', [sd('sd1', 1, false)], null],
    [
      'a strategy discussion that started a s47 enquiry',
      [sd('sd1', 1)],
      { ...empty, enquiryStartedAt: day(1), enquiryStatusChangeId: 'sc-sd1' },
    ],
    ['an enquiry, its initial conference, core groups and a review', process, processSnapshot],
    [
      'an initial conference that decided no plan',
      [sd('sd1', 1), icpc('ic1', 5, false)],
      {
        ...empty,
        enquiryStartedAt: day(1),
        enquiryStatusChangeId: 'sc-sd1',
        initialConferenceAt: day(5),
        initialConferenceStatusChangeId: 'sc-ic1',
        planDecided: false,
      },
    ],
    [
      'a review that ended the plan: the latest conference decides',
      [...process, rcpc('rc2', 30, false)],
      {
        ...processSnapshot,
        planDecided: false,
        lastReviewConferenceAt: day(30),
        lastReviewConferenceStatusChangeId: 'sc-rc2',
      },
    ],
    [
      'a new enquiry: the later milestones of the previous one are cleared',
      [...process, sd('sd2', 29)],
      { ...empty, enquiryStartedAt: day(29), enquiryStatusChangeId: 'sc-sd2' },
    ],
    [
      'a reconvened initial conference does not move the initial conference',
      [sd('sd1', 1), icpc('ic1', 5, false), icpc('ic2', 7, true)],
      {
        ...empty,
        enquiryStartedAt: day(1),
        enquiryStatusChangeId: 'sc-sd1',
        initialConferenceAt: day(5),
        initialConferenceStatusChangeId: 'sc-ic1',
        planDecided: true,
      },
    ],
    [
      'core groups before the initial conference are not counted once it is known',
      [sd('sd1', 1), cg('cg0', 3), icpc('ic1', 5), cg('cg1', 8)],
      {
        ...empty,
        enquiryStartedAt: day(1),
        enquiryStatusChangeId: 'sc-sd1',
        initialConferenceAt: day(5),
        initialConferenceStatusChangeId: 'sc-ic1',
        planDecided: true,
        firstCoreGroupAt: day(8),
        lastCoreGroupAt: day(8),
        lastCoreGroupStatusChangeId: 'sc-cg1',
      },
    ],
    [
      'a process joined part way: conferences and core groups with no enquiry known',
      [rcpc('rc1', 4), cg('cg1', 9)],
      {
        ...empty,
        planDecided: true,
        firstCoreGroupAt: day(9),
        lastCoreGroupAt: day(9),
        lastCoreGroupStatusChangeId: 'sc-cg1',
        lastReviewConferenceAt: day(4),
        lastReviewConferenceStatusChangeId: 'sc-rc1',
      },
    ],
  ])('%s', (_, changes, expected) => {
    expect(fold(changes)).toEqual(expected);
  });

  it.each<[string, StatusChangeMessage[], StatusChangeMessage[]]>([
    ['the whole process reversed', process, [...process].reverse()],
    ['the enquiry reported last', process, [...process.slice(1), process[0]!]],
    [
      'a new enquiry recorded late, after its own initial conference',
      [...process, sd('sd2', 40), icpc('ic2', 45)],
      [...process, icpc('ic2', 45), sd('sd2', 40)],
    ],
    [
      "an older enquiry's milestones arriving after a newer enquiry",
      [sd('sd1', 1), icpc('ic1', 5), sd('sd2', 40), cg('cg2', 42)],
      [sd('sd2', 40), sd('sd1', 1), cg('cg2', 42), icpc('ic1', 5)],
    ],
  ])('gives the same process whatever order the reports arrive in: %s', (_, inOrder, shuffled) => {
    expect(fold(shuffled)).toEqual(fold(inOrder));
  });

  it('ignores a late, older strategy discussion: it cannot undo the newer enquiry', () => {
    const record = [sd('sd2', 20), icpc('ic2', 22)].reduce<ChildProtectionRecord | null>(
      (r, c) => applyChildProtection(r, c),
      null,
    );
    expect(applyChildProtection(record, sd('sd1', 1))).toBe(record);
  });

  it('leaves the record alone for other families, other kinds, and a replayed report', () => {
    const record = applyChildProtection(null, sd('sd1', 1));
    const police = { ...sd('sd-police', 3), family: 'police' as const, agencyId: POLICE };
    expect(applyChildProtection(record, police)).toBe(record);
    expect(applyChildProtection(record, la('v', 'visit', 4, { visit: { outcome: 'seen' } }))).toBe(record);
    const withConference = applyChildProtection(record, icpc('ic1', 5));
    expect(applyChildProtection(withConference, icpc('ic1', 5))).toEqual(withConference);
    expect(applyChildProtection(record, la('c', 'child-protection-conference', 5))).toBe(record);
  });
});
