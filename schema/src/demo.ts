/**
 * Fixed identifiers of the demo partnership (MK Together, Milton Keynes), shared by every subgraph's demo seed so
 * that references across subgraphs line up. The people and the child are fictional.
 */
export const Demo = {
  partnershipId: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e01',
  agencies: {
    police: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e11',
    laChildren: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e12',
    health: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e13',
    education: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e14',
    partnership: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e15',
    laAdults: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e16',
  },
  sourceSystems: {
    police: { id: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e21', code: 'tvp-niche' },
    laChildren: { id: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e22', code: 'mk-lcs' },
    health: { id: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e23', code: 'mkuh-systmone' },
    education: { id: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e24', code: 'mk-cpoms' },
    laAdults: { id: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e25', code: 'mk-las' },
  },
  subject: {
    id: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e31',
    caseId: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e32',
    laPersonId: 'LCS-448812',
    policePersonId: 'NICHE-7730142',
    nhsNumber: '9434765919',
  },
  /** "Child B": a child-protection plan with one action past its due date (for the stalled-plan rule). */
  subjectB: {
    id: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e33',
    caseId: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e34',
    planId: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e35',
    overdueActionId: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e36',
    laPersonId: 'LCS-448813',
  },
  /**
   * "Child C": a section 47 enquiry with no initial child protection conference in time (stalled plan). Children C,
   * D and E are the demo stories of the automatic grounds besides Child A's threshold disagreement
   * (scripts/lib/demo-events.ts), registered with an open case so that their agencies' events match them.
   */
  subjectC: {
    id: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e37',
    caseId: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e38',
    laPersonId: 'LCS-448814',
    policePersonId: 'NICHE-7730143',
  },
  /** "Child D": not brought to a hospital appointment and absent from school unexplained (disengagement). */
  subjectD: {
    id: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e39',
    caseId: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e3a',
    nhsNumber: '9434765927',
    upn: 'Q801200005002',
  },
  /** "Child E": a high-risk DASH assessment and a MARAC referral that children's services do not know of (increasing risk). */
  subjectE: {
    id: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e3b',
    caseId: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e3c',
    policePersonId: 'NICHE-7730144',
  },
  contacts: {
    mashOfficer: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e41',
    policePractitioner: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e42',
    policeLineManager: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e43',
    policeDsl: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e44',
    policeHeadOfService: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e45',
    laChildrenPractitioner: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e46',
    laChildrenDutySocialWorker: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e47',
    laChildrenLineManager: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e48',
    laChildrenHeadOfService: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e49',
    partnershipChair: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e4a',
    healthDsl: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e4b',
    educationDsl: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e4c',
  },
} as const;

/**
 * Fixed identifiers of the second demo partnership, Lincolnshire Safeguarding Children Partnership: its own
 * agencies, source systems (with their own codes, so their own topics and Kafka principals) and directory, and a
 * policy with other timescales (`lincolnshirePolicy` in `demo-policies.ts`). It shows that policy is data: the
 * same raise gets other deadlines there. The people are fictional.
 */
export const DemoLincolnshire = {
  partnershipId: '1c0a7b2f-3d2e-4a8b-8a62-2b3c4d5e6f01',
  agencies: {
    police: '1c0a7b2f-3d2e-4a8b-8a62-2b3c4d5e6f11',
    laChildren: '1c0a7b2f-3d2e-4a8b-8a62-2b3c4d5e6f12',
    health: '1c0a7b2f-3d2e-4a8b-8a62-2b3c4d5e6f13',
    education: '1c0a7b2f-3d2e-4a8b-8a62-2b3c4d5e6f14',
    partnership: '1c0a7b2f-3d2e-4a8b-8a62-2b3c4d5e6f15',
  },
  sourceSystems: {
    police: { id: '1c0a7b2f-3d2e-4a8b-8a62-2b3c4d5e6f21', code: 'lincs-niche' },
    laChildren: { id: '1c0a7b2f-3d2e-4a8b-8a62-2b3c4d5e6f22', code: 'lincs-mosaic' },
    health: { id: '1c0a7b2f-3d2e-4a8b-8a62-2b3c4d5e6f23', code: 'lchs-systmone' },
    education: { id: '1c0a7b2f-3d2e-4a8b-8a62-2b3c4d5e6f24', code: 'lincs-myconcern' },
  },
  contacts: {
    mashOfficer: '1c0a7b2f-3d2e-4a8b-8a62-2b3c4d5e6f41',
    policePractitioner: '1c0a7b2f-3d2e-4a8b-8a62-2b3c4d5e6f42',
    policeLineManager: '1c0a7b2f-3d2e-4a8b-8a62-2b3c4d5e6f43',
    policeHeadOfService: '1c0a7b2f-3d2e-4a8b-8a62-2b3c4d5e6f44',
    laChildrenPractitioner: '1c0a7b2f-3d2e-4a8b-8a62-2b3c4d5e6f45',
    laChildrenDutySocialWorker: '1c0a7b2f-3d2e-4a8b-8a62-2b3c4d5e6f46',
    laChildrenLineManager: '1c0a7b2f-3d2e-4a8b-8a62-2b3c4d5e6f47',
    laChildrenHeadOfService: '1c0a7b2f-3d2e-4a8b-8a62-2b3c4d5e6f48',
    healthPractitioner: '1c0a7b2f-3d2e-4a8b-8a62-2b3c4d5e6f49',
    healthDsl: '1c0a7b2f-3d2e-4a8b-8a62-2b3c4d5e6f4a',
    healthHeadOfService: '1c0a7b2f-3d2e-4a8b-8a62-2b3c4d5e6f4b',
    educationPractitioner: '1c0a7b2f-3d2e-4a8b-8a62-2b3c4d5e6f4c',
    educationDsl: '1c0a7b2f-3d2e-4a8b-8a62-2b3c4d5e6f4d',
    educationHeadOfService: '1c0a7b2f-3d2e-4a8b-8a62-2b3c4d5e6f4e',
    partnershipChair: '1c0a7b2f-3d2e-4a8b-8a62-2b3c4d5e6f4f',
  },
} as const;
