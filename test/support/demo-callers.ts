import { Demo, DemoLincolnshire } from '@mash/schema';
import { testToken } from './auth';

// The people of the demo partnership whom the end-to-end tests sign in as, with the tokens the test services accept.

export const mashOfficer = testToken({
  sub: Demo.contacts.mashOfficer,
  roles: ['mash-officer'],
  partnership: Demo.partnershipId,
  agency: Demo.agencies.laChildren,
});
export const policePractitioner = testToken({
  sub: Demo.contacts.policePractitioner,
  roles: ['practitioner'],
  partnership: Demo.partnershipId,
  agency: Demo.agencies.police,
});
export const laPractitioner = testToken({
  sub: Demo.contacts.laChildrenPractitioner,
  roles: ['practitioner'],
  partnership: Demo.partnershipId,
  agency: Demo.agencies.laChildren,
});
export const chair = testToken({
  sub: Demo.contacts.partnershipChair,
  roles: ['partnership-chair'],
  partnership: Demo.partnershipId,
  agency: Demo.agencies.partnership,
});
export const auditor = testToken({ sub: 'auditor-1', roles: ['auditor'], partnership: Demo.partnershipId });
export const laLineManager = testToken({
  sub: Demo.contacts.laChildrenLineManager,
  roles: ['line-manager'],
  partnership: Demo.partnershipId,
  agency: Demo.agencies.laChildren,
});
export const policeHeadOfService = testToken({
  sub: Demo.contacts.policeHeadOfService,
  roles: ['head-of-service'],
  partnership: Demo.partnershipId,
  agency: Demo.agencies.police,
});
export const healthDsl = testToken({
  sub: Demo.contacts.healthDsl,
  roles: ['designated-safeguarding-lead'],
  partnership: Demo.partnershipId,
  agency: Demo.agencies.health,
});
export const policeLineManager = testToken({
  sub: Demo.contacts.policeLineManager,
  roles: ['line-manager'],
  partnership: Demo.partnershipId,
  agency: Demo.agencies.police,
});
/** The second demo partnership's MASH officer (Lincolnshire). */
export const lincolnshireMashOfficer = testToken({
  sub: DemoLincolnshire.contacts.mashOfficer,
  roles: ['mash-officer'],
  partnership: DemoLincolnshire.partnershipId,
  agency: DemoLincolnshire.agencies.laChildren,
});
