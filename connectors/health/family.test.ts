import type { StatusFacts } from '@mash/schema';
import { familyTestKit } from '../runtime/family-test-kit';
import { identifiersInSummary } from '../runtime/summary-rule';
import { HEALTH_EVENT_TYPES as T, NHS_NUMBER_SYSTEM, WAS_NOT_BROUGHT_EXTENSION } from './events';
import { healthFamily } from './family';
import { fhirField, fhirPathOfPointer } from './fhir';

const nhsNumber = '9434765919';
const subject = { system: 'nhs-number', value: nhsNumber } as const;
const { map, validate } = familyTestKit(healthFamily, 'mkuh-systmone', '2025-11-22T08:00:00Z');

function rejection(type: string, data: object) {
  const result = validate(type, data);
  if (result.ok) throw new Error('expected the event to be rejected');
  return { code: result.code, reason: result.reason, fields: result.issues.map((i) => i.field) };
}

const patient = { type: 'Patient', identifier: { system: NHS_NUMBER_SYSTEM, value: nhsNumber } };

const legacyAppointment = (wasNotBrought: boolean, service: string) => ({
  subject,
  appointmentRef: 'APT-20251119-0042',
  appointmentAt: '2025-11-19T09:40:00Z',
  wasNotBrought,
  service,
});

/** Modelled on the FHIR R4 specification's example Appointment ("example"), as a no-show. */
const appointment = (wasNotBrought: boolean, extra: object = {}) => ({
  resourceType: 'Appointment',
  id: 'apt-20251119-0042',
  status: 'noshow',
  start: '2025-11-19T09:40:00Z',
  end: '2025-11-19T10:00:00Z',
  participant: [
    { actor: patient, status: 'accepted' },
    { actor: { type: 'Practitioner', display: 'Paediatric clinic' }, status: 'accepted' },
  ],
  extension: [{ url: WAS_NOT_BROUGHT_EXTENSION, valueBoolean: wasNotBrought }],
  ...extra,
});

/** Modelled on the FHIR R4 specification's example Encounter "emerg" (class EMER). */
const encounter = (extra: object = {}) => ({
  resourceType: 'Encounter',
  id: 'emerg-20251121-0311',
  status: 'finished',
  class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'EMER', display: 'emergency' },
  subject: patient,
  period: { start: '2025-11-21T22:14:00Z', end: '2025-11-22T01:05:00Z' },
  ...extra,
});

const flag = (code: string, status: string, period: object) => ({
  resourceType: 'Flag',
  id: 'cpis-448812',
  status,
  code: { coding: [{ system: 'urn:mash:fhir:CodeSystem:cp-is-information-type', code }] },
  subject: patient,
  period,
});

interface Case {
  readonly name: string;
  readonly type: string;
  readonly data: object;
  readonly kind: string;
  readonly facts: StatusFacts;
  readonly summary: string;
  readonly occurredAt: string;
}

