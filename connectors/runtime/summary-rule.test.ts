import { identifiersInSummary, identifyingValues } from './summary-rule';

describe('the summary rule', () => {
  const data = {
    subject: { system: 'la-person-id', value: 'LCS-448812' },
    otherIdentifiers: [{ system: 'nhs-number', value: '9434765919' }],
    planRef: 'MK-CPP-2025-0031',
    plan: { ref: 'CPP-9', kind: 'child-protection' },
    description: 'Visit with Ms Example',
    dueDate: '2026-01-09',
    visitFrequencyDays: 10,
  };

  it('treats identifier values, references and free text as identifying, and codes, dates and numbers not', () => {
    expect(identifyingValues(data).sort()).toEqual(
      ['9434765919', 'CPP-9', 'LCS-448812', 'MK-CPP-2025-0031', 'Visit with Ms Example'].sort(),
    );
  });

  it('finds the identifying values a summary holds', () => {
    expect(identifiersInSummary('Plan MK-CPP-2025-0031 action due by 2026-01-09', data)).toEqual([
      'MK-CPP-2025-0031',
    ]);
    expect(identifiersInSummary('Plan action added, due by 2026-01-09', data)).toEqual([]);
  });
});
