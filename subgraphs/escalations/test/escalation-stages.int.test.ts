import {
  PARTNERSHIP,
  POLICE,
  LA,
  CASE,
  laEvent,
  policeEvent,
  policeRiskEvent,
} from '@test/support/fixtures/escalations';
import {
  escalationsOf,
  evidenceOf,
  historyOf,
  escalationsOnBroker,
} from '@test/support/fixtures/escalations-harness';
import { eventually } from '@test/support/gateway-client';
import { addTimescale } from '../src/domain/calendar';
import { englandAndWalesCalendar } from '../src/domain/calendars';

// Integration: the real service on a real Kafka broker and a throwaway Postgres database with the real migrations.
// Policies come from a static directory; time from a clock the test moves. One escalation, raised after its
// grace period, joined by new evidence, moved through its stages by its deadlines, kept across a restart.

describe('a threshold disagreement escalates through its stages on a real broker and database', () => {
  const h = escalationsOnBroker('2026-06-01T09:00:00.000Z');
  const { clock, published, send, caughtUp } = h;
  const service = () => h.service;
  const restart = (between: () => void) => h.restart(between);
  let escalationId: string;

  it('waits out the grace period before raising a threshold disagreement', async () => {
    await send(laEvent, policeEvent);
    await caughtUp();
    expect(await escalationsOf(service().dataSource, CASE)).toEqual([]);
    const [timer] = (await service().dataSource.query(
      `SELECT * FROM "escalations"."timer" WHERE "kind" = 'grace'`,
    )) as {
      key: string;
      due_at: Date;
      fired_at: Date | null;
    }[];
    expect(timer?.key).toBe(`grace:${CASE}:threshold-disagreement:${POLICE}:${LA}`);
    expect(timer?.due_at).toEqual(new Date('2026-06-01T13:00:00.000Z'));
    expect(timer?.fired_at).toBeNull();
  });

  it('raises one auto-raised escalation at stage 1 once the grace period has passed', async () => {
    clock.set('2026-06-01T13:30:00.000Z');
    const [e] = await eventually(
      async () => {
        const rows = await escalationsOf(service().dataSource, CASE);
        return rows.length > 0 ? rows : undefined;
      },
      { what: 'the escalation to be raised' },
    );
    expect(e).toMatchObject({
      stage: 1,
      status: 'AWAITING_ACKNOWLEDGEMENT',
      auto_raised: true,
      raising_agency_id: POLICE,
      receiving_agency_id: LA,
      stage_owner_roles: ['practitioner'],
    });
    escalationId = e!.id;
    expect(e!.raised_at).toEqual(new Date('2026-06-01T13:30:00.000Z'));
    expect(e!.stage_deadline).toEqual(
      addTimescale(
        new Date('2026-06-01T13:30:00.000Z'),
        { amount: 2, unit: 'working-days' },
        englandAndWalesCalendar(),
      ),
    );
    expect(e!.stage_deadline).toEqual(new Date('2026-06-03T13:30:00.000Z'));
    expect(await evidenceOf(service().dataSource, escalationId)).toEqual(['sc-la-1', 'sc-police-1']);
    const history = await historyOf(service().dataSource, escalationId);
    expect(history).toHaveLength(1);
    expect(history[0]?.rationale).toBe(
      "Raised automatically: Thames Valley Police judges child protection; Milton Keynes Council Children's " +
        'Services judges universal (3 steps apart).',
    );
  });

  it('duplicates nothing when the same case events are replayed', async () => {
    await send(laEvent, policeEvent, laEvent, policeEvent);
    await caughtUp();
    await new Promise((r) => setTimeout(r, 500)); // give the scheduler a few runs
    expect(await escalationsOf(service().dataSource, CASE)).toHaveLength(1);
    expect(await evidenceOf(service().dataSource, escalationId)).toEqual(['sc-la-1', 'sc-police-1']);
    expect(await historyOf(service().dataSource, escalationId)).toHaveLength(1);
  });

  it('joins new evidence to the open escalation instead of raising another', async () => {
    await send(policeRiskEvent);
    await caughtUp();
    expect(await escalationsOf(service().dataSource, CASE)).toHaveLength(1);
    expect(await evidenceOf(service().dataSource, escalationId)).toEqual([
      'sc-la-1',
      'sc-police-1',
      'sc-police-2',
    ]);
  });

  it('moves to stage 2 by itself when the stage 1 deadline passes, naming the deadline', async () => {
    clock.set('2026-06-03T13:31:00.000Z');
    const [e] = await eventually(
      async () => {
        const rows = await escalationsOf(service().dataSource, CASE);
        return rows[0]?.stage === 2 ? rows : undefined;
      },
      { what: 'stage 2' },
    );
    expect(e).toMatchObject({ stage: 2, status: 'AWAITING_ACKNOWLEDGEMENT' });
    expect(e!.stage_owner_roles).toEqual(['line-manager', 'designated-safeguarding-lead']);
    expect(e!.stage_deadline).toEqual(new Date('2026-06-10T13:31:00.000Z'));
    const history = await historyOf(service().dataSource, escalationId);
    expect(history.map((h) => h.to_stage)).toEqual([1, 2]);
    expect(history[1]?.rationale).toContain('2026-06-03T13:30:00.000Z');
  });

  it('publishes raised, evidence-added and stage-advanced escalation events', async () => {
    const mine = await eventually(
      async () => {
        const types = published.filter((m) => m.escalationId === escalationId).map((m) => m.type);
        return types.includes('stage-advanced') ? types : undefined;
      },
      { what: 'escalation events' },
    );
    expect(mine).toEqual(['raised', 'evidence-added', 'stage-advanced']);
    const advanced = published.find((m) => m.type === 'stage-advanced');
    expect(advanced).toMatchObject({ caseId: CASE, partnershipId: PARTNERSHIP, stage: 2 });
  });

  it('keeps its clocks across a restart', async () => {
    await restart(() => clock.set('2026-06-10T13:32:00.000Z'));
    const [e] = await eventually(
      async () => {
        const rows = await escalationsOf(service().dataSource, CASE);
        return rows[0]?.stage === 3 ? rows : undefined;
      },
      { what: 'stage 3 after the restart' },
    );
    expect(e!.stage_owner_roles).toEqual(['head-of-service']);
    expect(e!.stage_deadline).toEqual(new Date('2026-06-12T13:32:00.000Z'));
  });
});