const cases: Case[] = [
  {
    name: 'a child not brought (deprecated flat type)',
    type: T.appointmentNotAttended,
    data: legacyAppointment(true, 'paediatrics'),
    kind: 'appointment-not-attended',
    facts: { appointment: { attendance: 'was-not-brought' }, reference: 'APT-20251119-0042' },
    summary: 'Child was not brought to a paediatrics appointment',
    occurredAt: '2025-11-19T09:40:00.000Z',
  },
  {
    name: 'a patient who did not attend (deprecated flat type)',
    type: T.appointmentNotAttended,
    data: legacyAppointment(false, 'outpatients'),
    kind: 'appointment-not-attended',
    facts: { appointment: { attendance: 'did-not-attend' }, reference: 'APT-20251119-0042' },
    summary: 'Did not attend an outpatient appointment',
    occurredAt: '2025-11-19T09:40:00.000Z',
  },
  {
    name: 'a FHIR no-show Appointment of a child not brought',
    type: T.appointmentNoShow,
    data: appointment(true),
    kind: 'appointment-not-attended',
    facts: { appointment: { attendance: 'was-not-brought' }, reference: 'apt-20251119-0042' },
    summary: 'Child was not brought to a health appointment',
    occurredAt: '2025-11-19T09:40:00.000Z',
  },
  {
    name: 'a FHIR no-show Appointment of a patient who did not attend',
    type: T.appointmentNoShow,
    data: appointment(false),
    kind: 'appointment-not-attended',
    facts: { appointment: { attendance: 'did-not-attend' }, reference: 'apt-20251119-0042' },
    summary: 'Did not attend a health appointment',
    occurredAt: '2025-11-19T09:40:00.000Z',
  },
  {
    name: 'a FHIR emergency Encounter',
    type: T.emergencyEncounter,
    data: encounter(),
    kind: 'unscheduled-care',
    facts: { reference: 'emerg-20251121-0311' },
    summary: 'Unscheduled care: an emergency attendance',
    occurredAt: '2025-11-21T22:14:00.000Z',
  },
  {
    name: 'a CP-IS child protection plan Flag set',
    type: T.protectionFlag,
    data: flag('CPP', 'active', { start: '2025-10-02T00:00:00Z' }),
    kind: 'protection-flag',
    facts: { protectionFlag: { type: 'child-protection-plan', active: true }, reference: 'cpis-448812' },
    summary: 'Child protection plan flag set (CP-IS)',
    occurredAt: '2025-10-02T00:00:00.000Z',
  },
  {
    name: 'a CP-IS looked-after Flag ended, dated at its end',
    type: T.protectionFlag,
    data: flag('LAC', 'inactive', { start: '2024-03-01T00:00:00Z', end: '2025-11-01T00:00:00Z' }),
    kind: 'protection-flag',
    facts: { protectionFlag: { type: 'looked-after', active: false }, reference: 'cpis-448812' },
    summary: 'Looked-after child flag ended (CP-IS)',
    occurredAt: '2025-11-01T00:00:00.000Z',
  },
  {
    name: "a CP-IS unborn child's protection plan Flag (the mother's NHS number)",
    type: T.protectionFlag,
    data: flag('UCPP', 'active', { start: '2025-09-15T00:00:00Z' }),
    kind: 'protection-flag',
    facts: {
      protectionFlag: { type: 'unborn-child-protection-plan', active: true },
      reference: 'cpis-448812',
    },
    summary: 'Unborn child protection plan flag set (CP-IS)',
    occurredAt: '2025-09-15T00:00:00.000Z',
  },
];

