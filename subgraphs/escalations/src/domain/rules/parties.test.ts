import type { CaseSnapshot, Parties } from '@mash/schema';
import type { AgencyRef } from './finding';
import { chooseParties, DEFAULT_PARTIES } from './parties';

const agencies: AgencyRef[] = [
  { id: 'police', name: 'Thames Valley Police', type: 'police' },
  { id: 'la', name: "Milton Keynes Council Children's Services", type: 'la-children' },
  { id: 'la-2', name: 'Another Council', type: 'la-children' },
  { id: 'health', name: 'Milton Keynes University Hospital', type: 'health' },
  { id: 'school', name: 'Oakgrove School', type: 'education' },
];
const parties: Parties = { raising: ['health', 'education', 'police'], receiving: 'la-children' };
const involved = (...ids: [string, boolean][]): Pick<CaseSnapshot, 'involvements'> => ({
  involvements: ids.map(([agencyId, open]) => ({ agencyId, open })),
});

describe('choosing who raises and who receives', () => {
  it.each<{
    what: string;
    case: Pick<CaseSnapshot, 'involvements'>;
    options?: Parameters<typeof chooseParties>[3];
    chosen: { raising: string; receiving: string } | null;
  }>([
    {
      what: 'the first raising type with an open involvement raises to the involved local authority',
      case: involved(['police', true], ['school', true], ['la-2', true]),
      chosen: { raising: 'school', receiving: 'la-2' },
    },
    {
      what: 'a closed involvement does not raise',
      case: involved(['health', false], ['police', true], ['la', true]),
      chosen: { raising: 'police', receiving: 'la' },
    },
    {
      what: 'a local authority that closed its involvement still receives',
      case: involved(['health', true], ['la-2', false]),
      chosen: { raising: 'health', receiving: 'la-2' },
    },
    {
      what: "the partnership's local authority receives when none is involved",
      case: involved(['health', true]),
      chosen: { raising: 'health', receiving: 'la' },
    },
    {
      what: 'the agency running the plan receives when it is of the receiving type',
      case: involved(['health', true], ['la', true], ['la-2', true]),
      options: { preferred: 'la-2' },
      chosen: { raising: 'health', receiving: 'la-2' },
    },
    {
      what: 'the first signalling agency raises when no raising type is involved',
      case: involved(['la', true]),
      options: { signalling: ['la', 'police'] },
      chosen: { raising: 'police', receiving: 'la' },
    },
    {
      what: 'nobody, when the only agency that could raise is the receiving one',
      case: involved(['la', true]),
      options: { signalling: ['la'] },
      chosen: null,
    },
  ])('$what', (row) => {
    expect(chooseParties(row.case, parties, agencies, row.options)).toEqual(row.chosen);
  });

  it('finds no receiver when the partnership has no agency of the receiving type', () => {
    expect(
      chooseParties(involved(['health', true]), { raising: ['health'], receiving: 'housing' }, agencies),
    ).toBeNull();
  });

  it('advises defaults in which children’s social care receives every ground', () => {
    expect(Object.values(DEFAULT_PARTIES).map((p) => p.receiving)).toEqual([
      'la-children',
      'la-children',
      'la-children',
    ]);
  });
});
