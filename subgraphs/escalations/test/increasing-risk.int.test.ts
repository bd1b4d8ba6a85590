import { LA, POLICE, caseEventWith, position, signalOf } from '@test/support/fixtures/escalations';
import {
  engineAndScheduler,
  escalationsOf,
  evidenceOf,
  findingTimersOf,
  historyOf,
} from '@test/support/fixtures/escalations-harness';

// Integration: a risk signal raises while the local authority's position is below child protection, and not once
// it is at child protection.

describe('increasing risk', () => {
  const t = engineAndScheduler('2026-06-01T09:00:00.000Z');
  const marac = signalOf('sc-marac', POLICE, 'marac-referral', '2026-06-01T08:00:00.000Z');
  const referral = (caseId: string, laThreshold: 'early-help' | 'child-protection') =>
    caseEventWith(
      caseId,
      'sc-marac',
      POLICE,
      'marac-referral',
      {},
      {
        involved: [POLICE, LA],
        positions: [position(LA, { threshold: laThreshold, thresholdStatusChangeId: 'sc-la' })],
        signals: [marac],
      },
    );

  it('raises a MARAC referral while the local authority judges early help, police to the local authority', async () => {
    const { engine, scheduler, dataSource: ds } = t;
    const caseId = 'increasing-risk-early-help';
    expect(await engine.handle(referral(caseId, 'early-help'))).toMatchObject({
      findings: 1,
      timersArmed: 1,
    });
    expect(await scheduler.runOnce()).toEqual(['raised']);
    const [raised, ...more] = await escalationsOf(ds, caseId);
    expect(more).toEqual([]);
    expect(raised).toMatchObject({ raising_agency_id: POLICE, receiving_agency_id: LA, stage: 1 });
    expect(await evidenceOf(ds, raised!.id)).toEqual(['sc-marac']);
    expect((await historyOf(ds, raised!.id))[0]?.rationale).toBe(
      'Raised automatically: Risk is increasing: Thames Valley Police reports a MARAC referral, while Milton ' +
        "Keynes Council Children's Services judges early help.",
    );
  });

  it('raises nothing while the local authority already judges child protection', async () => {
    const { engine, scheduler, dataSource: ds } = t;
    const caseId = 'increasing-risk-child-protection';
    expect(await engine.handle(referral(caseId, 'child-protection'))).toMatchObject({
      findings: 0,
      timersArmed: 0,
    });
    expect(await findingTimersOf(ds, caseId)).toEqual([]);
    expect(await scheduler.runOnce()).toEqual([]);
    expect(await escalationsOf(ds, caseId)).toEqual([]);
  });
});
