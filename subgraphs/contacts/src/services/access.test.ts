import { CASEWORK_ROLES, type Identity } from '@mash/schema';
import { MashGraphQLError } from '@mash/service-kit';
import { directoryAccess, mayReadPartnership, requireDirectoryAccess, visibleContacts } from './access';

const MK = 'partnership-mk';
const OTHER = 'partnership-other';

const person = (roles: Identity['roles'], partnershipId: string | null = MK): Identity => ({
  subject: 'contact-1',
  roles,
  ...(partnershipId !== null && { partnershipId }),
});

describe('directory access', () => {
  it('lets a practitioner read the directory of their own partnership only', () => {
    const access = requireDirectoryAccess(person(['practitioner']));
    expect(access).toEqual({ kind: 'one-partnership', partnershipId: MK });
    expect(mayReadPartnership(access, MK)).toBe(true);
    expect(mayReadPartnership(access, OTHER)).toBe(false);
  });

  it('lets MASH officers, chairs and the other casework roles read their partnership too', () => {
    for (const role of CASEWORK_ROLES) {
      expect(directoryAccess(person([role]))).toEqual({ kind: 'one-partnership', partnershipId: MK });
    }
  });

  it('forbids auditors, who read the audit trail rather than the records', () => {
    expect(directoryAccess(person(['auditor'])).kind).toBe('denied');
  });

  it('lets services read every partnership', () => {
    const access = requireDirectoryAccess({ subject: 'service:escalations', roles: ['service'] });
    expect(access).toEqual({ kind: 'every-partnership' });
    expect(mayReadPartnership(access, OTHER)).toBe(true);
  });

  it('forbids agency integrators, who see no personal data', () => {
    expect(directoryAccess(person(['agency-integrator'])).kind).toBe('denied');
    expect(() => requireDirectoryAccess(person(['agency-integrator']))).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) }),
    );
  });

  it('forbids a token that claims both agency-integrator and practitioner', () => {
    expect(directoryAccess(person(['agency-integrator', 'practitioner'])).kind).toBe('denied');
    expect(directoryAccess(person(['practitioner', 'agency-integrator'])).kind).toBe('denied');
  });

  it('does not give the service role on a subject that is not a service every partnership', () => {
    expect(directoryAccess({ subject: 'contact-1', roles: ['service'] }).kind).toBe('denied');
    expect(directoryAccess({ subject: 'contact-1', roles: ['service'], partnershipId: MK }).kind).toBe(
      'denied',
    );
  });

  it('forbids a person whose token names no partnership', () => {
    let error: unknown;
    try {
      requireDirectoryAccess(person(['practitioner'], null));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(MashGraphQLError);
    expect((error as MashGraphQLError).extensions['code']).toBe('FORBIDDEN');
  });

  it('forbids a token with no recognised role', () => {
    expect(directoryAccess(person([])).kind).toBe('denied');
  });

  it("hides another partnership's contacts instead of failing the whole list", () => {
    const access = requireDirectoryAccess(person(['line-manager']));
    const contacts = [
      { id: 'a', partnershipId: MK },
      { id: 'b', partnershipId: OTHER },
    ];
    expect(visibleContacts(access, contacts).map((c) => c.id)).toEqual(['a']);
  });
});
