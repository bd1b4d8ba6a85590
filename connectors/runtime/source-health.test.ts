import { sourceSystemFigures, type EventCountRow, type RecentRejection } from './source-health';

const NOSHOW = 'uk.mash.health.appointment-noshow.v1';
const ENCOUNTER = 'uk.mash.health.emergency-encounter.v1';

const count = (
  type: string,
  outcome: EventCountRow['outcome'],
  n: number,
  lastAt: string,
  code = '',
): EventCountRow => ({
  sourceSystem: 'mkuh-systmone',
  type,
  outcome,
  code,
  count: n,
  lastAt: new Date(lastAt),
});

const rejection = (type: string | null, code: RecentRejection['code'], at: string, field: string) => ({
  type,
  code,
  at,
  issues: [{ field, rule: 'format' }],
});

describe('a source system’s connector figures', () => {
  it('is all zeros for a source system that has sent nothing', () => {
    expect(sourceSystemFigures('mk-las', [], [])).toEqual({
      sourceSystem: 'mk-las',
      accepted: 0,
      rejected: 0,
      duplicates: 0,
      lastEventAt: null,
      lastAcceptedAt: null,
      deadLetters: { count: 0, byCode: [], recent: [] },
      eventTypes: [],
    });
  });

  it('sums the outcomes per type and overall, codes most frequent first, the unreadable type last', () => {
    const figures = sourceSystemFigures(
      'mkuh-systmone',
      [
        count('', 'rejected', 1, '2025-11-22T08:00:03Z', 'EVENT_NOT_JSON'),
        count(NOSHOW, 'accepted', 4, '2025-11-22T08:00:01Z'),
        count(NOSHOW, 'duplicate', 1, '2025-11-22T08:00:05Z'),
        count(NOSHOW, 'rejected', 2, '2025-11-22T08:00:02Z', 'EVENT_DATA_INVALID'),
        count(ENCOUNTER, 'accepted', 3, '2025-11-22T08:00:04Z'),
      ],
      [
        rejection(NOSHOW, 'EVENT_DATA_INVALID', '2025-11-22T08:00:02.000Z', 'Appointment.start'),
        rejection(null, 'EVENT_NOT_JSON', '2025-11-22T08:00:03.000Z', '/'),
      ],
    );
    expect(figures).toMatchObject({
      accepted: 7,
      rejected: 3,
      duplicates: 1,
      lastEventAt: '2025-11-22T08:00:05.000Z',
      lastAcceptedAt: '2025-11-22T08:00:04.000Z',
      deadLetters: {
        count: 3,
        byCode: [
          { code: 'EVENT_DATA_INVALID', count: 2 },
          { code: 'EVENT_NOT_JSON', count: 1 },
        ],
      },
    });
    expect(figures.deadLetters.recent.map((r) => r.code)).toEqual(['EVENT_NOT_JSON', 'EVENT_DATA_INVALID']);
    expect(
      figures.eventTypes.map((t) => [t.type, t.accepted, t.rejected, t.duplicates, t.lastEventAt]),
    ).toEqual([
      [NOSHOW, 4, 2, 1, '2025-11-22T08:00:05.000Z'],
      [ENCOUNTER, 3, 0, 0, '2025-11-22T08:00:04.000Z'],
      [null, 0, 1, 0, '2025-11-22T08:00:03.000Z'],
    ]);
    expect(figures.eventTypes[0]?.deadLetters.recent).toEqual([
      rejection(NOSHOW, 'EVENT_DATA_INVALID', '2025-11-22T08:00:02.000Z', 'Appointment.start'),
    ]);
    expect(figures.eventTypes[1]?.deadLetters).toEqual({ count: 0, byCode: [], recent: [] });
  });

  it('keeps the five most recent rejections overall', () => {
    const recent = Array.from({ length: 7 }, (_, i) =>
      rejection(i % 2 ? NOSHOW : ENCOUNTER, 'EVENT_DATA_INVALID', `2025-11-22T08:00:0${i}.000Z`, '/data'),
    );
    const figures = sourceSystemFigures('mkuh-systmone', [], recent);
    expect(figures.deadLetters.recent.map((r) => r.at)).toEqual([
      '2025-11-22T08:00:06.000Z',
      '2025-11-22T08:00:05.000Z',
      '2025-11-22T08:00:04.000Z',
      '2025-11-22T08:00:03.000Z',
      '2025-11-22T08:00:02.000Z',
    ]);
  });
});
