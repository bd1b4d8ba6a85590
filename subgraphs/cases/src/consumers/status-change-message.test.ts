import { parseStatusChangeMessage } from './status-change-message';

const valid = {
  id: '6f1c1d2e-3a4b-5c6d-8e7f-001122334455',
  eventId: 'evt-1',
  source: 'urn:mash:source:tvp-niche',
  type: 'uk.mash.police.protection-notice.v1',
  family: 'police',
  partnershipId: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e01',
  agencyId: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e11',
  sourceSystemId: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e21',
  subject: { system: 'police-person-id', value: 'NICHE-7730142' },
  kind: 'protection-notice',
  facts: { threshold: 'child-protection', riskLevel: 'high' },
  summary: 'Protection notice submitted (red)',
  occurredAt: '2026-03-01T10:00:00Z',
  receivedAt: '2026-03-01T10:00:05.123+00:00',
};

describe('parseStatusChangeMessage', () => {
  it('accepts a well-formed status change', () => {
    const parsed = parseStatusChangeMessage(Buffer.from(JSON.stringify(valid)));
    expect(parsed).toEqual({ ok: true, message: valid });
  });

  it('rejects a value that is not JSON as EVENT_NOT_JSON', () => {
    expect(parseStatusChangeMessage(Buffer.from('{not json'))).toMatchObject({
      ok: false,
      code: 'EVENT_NOT_JSON',
    });
    expect(parseStatusChangeMessage(null)).toMatchObject({ ok: false, code: 'EVENT_NOT_JSON' });
  });

  it('keeps a malformed value out of the reason, which is logged and dead-lettered', () => {
    const parsed = parseStatusChangeMessage(
      Buffer.from('{"subject": {"system": "nhs-number", "value": "9434765919"}, "summary": Jane Smith}'),
    );
    expect(parsed).toMatchObject({ ok: false, code: 'EVENT_NOT_JSON' });
    if (parsed.ok) return;
    expect(parsed.reason).toMatch(/^not JSON: Unexpected token/);
    expect(parsed.reason).not.toContain('Jane');
    expect(parsed.reason).not.toContain('Smith');
    expect(parsed.reason).not.toContain('9434765919');
  });

  it('rejects JSON that is not a status change, naming every problem', () => {
    const parsed = parseStatusChangeMessage(
      JSON.stringify({ ...valid, id: 'not-a-uuid', subject: { system: 'shoe-size', value: '' } }),
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.code).toBe('EVENT_DATA_INVALID');
    expect(parsed.reason).toContain('id must be a UUID');
    expect(parsed.reason).toContain('subject.system');
    expect(parsed.reason).toContain('subject.value');
  });

  it('rejects facts the position cannot hold', () => {
    const parsed = parseStatusChangeMessage(JSON.stringify({ ...valid, facts: { threshold: 'very-high' } }));
    expect(parsed).toMatchObject({ ok: false, code: 'EVENT_DATA_INVALID' });
  });

  it('rejects timestamps that are not RFC 3339', () => {
    const parsed = parseStatusChangeMessage(JSON.stringify({ ...valid, occurredAt: 'yesterday' }));
    expect(parsed).toMatchObject({ ok: false, reason: expect.stringContaining('occurredAt') });
  });

  it('rejects text the database cannot store', () => {
    const parsed = parseStatusChangeMessage(JSON.stringify({ ...valid, eventId: 'a\u0000b' }));
    expect(parsed).toMatchObject({ ok: false, code: 'EVENT_DATA_INVALID' });
  });

  it('rejects a JSON value that is not an object', () => {
    expect(parseStatusChangeMessage('[1,2]')).toMatchObject({ ok: false, code: 'EVENT_DATA_INVALID' });
  });
});
