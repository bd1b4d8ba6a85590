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
  },
  sourceSystems: {
    police: { id: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e21', code: 'tvp-niche' },
    laChildren: { id: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e22', code: 'mk-lcs' },
  },
  subject: {
    id: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e31',
    caseId: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e32',
    laPersonId: 'LCS-448812',
    policePersonId: 'NICHE-7730142',
    nhsNumber: '9434765919',
  },
  contacts: {
    mashOfficer: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e41',
  },
} as const;
