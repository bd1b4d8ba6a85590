import { AGENCY_FAMILIES } from '@mash/schema';
import { isValidNhsNumber } from './identifiers';
import {
  connectorGroupId,
  familiesOfConnectorGroup,
  familyOfType,
  schemaId,
  sourceSystemCode,
  sourceUrn,
} from './naming';

describe('naming', () => {
  it('reads the source system code from a urn:mash:source URI', () => {
    expect(sourceSystemCode('urn:mash:source:tvp-niche')).toBe('tvp-niche');
    expect(sourceSystemCode(sourceUrn('mk-lcs'))).toBe('mk-lcs');
    expect(sourceSystemCode('urn:mash:source:')).toBeNull();
    expect(sourceSystemCode('https://tvp.example/niche')).toBeNull();
  });

  it('reads the family from a type name', () => {
    expect(familyOfType('uk.mash.police.protection-notice.v1')).toBe('police');
    expect(familyOfType('uk.mash.la-children.case-closed.v12')).toBe('la-children');
    expect(familyOfType('uk.mash.probation.licence-recall.v1')).toBeNull();
    expect(familyOfType('uk.mash.police.protection-notice')).toBeNull();
    expect(familyOfType('com.example.police.thing.v1')).toBeNull();
  });

  it('names a type schema by urn', () => {
    expect(schemaId('uk.mash.police.protection-notice.v1')).toBe(
      'urn:mash:schema:uk.mash.police.protection-notice.v1',
    );
  });
});

describe('NHS number check', () => {
  it('accepts a number whose modulus 11 check digit is right', () => {
    expect(isValidNhsNumber('9434765919')).toBe(true);
    expect(isValidNhsNumber('4010232137')).toBe(true);
  });

  it('rejects a wrong check digit, a check digit of 10, and anything but 10 digits', () => {
    expect(isValidNhsNumber('9434765918')).toBe(false);
    expect(isValidNhsNumber('1000000010')).toBe(false);
    expect(isValidNhsNumber('943 476 5919')).toBe(false);
    expect(isValidNhsNumber('943476591')).toBe(false);
  });
});

describe('familiesOfConnectorGroup', () => {
  it.each([
    ['t1-mash-connector-police-la-children', ['police', 'la-children']],
    ['t1-mash-connector-police-health-la-children-la-adults-education', [...AGENCY_FAMILIES]],
    ['t1-mash-connector-la-adults', ['la-adults']],
    ['t1-mash-cases', null],
    ['t2-mash-connector-police', null],
    ['t1-mash-connector-police-probation', null],
    ['t1-mash-connector-', null],
  ])('reads %s as %j', (groupId, families) => {
    expect(familiesOfConnectorGroup('t1-', groupId)).toEqual(families);
  });

  it('reads back every group id connectorGroupId makes', () => {
    const families = ['health', 'la-adults', 'education'] as const;
    expect(familiesOfConnectorGroup('p-', connectorGroupId('p-', families))).toEqual([...families]);
  });
});
