import { mayReadConnectorHealth, type Identity, type Role } from './identity';

const owner = { agencyId: 'agency-la-adults', partnershipId: 'partnership-mk' };
const caller = (roles: Role[], agencyId?: string, partnershipId = 'partnership-mk'): Identity => ({
  subject: 'someone',
  roles,
  partnershipId,
  ...(agencyId && { agencyId }),
});

describe('who may read a source system’s connector health', () => {
  it.each([
    ['an integrator of the agency that owns it', caller(['agency-integrator'], 'agency-la-adults'), true],
    ['an integrator of another agency', caller(['agency-integrator'], 'agency-police'), false],
    ['a MASH officer of its partnership', caller(['mash-officer'], 'agency-police'), true],
    [
      'a MASH officer of another partnership',
      caller(['mash-officer'], 'agency-police', 'partnership-other'),
      false,
    ],
    ['a practitioner of the agency that owns it', caller(['practitioner'], 'agency-la-adults'), false],
    ['a platform service', caller(['service']), false],
    ['an auditor', caller(['auditor'], 'agency-la-adults'), false],
  ])('%s: %s', (_, identity, allowed) => {
    expect(mayReadConnectorHealth(identity, owner)).toBe(allowed);
  });
});
