import type { Identity } from '@mash/schema';
import { caseListScope, mayManageMatching, mayReadCase, maySeeSubject } from './access';

const PARTNERSHIP = 'p-1';
const OTHER_PARTNERSHIP = 'p-2';
const POLICE = 'agency-police';
const HEALTH = 'agency-health';
const kase = { partnershipId: PARTNERSHIP, involvedAgencyIds: [POLICE] };

const who = (roles: Identity['roles'], extra: Partial<Identity> = {}): Identity => ({
  subject: 'someone',
  roles,
  ...extra,
});

describe('mayReadCase', () => {
  it('lets a practitioner of an involved agency read the case', () => {
    expect(mayReadCase(who(['practitioner'], { agencyId: POLICE }), kase)).toBe(true);
  });

  it('keeps the case from a practitioner whose agency is not involved', () => {
    expect(mayReadCase(who(['practitioner'], { agencyId: HEALTH, partnershipId: PARTNERSHIP }), kase)).toBe(
      false,
    );
  });

  it("lets the MASH officers and the chair of the case's partnership read it", () => {
    expect(mayReadCase(who(['mash-officer'], { partnershipId: PARTNERSHIP }), kase)).toBe(true);
    expect(mayReadCase(who(['partnership-chair'], { partnershipId: PARTNERSHIP }), kase)).toBe(true);
  });

  it("keeps the case from another partnership's MASH officers", () => {
    expect(mayReadCase(who(['mash-officer'], { partnershipId: OTHER_PARTNERSHIP }), kase)).toBe(false);
  });

  it('keeps it from platform services, whose jobs need no personal data', () => {
    expect(mayReadCase(who(['service'], { subject: 'service:escalations' }), kase)).toBe(false);
  });

  it('does not treat the service role on a subject that is not a service as a service', () => {
    expect(mayReadCase(who(['service'], { subject: 'contact-1' }), kase)).toBe(false);
    expect(mayReadCase(who(['service'], { subject: 'contact-1', partnershipId: PARTNERSHIP }), kase)).toBe(
      false,
    );
  });

  it('keeps personal data from an agency integrator, even of an involved agency', () => {
    expect(
      mayReadCase(who(['agency-integrator'], { agencyId: POLICE, partnershipId: PARTNERSHIP }), kase),
    ).toBe(false);
  });

  it('keeps the case from an auditor and from an identity without roles', () => {
    expect(mayReadCase(who(['auditor'], { agencyId: POLICE }), kase)).toBe(false);
    expect(mayReadCase(who([], { agencyId: POLICE }), kase)).toBe(false);
  });

  it('keeps the case from a token that claims both agency-integrator and practitioner', () => {
    expect(mayReadCase(who(['agency-integrator', 'practitioner'], { agencyId: POLICE }), kase)).toBe(false);
    expect(
      mayReadCase(
        who(['practitioner', 'agency-integrator', 'mash-officer'], { partnershipId: PARTNERSHIP }),
        kase,
      ),
    ).toBe(false);
  });

  it('keeps the case from an auditor of its own partnership', () => {
    expect(mayReadCase(who(['auditor'], { agencyId: POLICE, partnershipId: PARTNERSHIP }), kase)).toBe(false);
  });
});

