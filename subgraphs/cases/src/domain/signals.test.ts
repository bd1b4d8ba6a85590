import {
  SIGNAL_HORIZON_DAYS,
  SIGNAL_LIMIT,
  type StatusChangeKind,
  type StatusChangeMessage,
  type StatusFacts,
} from '@mash/schema';
import { addSignal, signalSnapshots, type SignalEntry } from './signals';

const HEALTH = '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e12';
const DAY_MS = 24 * 60 * 60 * 1000;
const T0 = Date.UTC(2026, 0, 1, 9);
const at = (days: number, ms = 0) => new Date(T0 + days * DAY_MS + ms).toISOString();

function change(
  name: string,
  kind: StatusChangeKind,
  occurredAt: string,
  facts: StatusFacts = {},
  receivedAt = occurredAt,
): StatusChangeMessage {
  return {
    id: `00000000-0000-4000-8000-${name.padStart(12, '0')}`,
    eventId: name,
    source: 'urn:mash:source:mk-rio',
    type: `uk.mash.health.${kind}.v1`,
    family: 'health',
    partnershipId: 'p-1',
    agencyId: HEALTH,
    sourceSystemId: 'ss-1',
    subject: { system: 'nhs-number', value: '9434765919' },
    kind,
    facts,
    summary: 'test',
    occurredAt,
    receivedAt,
  };
}

const fold = (changes: StatusChangeMessage[]) =>
  changes.reduce<readonly SignalEntry[]>((s, c) => addSignal(s, c), []);
const ids = (signals: readonly SignalEntry[]) => signals.map((s) => s.statusChangeId.slice(-3));

describe('the signal window', () => {
  it('keeps signal kinds only, newest first, each with its facts and family', () => {
    const wnb = change('1', 'appointment-not-attended', at(1), {
      appointment: { attendance: 'was-not-brought' },
    });
    const threshold = change('2', 'threshold-judgement', at(2), { threshold: 'child-in-need' });
    const dash = change('3', 'risk-assessment', at(3), { dashScore: 15, riskLevel: 'high' });
    expect(signalSnapshots(fold([wnb, threshold, dash]))).toEqual([
      {
        statusChangeId: dash.id,
        agencyId: HEALTH,
        family: 'health',
        kind: 'risk-assessment',
        occurredAt: at(3),
        facts: { dashScore: 15, riskLevel: 'high' },
      },
      {
        statusChangeId: wnb.id,
        agencyId: HEALTH,
        family: 'health',
        kind: 'appointment-not-attended',
        occurredAt: at(1),
        facts: { appointment: { attendance: 'was-not-brought' } },
      },
    ]);
  });

  it.each<[string, StatusChangeMessage[], string[]]>([
    [
      'one exactly at the horizon stays, one a millisecond older goes',
      [
        change('1', 'visit', at(0, -1)),
        change('2', 'visit', at(0)),
        change('3', 'visit', at(SIGNAL_HORIZON_DAYS)),
      ],
      ['003', '002'],
    ],
    [
      'an old one stays until a newer signal moves the horizon past it',
      [change('1', 'visit', at(0)), change('2', 'visit', at(SIGNAL_HORIZON_DAYS - 1))],
      ['002', '001'],
    ],
    [
      'a late report older than the horizon never joins',
      [change('2', 'visit', at(SIGNAL_HORIZON_DAYS + 5)), change('1', 'visit', at(1))],
      ['002'],
    ],
    [
      'the same instant: the later received first, then by id',
      [
        change('1', 'visit', at(1), {}, at(1, 5)),
        change('2', 'visit', at(1), {}, at(1, 9)),
        change('3', 'visit', at(1), {}, at(1, 5)),
      ],
      ['002', '001', '003'],
    ],
    ['a replayed change is there once', [change('1', 'visit', at(1)), change('1', 'visit', at(1))], ['001']],
  ])('%s', (_, changes, expected) => {
    expect(ids(fold(changes))).toEqual(expected);
  });

  it(`keeps at most ${SIGNAL_LIMIT}, the newest, whatever order they arrive in`, () => {
    const changes = Array.from({ length: SIGNAL_LIMIT + 10 }, (_, i) =>
      change(String(i + 100), 'unexplained-absence', at(i)),
    );
    const inOrder = fold(changes);
    expect(inOrder).toHaveLength(SIGNAL_LIMIT);
    expect(inOrder[0]?.occurredAt).toBe(at(SIGNAL_LIMIT + 9));
    expect(inOrder[SIGNAL_LIMIT - 1]?.occurredAt).toBe(at(10));
    expect(fold([...changes].reverse())).toEqual(inOrder);
  });
});
