import type { Identity } from '@mash/schema';
import {
  assertMaySee,
  escalationListScope,
  maySeeEscalation,
  visibleEscalations,
  type EscalationParties,
} from './access';

const escalation: EscalationParties = {
  partnershipId: 'p-1',
  raisingAgencyId: 'police',
  receivingAgencyId: 'la',
};
const elsewhere: EscalationParties = {
  partnershipId: 'p-2',
  raisingAgencyId: 'health',
  receivingAgencyId: 'school',
};

const who = (roles: Identity['roles'], extra: Partial<Identity> = {}): Identity => ({
  subject: 'someone',
  roles,
  ...extra,
});
const policeOfficer = who(['practitioner'], { agencyId: 'police', partnershipId: 'p-1' });
const laSocialWorker = who(['practitioner'], { agencyId: 'la', partnershipId: 'p-1' });
const healthVisitor = who(['practitioner'], { agencyId: 'health', partnershipId: 'p-1' });
const mashOfficer = who(['mash-officer'], { partnershipId: 'p-1' });
const otherMashOfficer = who(['mash-officer'], { partnershipId: 'p-2' });
const chair = who(['partnership-chair'], { partnershipId: 'p-1' });
const otherChair = who(['partnership-chair'], { partnershipId: 'p-2' });
const integrator = who(['agency-integrator'], { agencyId: 'police', partnershipId: 'p-1' });
const service = who(['service'], { subject: 'service:cases' });
/** The verifier drops `service` from other subjects; a hand-made identity like this must still not pass. */
const notAService = who(['service'], { subject: 'contact:someone' });
const auditor = who(['auditor'], { partnershipId: 'p-1' });
const laAuditor = who(['auditor'], { agencyId: 'la', partnershipId: 'p-1' });
const laIntegrator = who(['agency-integrator'], { agencyId: 'la', partnershipId: 'p-1' });
/** An integrator who also claims a casework role: the integrator role wins. */
const integratorClaimingCasework = who(['agency-integrator', 'practitioner'], {
  agencyId: 'la',
  partnershipId: 'p-1',
});
const policeMashOfficer = who(['mash-officer'], { agencyId: 'police', partnershipId: 'p-2' });

const code = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (err) {
    return (err as { extensions?: { code?: unknown } }).extensions?.code;
  }
  return undefined;
};

describe('who sees an escalation', () => {
  it.each([
    ['a caller of the raising agency', policeOfficer],
    ['a caller of the receiving agency', laSocialWorker],
    ['a MASH officer of its partnership', mashOfficer],
    ['the chair of its partnership', chair],
  ])('shows it to %s', (_who, identity) => {
    expect(maySeeEscalation(identity, escalation)).toBe(true);
  });

  it.each([
    ['a caller of an agency not in dispute', healthVisitor],
    ['a MASH officer of another partnership', otherMashOfficer],
    ['the chair of another partnership', otherChair],
    ['an agency integrator, even of the raising agency', integrator],
    ['an integrator of the receiving agency who also claims a casework role', integratorClaimingCasework],
    ['an auditor of its partnership', auditor],
    ['an auditor of the receiving agency', laAuditor],
    ['a caller with the service role on a subject that is not a service', notAService],
    ['a platform service, whose jobs need no personal data', service],
  ])('hides it from %s', (_who, identity) => {
    expect(maySeeEscalation(identity, escalation)).toBe(false);
  });

  it('filters lists to what the caller may see', () => {
    expect(visibleEscalations(policeOfficer, [escalation, elsewhere])).toEqual([escalation]);
  });

  it('refuses lists to agency integrators and auditors with FORBIDDEN rather than an empty list', () => {
    expect(code(() => visibleEscalations(integrator, [escalation]))).toBe('FORBIDDEN');
    expect(code(() => visibleEscalations(auditor, [escalation]))).toBe('FORBIDDEN');
    expect(code(() => visibleEscalations(notAService, [escalation]))).toBe('FORBIDDEN');
    expect(code(() => visibleEscalations(service, [escalation]))).toBe('FORBIDDEN');
  });

  it('answers auditors and integrators with FORBIDDEN for a single lookup, even of an escalation of their agency', () => {
    expect(code(() => assertMaySee(laAuditor, escalation, 'e-1'))).toBe('FORBIDDEN');
    expect(code(() => assertMaySee(laIntegrator, escalation, 'e-1'))).toBe('FORBIDDEN');
    expect(code(() => assertMaySee(auditor, null, 'e-1'))).toBe('FORBIDDEN');
  });

  it('answers a single lookup without need-to-know with FORBIDDEN', () => {
    expect(code(() => assertMaySee(healthVisitor, escalation, 'e-1'))).toBe('FORBIDDEN');
  });

  it('answers a lookup of a missing escalation with NOT_FOUND', () => {
    expect(code(() => assertMaySee(mashOfficer, null, 'e-1'))).toBe('NOT_FOUND');
  });

  it('answers an integrator with FORBIDDEN even for a missing escalation', () => {
    expect(code(() => assertMaySee(integrator, null, 'e-1'))).toBe('FORBIDDEN');
  });

  it('returns the escalation to a caller who may see it', () => {
    expect(assertMaySee(laSocialWorker, escalation, 'e-1')).toBe(escalation);
  });
});

describe('which of a partnership’s escalations a list loads', () => {
  it('loads the whole partnership for its MASH officers and its chair, and refuses services', () => {
    expect(escalationListScope(mashOfficer, 'p-1')).toEqual({ kind: 'partnership' });
    expect(escalationListScope(chair, 'p-1')).toEqual({ kind: 'partnership' });
    expect(code(() => escalationListScope(service, 'p-1'))).toBe('FORBIDDEN');
  });

  it('loads only the escalations where the caller’s agency is a party for everyone else', () => {
    expect(escalationListScope(policeOfficer, 'p-1')).toEqual({ kind: 'agency', agencyId: 'police' });
    expect(escalationListScope(policeMashOfficer, 'p-1')).toEqual({ kind: 'agency', agencyId: 'police' });
  });

  it('loads nothing for a MASH officer or chair of another partnership with no agency', () => {
    expect(escalationListScope(otherMashOfficer, 'p-1')).toEqual({ kind: 'none' });
    expect(escalationListScope(otherChair, 'p-1')).toEqual({ kind: 'none' });
  });

  it('refuses auditors and integrators with FORBIDDEN', () => {
    expect(code(() => escalationListScope(auditor, 'p-1'))).toBe('FORBIDDEN');
    expect(code(() => escalationListScope(integrator, 'p-1'))).toBe('FORBIDDEN');
    expect(code(() => escalationListScope(notAService, 'p-1'))).toBe('FORBIDDEN');
  });
});
