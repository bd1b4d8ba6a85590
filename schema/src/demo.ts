/**
 * Fixed identifiers of the demo partnership, shared by every subgraph's demo seed so that references across
 * subgraphs line up. The people and the child are fictional.
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
