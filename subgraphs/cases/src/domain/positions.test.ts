import type { StatusChangeMessage, StatusFacts } from '@mash/schema';
import { applyStatusChange, involvementAfter, type AgencyPosition } from './positions';

const POLICE = '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e11';
let counter = 0;

function change(facts: StatusFacts, occurredAt: string, agencyId = POLICE): StatusChangeMessage {
  counter += 1;
  return {
    id: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    eventId: `event-${counter}`,
    source: 'urn:mash:source:tvp-niche',
    type: 'uk.mash.police.test.v1',
    family: 'police',
    partnershipId: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e01',
    agencyId,
    sourceSystemId: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e21',
    subject: { system: 'police-person-id', value: 'NICHE-1' },
    kind: 'threshold-judgement',
    facts,
    summary: 'test',
    occurredAt,
    receivedAt: occurredAt,
  };
}

describe('applyStatusChange', () => {
  it('starts a position from the first change, keeping the id of the change that set the threshold', () => {
    const c = change({ threshold: 'child-in-need' }, '2026-03-01T10:00:00Z');
    const position = applyStatusChange(undefined, c);
    expect(position).toMatchObject({
      agencyId: POLICE,
      threshold: 'child-in-need',
      thresholdStatusChangeId: c.id,
      riskLevel: null,
      referralOutcome: null,
      asOf: '2026-03-01T10:00:00.000Z',
    });
  });

  it.each([
    ['no-further-action', 'universal'],
    ['early-help', 'early-help'],
    ['child-in-need', 'child-in-need'],
    ['strategy-discussion', 'child-protection'],
    ['child-protection', 'child-protection'],
  ] as const)('takes a referral outcome of %s to imply a %s threshold', (referralOutcome, threshold) => {
    const c = change({ referralOutcome }, '2026-03-01T10:00:00Z');
    const position = applyStatusChange(undefined, c);
    expect(position.referralOutcome).toBe(referralOutcome);
    expect(position.referralStatusChangeId).toBe(c.id);
    expect(position.threshold).toBe(threshold);
    expect(position.thresholdStatusChangeId).toBe(c.id);
  });

  it('prefers a threshold the change names over the one its referral outcome implies', () => {
    const position = applyStatusChange(
      undefined,
      change({ referralOutcome: 'no-further-action', threshold: 'early-help' }, '2026-03-01T10:00:00Z'),
    );
    expect(position.threshold).toBe('early-help');
    expect(position.referralOutcome).toBe('no-further-action');
  });

  it('sets the risk level and keeps the other parts with the changes that set them', () => {
    const first = change({ threshold: 'early-help' }, '2026-03-01T10:00:00Z');
    const second = change({ riskLevel: 'high' }, '2026-03-02T10:00:00Z');
    const position = applyStatusChange(applyStatusChange(undefined, first), second);
    expect(position).toMatchObject({
      threshold: 'early-help',
      thresholdStatusChangeId: first.id,
      riskLevel: 'high',
      riskStatusChangeId: second.id,
      asOf: '2026-03-02T10:00:00.000Z',
    });
  });

  it('lets a newer judgement replace an older one', () => {
    const older = applyStatusChange(undefined, change({ threshold: 'early-help' }, '2026-03-01T10:00:00Z'));
    const newer = change({ threshold: 'child-protection' }, '2026-03-05T10:00:00Z');
    expect(applyStatusChange(older, newer)).toMatchObject({
      threshold: 'child-protection',
      thresholdStatusChangeId: newer.id,
    });
  });

  it('does not let a late, older change overwrite a newer judgement', () => {
    const newer = change({ threshold: 'child-protection' }, '2026-03-05T10:00:00Z');
    const position = applyStatusChange(undefined, newer);
    const late = applyStatusChange(position, change({ threshold: 'universal' }, '2026-03-01T10:00:00Z'));
    expect(late.threshold).toBe('child-protection');
    expect(late.thresholdStatusChangeId).toBe(newer.id);
    expect(late.asOf).toBe('2026-03-05T10:00:00.000Z');
  });

  it('lets a late change set a part that was last set even earlier', () => {
    const risk = change({ riskLevel: 'standard' }, '2026-03-01T10:00:00Z');
    const threshold = change({ threshold: 'child-in-need' }, '2026-03-05T10:00:00Z');
    const late = change({ riskLevel: 'high' }, '2026-03-03T10:00:00Z');
    const position = [risk, threshold, late].reduce<AgencyPosition | undefined>(
      (p, c) => applyStatusChange(p, c),
      undefined,
    );
    expect(position).toMatchObject({
      riskLevel: 'high',
      riskStatusChangeId: late.id,
      threshold: 'child-in-need',
    });
    expect(position?.asOf).toBe('2026-03-05T10:00:00.000Z');
  });

  it('treats a bare snapshot as set at its asOf, so an older change does not overwrite it', () => {
    const snapshot = {
      agencyId: POLICE,
      threshold: 'child-protection' as const,
      thresholdStatusChangeId: 'x',
      riskLevel: null,
      riskStatusChangeId: null,
      referralOutcome: null,
      referralStatusChangeId: null,
      asOf: '2026-03-05T10:00:00.000Z',
    };
    const older = change({ threshold: 'universal', riskLevel: 'medium' }, '2026-03-01T10:00:00Z');
    const position = applyStatusChange(snapshot, older);
    expect(position.threshold).toBe('child-protection');
    expect(position.riskLevel).toBe('medium');
  });

  it('records a change without judgements as the latest word from the agency, changing nothing else', () => {
    const first = applyStatusChange(undefined, change({ threshold: 'early-help' }, '2026-03-01T10:00:00Z'));
    const position = applyStatusChange(first, change({ reference: 'INC-1' }, '2026-03-02T10:00:00Z'));
    expect(position).toMatchObject({ threshold: 'early-help', asOf: '2026-03-02T10:00:00.000Z' });
  });

  it('keeps the time a threshold has held when an agency repeats it', () => {
    const first = change({ threshold: 'child-protection' }, '2026-03-01T10:00:00Z');
    const repeat = change({ threshold: 'child-protection' }, '2026-03-02T10:00:00Z');
    const position = applyStatusChange(applyStatusChange(undefined, first), repeat);
    expect(position).toMatchObject({
      threshold: 'child-protection',
      thresholdAsOf: '2026-03-02T10:00:00.000Z',
      thresholdSince: '2026-03-01T10:00:00.000Z',
    });
  });

  it('moves the time a threshold has held when the agency changes it', () => {
    const first = applyStatusChange(undefined, change({ threshold: 'early-help' }, '2026-03-01T10:00:00Z'));
    const position = applyStatusChange(
      first,
      change({ threshold: 'child-protection' }, '2026-03-02T10:00:00Z'),
    );
    expect(position).toMatchObject({
      threshold: 'child-protection',
      thresholdAsOf: '2026-03-02T10:00:00.000Z',
      thresholdSince: '2026-03-02T10:00:00.000Z',
    });
  });

  it('an older repeat of the current value moves the held-since time back', () => {
    const newer = change({ threshold: 'child-protection' }, '2026-03-05T10:00:00Z');
    const position = applyStatusChange(
      applyStatusChange(undefined, newer),
      change({ threshold: 'child-protection' }, '2026-03-01T10:00:00Z'),
    );
    expect(position).toMatchObject({
      threshold: 'child-protection',
      thresholdStatusChangeId: newer.id,
      thresholdAsOf: '2026-03-05T10:00:00.000Z',
      thresholdSince: '2026-03-01T10:00:00.000Z',
      asOf: '2026-03-05T10:00:00.000Z',
    });
  });

  it('an older report of another value leaves the held-since time alone', () => {
    const newer = applyStatusChange(
      undefined,
      change({ threshold: 'child-protection' }, '2026-03-05T10:00:00Z'),
    );
    const position = applyStatusChange(newer, change({ threshold: 'universal' }, '2026-03-01T10:00:00Z'));
    expect(position).toMatchObject({
      threshold: 'child-protection',
      thresholdAsOf: '2026-03-05T10:00:00.000Z',
      thresholdSince: '2026-03-05T10:00:00.000Z',
    });
  });

  it('keeps the time a risk and a referral outcome have held when the agency repeats them', () => {
    const first = change({ riskLevel: 'high', referralOutcome: 'no-further-action' }, '2026-03-01T10:00:00Z');
    const repeat = change(
      { riskLevel: 'high', referralOutcome: 'no-further-action' },
      '2026-03-03T10:00:00Z',
    );
    const position = applyStatusChange(applyStatusChange(undefined, first), repeat);
    expect(position).toMatchObject({
      riskAsOf: '2026-03-03T10:00:00.000Z',
      riskSince: '2026-03-01T10:00:00.000Z',
      referralAsOf: '2026-03-03T10:00:00.000Z',
      referralSince: '2026-03-01T10:00:00.000Z',
      thresholdSince: '2026-03-01T10:00:00.000Z',
    });
  });

  it('keeps the time an implied threshold has held when a named threshold repeats it', () => {
    const nfa = change({ referralOutcome: 'no-further-action' }, '2026-03-01T10:00:00Z');
    const named = change({ threshold: 'universal' }, '2026-03-02T10:00:00Z');
    const position = applyStatusChange(applyStatusChange(undefined, nfa), named);
    expect(position).toMatchObject({ threshold: 'universal', thresholdSince: '2026-03-01T10:00:00.000Z' });
  });

  it('leaves the held-since time of a part never set null', () => {
    const position = applyStatusChange(
      undefined,
      change({ threshold: 'early-help' }, '2026-03-01T10:00:00Z'),
    );
    expect(position).toMatchObject({ riskSince: null, referralSince: null });
  });

  it('counts a stored part with no held-since time as held since it was last set', () => {
    const stored: AgencyPosition = {
      ...applyStatusChange(undefined, change({ threshold: 'child-protection' }, '2026-03-01T10:00:00Z')),
      thresholdSince: null,
    };
    const position = applyStatusChange(
      stored,
      change({ threshold: 'child-protection' }, '2026-03-04T10:00:00Z'),
    );
    expect(position.thresholdSince).toBe('2026-03-01T10:00:00.000Z');
  });

  it('refuses a change from another agency', () => {
    const position = applyStatusChange(
      undefined,
      change({ threshold: 'early-help' }, '2026-03-01T10:00:00Z'),
    );
    const other = change(
      { threshold: 'universal' },
      '2026-03-02T10:00:00Z',
      '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e12',
    );
    expect(() => applyStatusChange(position, other)).toThrow(/not/);
  });
});