describe('maySeeSubject', () => {
  it('shows a subject with no case yet to the MASH officers of its partnership only', () => {
    const subject = { partnershipId: PARTNERSHIP };
    expect(maySeeSubject(who(['mash-officer'], { partnershipId: PARTNERSHIP }), subject, [])).toBe(true);
    expect(maySeeSubject(who(['practitioner'], { agencyId: POLICE }), subject, [])).toBe(false);
  });

  it('shows a subject to a practitioner of an agency involved in one of its cases', () => {
    expect(
      maySeeSubject(who(['practitioner'], { agencyId: POLICE }), { partnershipId: PARTNERSHIP }, [kase]),
    ).toBe(true);
  });

  it('never shows a subject to an agency integrator, whatever other role the token claims', () => {
    expect(
      maySeeSubject(who(['agency-integrator'], { agencyId: POLICE }), { partnershipId: PARTNERSHIP }, [kase]),
    ).toBe(false);
    expect(
      maySeeSubject(
        who(['agency-integrator', 'mash-officer'], { partnershipId: PARTNERSHIP }),
        { partnershipId: PARTNERSHIP },
        [kase],
      ),
    ).toBe(false);
  });

  it('never shows a subject to an auditor, to a service or to the service role on a person', () => {
    const subject = { partnershipId: PARTNERSHIP };
    expect(
      maySeeSubject(who(['auditor'], { agencyId: POLICE, partnershipId: PARTNERSHIP }), subject, [kase]),
    ).toBe(false);
    expect(maySeeSubject(who(['service'], { subject: 'contact-1' }), subject, [])).toBe(false);
    expect(maySeeSubject(who(['service'], { subject: 'service:escalations' }), subject, [])).toBe(false);
  });
});

describe('mayManageMatching', () => {
  it('lets only the MASH officers of the partnership link and register subjects', () => {
    expect(mayManageMatching(who(['mash-officer'], { partnershipId: PARTNERSHIP }), PARTNERSHIP)).toBe(true);
    expect(mayManageMatching(who(['mash-officer'], { partnershipId: OTHER_PARTNERSHIP }), PARTNERSHIP)).toBe(
      false,
    );
    expect(mayManageMatching(who(['partnership-chair'], { partnershipId: PARTNERSHIP }), PARTNERSHIP)).toBe(
      false,
    );
    expect(
      mayManageMatching(who(['practitioner'], { agencyId: POLICE, partnershipId: PARTNERSHIP }), PARTNERSHIP),
    ).toBe(false);
  });

  it('refuses matching to a MASH officer token that also claims agency-integrator', () => {
    expect(
      mayManageMatching(
        who(['mash-officer', 'agency-integrator'], { partnershipId: PARTNERSHIP }),
        PARTNERSHIP,
      ),
    ).toBe(false);
  });
});

describe('caseListScope', () => {
  it('lists every case of the partnership for its MASH officers, and none for services', () => {
    expect(caseListScope(who(['mash-officer'], { partnershipId: PARTNERSHIP }), PARTNERSHIP)).toEqual({
      kind: 'all',
    });
    expect(caseListScope(who(['service'], { subject: 'service:escalations' }), PARTNERSHIP)).toEqual({
      kind: 'none',
    });
  });

  it("narrows a practitioner's list to the cases involving their agency", () => {
    expect(caseListScope(who(['practitioner'], { agencyId: HEALTH }), PARTNERSHIP)).toEqual({
      kind: 'involving',
      agencyId: HEALTH,
    });
  });

  it("lists nothing for an integrator or another partnership's MASH officer without an agency", () => {
    expect(caseListScope(who(['agency-integrator'], { agencyId: HEALTH }), PARTNERSHIP)).toEqual({
      kind: 'none',
    });
    expect(caseListScope(who(['mash-officer'], { partnershipId: OTHER_PARTNERSHIP }), PARTNERSHIP)).toEqual({
      kind: 'none',
    });
  });

  it('lists nothing for an auditor, a token claiming integrator and practitioner, or the service role on a person', () => {
    expect(
      caseListScope(who(['auditor'], { agencyId: HEALTH, partnershipId: PARTNERSHIP }), PARTNERSHIP),
    ).toEqual({
      kind: 'none',
    });
    expect(
      caseListScope(who(['agency-integrator', 'practitioner'], { agencyId: HEALTH }), PARTNERSHIP),
    ).toEqual({
      kind: 'none',
    });
    expect(caseListScope(who(['service'], { subject: 'contact-1' }), PARTNERSHIP)).toEqual({ kind: 'none' });
  });
});