describe('health family', () => {
  it.each(cases)('maps $name', (c) => {
    expect(validate(c.type, c.data)).toEqual({ ok: true, event: expect.any(Object) });
    const mapped = map(c.type, c.data);
    expect(mapped).toEqual({
      subject,
      kind: c.kind,
      facts: c.facts,
      summary: c.summary,
      occurredAt: c.occurredAt,
    });
    expect(identifiersInSummary(mapped.summary, c.data)).toEqual([]);
    expect(mapped.summary).not.toContain(nhsNumber);
  });

  it("carries the other identifiers of the flat type's health record (the local authority's person id)", () => {
    const other = { system: 'la-person-id', value: 'LCS-448812' } as const;
    const data = { ...legacyAppointment(true, 'gp'), otherIdentifiers: [other] };
    expect(map(T.appointmentNotAttended, data).otherIdentifiers).toEqual([other]);
  });

  it.each([
    [
      'a UPN with a wrong check letter among the other identifiers',
      { ...legacyAppointment(true, 'gp'), otherIdentifiers: [{ system: 'upn', value: 'A801200005001' }] },
      '/data/otherIdentifiers/0/value: must match format "upn"',
    ],
    [
      'more than eight other identifiers',
      {
        ...legacyAppointment(true, 'gp'),
        otherIdentifiers: Array.from({ length: 9 }, (_, i) => ({
          system: 'la-person-id',
          value: `LCS-${i}00`,
        })),
      },
      '/data/otherIdentifiers: must NOT have more than 8 items',
    ],
  ])('rejects in the flat type %s as EVENT_DATA_INVALID', (_, data, reason) => {
    expect(validate(T.appointmentNotAttended, data)).toEqual({
      ok: false,
      code: 'EVENT_DATA_INVALID',
      reason,
      issues: [expect.objectContaining({ field: reason.split(':')[0] })],
      envelope: expect.any(Object),
    });
  });

  describe('dead-letters a resource that is not valid FHIR R4, naming the FHIR path that broke', () => {
    it.each([
      [
        'an Appointment start that is not a FHIR instant',
        T.appointmentNoShow,
        appointment(true, { start: '2025-11-19 09:40' }),
        'Appointment.start: Invalid instant format',
        ['Appointment.start'],
      ],
      [
        'a no-show Appointment without an end (invariant app-2)',
        T.appointmentNoShow,
        appointment(true, { end: undefined }),
        'Appointment: Constraint app-2 not met: Either start and end are specified, or neither',
        ['Appointment'],
      ],
      [
        'an Appointment with an element R4 does not define, reported at its parent',
        T.appointmentNoShow,
        appointment(true, { attendance: 'none' }),
        'Appointment: Invalid additional property "attendance"',
        ['Appointment'],
      ],
      [
        'an Encounter without its class',
        T.emergencyEncounter,
        encounter({ class: undefined }),
        'Encounter.class: Missing required property',
        ['Encounter.class'],
      ],
      [
        'a Flag period start that is not a FHIR dateTime',
        T.protectionFlag,
        flag('CPP', 'active', { start: '2025-13-01' }),
        'Flag.period.start: Invalid dateTime format',
        ['Flag.period.start'],
      ],
      [
        'another resource type than the event type carries',
        T.protectionFlag,
        encounter(),
        'Flag.resourceType: must be "Flag"',
        ['Flag.resourceType'],
      ],
    ])('%s', (_, type, data, reason, fields) => {
      expect(rejection(type, data)).toEqual({ code: 'EVENT_DATA_INVALID', reason, fields });
    });
  });

  describe("dead-letters valid FHIR that breaks the contract's own rules, named as FHIR paths", () => {
    it.each([
      [
        'a patient whose NHS number has a wrong check digit',
        T.appointmentNoShow,
        appointment(true, {
          participant: [
            {
              actor: { ...patient, identifier: { ...patient.identifier, value: '9434765918' } },
              status: 'accepted',
            },
          ],
        }),
        'Appointment.participant[0].actor.identifier.value: must match format "nhs-number"',
        ['Appointment.participant[0].actor.identifier.value'],
      ],
      [
        'a no-show that does not say whether the child was brought',
        T.appointmentNoShow,
        appointment(true, { extension: undefined }),
        "Appointment: must have required property 'extension'",
        ['Appointment.extension'],
      ],
      [
        'an appointment that was kept',
        T.appointmentNoShow,
        appointment(true, { status: 'fulfilled' }),
        'Appointment.status: must be "noshow"',
        ['Appointment.status'],
      ],
      [
        'an Encounter that is not an emergency',
        T.emergencyEncounter,
        encounter({ class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' } }),
        'Encounter.class.code: must be "EMER"',
        ['Encounter.class.code'],
      ],
      [
        'an Encounter whose patient is known by a local number only',
        T.emergencyEncounter,
        encounter({
          subject: { type: 'Patient', identifier: { system: 'urn:oid:2.16.840.1', value: 'X1' } },
        }),
        'Encounter.subject.identifier.system: must be "https://fhir.nhs.uk/Id/nhs-number"; ' +
          'Encounter.subject.identifier.value: must match pattern "^[0-9]{10}$"; ' +
          'Encounter.subject.identifier.value: must match format "nhs-number"',
        [
          'Encounter.subject.identifier.system',
          'Encounter.subject.identifier.value',
          'Encounter.subject.identifier.value',
        ],
      ],
      [
        'an ended Flag without its end',
        T.protectionFlag,
        flag('CPP', 'inactive', { start: '2025-10-02T00:00:00Z' }),
        "Flag.period: must have required property 'end'",
        ['Flag.period.end'],
      ],
    ])('%s', (_, type, data, reason, fields) => {
      expect(rejection(type, data)).toEqual({ code: 'EVENT_DATA_INVALID', reason, fields });
    });
  });

  it.each([
    ['Appointment.participant[0].actor', false, 'Appointment.participant[0].actor'],
    ['Appointment.attendance', true, 'Appointment'],
    ['Flag.contained[0].9434765919', false, 'Flag.contained[0]'],
    ['Flag.extension[0].value[x]', false, 'Flag.extension[0].value[x]'],
  ])('keeps only element names of the FHIR path %s in a field', (expression, unknown, field) => {
    expect(fhirField(expression, unknown)).toBe(field);
  });

  it('writes a JSON Pointer into data as a FHIR path', () => {
    expect(fhirPathOfPointer('Appointment', '/data/participant/0/actor/identifier/value')).toBe(
      'Appointment.participant[0].actor.identifier.value',
    );
    expect(fhirPathOfPointer('Flag', '/data')).toBe('Flag');
  });
});