describe('involvementAfter', () => {
  it('opens an involvement from the first change, with the agency reference', () => {
    expect(involvementAfter(change({ reference: 'INC-9' }, '2026-03-01T10:00:00Z'))).toEqual({
      agencyId: POLICE,
      localReference: 'INC-9',
      open: true,
      since: '2026-03-01T10:00:00.000Z',
      openAsOf: '2026-03-01T10:00:00.000Z',
    });
  });

  it('closes the involvement when the change says the agency closed it', () => {
    const open = involvementAfter(change({}, '2026-03-01T10:00:00Z'));
    const closed = involvementAfter(change({ closed: true }, '2026-03-04T10:00:00Z'), open);
    expect(closed.open).toBe(false);
    expect(closed.since).toBe('2026-03-01T10:00:00.000Z');
  });

  it('reopens a closed involvement on a newer change, starting a new spell', () => {
    const closed = involvementAfter(change({ closed: true }, '2026-03-01T10:00:00Z'));
    const reopened = involvementAfter(change({}, '2026-03-09T10:00:00Z'), closed);
    expect(reopened).toMatchObject({ open: true, since: '2026-03-09T10:00:00.000Z' });
  });

  it('does not let a late, older change reopen a closed involvement', () => {
    const open = involvementAfter(change({}, '2026-03-01T10:00:00Z'));
    const closed = involvementAfter(change({ closed: true }, '2026-03-05T10:00:00Z'), open);
    expect(involvementAfter(change({}, '2026-03-03T10:00:00Z'), closed).open).toBe(false);
  });

  it('keeps the first known agency reference', () => {
    const first = involvementAfter(change({ reference: 'LCS-1' }, '2026-03-01T10:00:00Z'));
    expect(
      involvementAfter(change({ reference: 'LCS-2' }, '2026-03-02T10:00:00Z'), first).localReference,
    ).toBe('LCS-1');
  });

  it('moves the start of an open involvement back when an earlier change arrives late', () => {
    const open = involvementAfter(change({}, '2026-03-05T10:00:00Z'));
    expect(involvementAfter(change({}, '2026-03-02T10:00:00Z'), open).since).toBe('2026-03-02T10:00:00.000Z');
  });
});
