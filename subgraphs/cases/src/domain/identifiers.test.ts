import type { SubjectIdentifier } from '@mash/schema';
import { identifiersOf, resolveSubject } from './identifiers';

const LA_ID: SubjectIdentifier = { system: 'la-person-id', value: 'LA-1' };
const NHS: SubjectIdentifier = { system: 'nhs-number', value: '9434765919' };
const UPN: SubjectIdentifier = { system: 'upn', value: 'H801200001001' };

describe('resolveSubject', () => {
  const known = (owners: Record<string, string>) => (id: SubjectIdentifier) =>
    owners[`${id.system}:${id.value}`] ?? null;

  it.each<[string, SubjectIdentifier[], Record<string, string>, ReturnType<typeof resolveSubject>]>([
    ['nothing known', [NHS], {}, { outcome: 'unknown' }],
    [
      'its own identifier known, the others recorded',
      [NHS, UPN],
      { 'la-person-id:LA-1': 's-1' },
      { outcome: 'matched', subjectId: 's-1', newIdentifiers: [NHS, UPN] },
    ],
    [
      'only another identifier known: its own is recorded against that subject',
      [NHS],
      { 'nhs-number:9434765919': 's-2' },
      { outcome: 'matched', subjectId: 's-2', newIdentifiers: [LA_ID] },
    ],
    [
      'every identifier known, all the same subject',
      [NHS],
      { 'la-person-id:LA-1': 's-1', 'nhs-number:9434765919': 's-1' },
      { outcome: 'matched', subjectId: 's-1', newIdentifiers: [] },
    ],
    [
      'its own and another identifier of two subjects',
      [NHS],
      { 'la-person-id:LA-1': 's-2', 'nhs-number:9434765919': 's-1' },
      { outcome: 'conflict', subjectIds: ['s-1', 's-2'] },
    ],
    [
      'its own unknown, two others of two subjects',
      [NHS, UPN],
      { 'upn:H801200001001': 's-3', 'nhs-number:9434765919': 's-1' },
      { outcome: 'conflict', subjectIds: ['s-1', 's-3'] },
    ],
  ])('%s', (_, others, owners, expected) => {
    expect(resolveSubject({ subject: LA_ID, otherIdentifiers: others }, known(owners))).toEqual(expected);
  });

  it('takes each identifier once, its own first', () => {
    expect(identifiersOf({ subject: LA_ID, otherIdentifiers: [NHS, LA_ID, NHS] })).toEqual([LA_ID, NHS]);
    expect(identifiersOf({ subject: LA_ID })).toEqual([LA_ID]);
  });
});
