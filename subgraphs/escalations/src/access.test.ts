import type { Identity } from '@mash/schema';
import {
  assertMaySee,
  mayAcknowledge,
  mayResolve,
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
const service = who(['service']);

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
    ['a service', service],
  ])('shows it to %s', (_who, identity) => {
    expect(maySeeEscalation(identity, escalation)).toBe(true);
  });

  it.each([
    ['a caller of an agency not in dispute', healthVisitor],
    ['a MASH officer of another partnership', otherMashOfficer],
    ['the chair of another partnership', otherChair],
    ['an agency integrator, even of the raising agency', integrator],
  ])('hides it from %s', (_who, identity) => {
    expect(maySeeEscalation(identity, escalation)).toBe(false);
  });

  it('filters lists to what the caller may see', () => {
    expect(visibleEscalations(policeOfficer, [escalation, elsewhere])).toEqual([escalation]);
    expect(visibleEscalations(service, [escalation, elsewhere])).toEqual([escalation, elsewhere]);
  });

  it('refuses lists to agency integrators with FORBIDDEN rather than an empty list', () => {
    expect(code(() => visibleEscalations(integrator, [escalation]))).toBe('FORBIDDEN');
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

describe('who moves an escalation', () => {
  it('lets only the receiving agency acknowledge', () => {
    expect(mayAcknowledge(laSocialWorker, escalation)).toBe(true);
    expect(mayAcknowledge(policeOfficer, escalation)).toBe(false);
    expect(mayAcknowledge(mashOfficer, escalation)).toBe(false);
    expect(mayAcknowledge(chair, escalation)).toBe(false);
    expect(mayAcknowledge(who(['agency-integrator'], { agencyId: 'la' }), escalation)).toBe(false);
  });

  it('lets either agency in dispute or the partnership chair resolve', () => {
    expect(mayResolve(laSocialWorker, escalation)).toBe(true);
    expect(mayResolve(policeOfficer, escalation)).toBe(true);
    expect(mayResolve(chair, escalation)).toBe(true);
  });

  it('does not let a MASH officer, another partnership’s chair, a bystander agency or an integrator resolve', () => {
    expect(mayResolve(mashOfficer, escalation)).toBe(false);
    expect(mayResolve(otherChair, escalation)).toBe(false);
    expect(mayResolve(healthVisitor, escalation)).toBe(false);
    expect(mayResolve(integrator, escalation)).toBe(false);
  });
});
