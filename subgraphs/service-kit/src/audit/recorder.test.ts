import { AuditRecorder, allowed, refused } from './recorder';

const identity = {
  subject: 'p-1',
  agencyId: 'police',
  partnershipId: 'mk',
  roles: ['practitioner'] as const,
};

describe('AuditRecorder', () => {
  it('keeps one entry per record, action and decision in a request, folding the parts read into it', () => {
    const audit = new AuditRecorder('cases', { ...identity, roles: [...identity.roles] }, 'req-1');
    const kase = { recordType: 'Case', recordId: 'c-1', dataSubjectId: 's-1' };
    audit.record(kase, 'read', allowed('involved-agency'));
    audit.record(kase, 'read', allowed('involved-agency'));
    audit.part(kase, { ...kase, field: 'timeline' });
    audit.part(kase, { ...kase, field: 'plans' });
    audit.part(kase, { ...kase, field: 'timeline' });
    const entries = audit.take();
    expect(entries).toEqual([
      expect.objectContaining({
        service: 'cases',
        requestId: 'req-1',
        actor: 'p-1',
        actorAgencyId: 'police',
        actorPartnershipId: 'mk',
        actorRoles: ['practitioner'],
        recordType: 'Case',
        recordId: 'c-1',
        dataSubjectId: 's-1',
        fields: ['timeline', 'plans'],
        action: 'read',
        ground: 'involved-agency',
        outcome: 'allowed',
      }),
    ]);
    expect(audit.size).toBe(0);
  });

  it('records a refusal and throws FORBIDDEN from check', () => {
    const audit = new AuditRecorder('cases', { ...identity, roles: [...identity.roles] }, 'req-2');
    expect(() =>
      audit.check({ recordType: 'Case', recordId: 'c-2' }, 'read', refused('refused:not-involved', 'No.')),
    ).toThrow(
      expect.objectContaining({ message: 'No.', extensions: expect.objectContaining({ code: 'FORBIDDEN' }) }),
    );
    expect(audit.take()).toEqual([
      expect.objectContaining({
        recordId: 'c-2',
        outcome: 'refused',
        ground: 'refused:not-involved',
        fields: [],
      }),
    ]);
  });

  it('refuses, and records, a part of a record that was never checked in the request', () => {
    const audit = new AuditRecorder('escalations', { ...identity, roles: [...identity.roles] }, 'req-3');
    const e = { recordType: 'Escalation', recordId: 'e-1' };
    expect(() => audit.part(e, { ...e, field: 'history' })).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) }),
    );
    expect(audit.take()).toEqual([
      expect.objectContaining({
        outcome: 'refused',
        ground: 'refused:owner-not-checked',
        fields: ['history'],
      }),
    ]);
  });
});
