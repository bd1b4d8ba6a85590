import { eventData, identifiersOf, occurredAt, type FamilyDefinition } from '../runtime/family';
import { HEALTH_EVENT_TYPES, type AppointmentNotAttendedData, type HealthService } from './events';

const SERVICE_WORDS: Record<HealthService, string> = {
  gp: 'a GP',
  'health-visiting': 'a health visiting',
  'school-nursing': 'a school nursing',
  midwifery: 'a midwifery',
  paediatrics: 'a paediatrics',
  camhs: 'a CAMHS',
  dental: 'a dental',
  'sexual-health': 'a sexual health',
  'substance-misuse': 'a substance misuse',
  outpatients: 'an outpatient',
  other: 'a health',
};

export const healthFamily: FamilyDefinition = {
  family: 'health',
  identifierSystems: ['nhs-number'],
  mappers: {
    [HEALTH_EVENT_TYPES.appointmentNotAttended]: (event) => {
      const data = eventData<AppointmentNotAttendedData>(event);
      const appointment = `${SERVICE_WORDS[data.service]} appointment`;
      return {
        ...identifiersOf(data),
        kind: 'appointment-not-attended',
        facts: {
          appointment: { attendance: data.wasNotBrought ? 'was-not-brought' : 'did-not-attend' },
          reference: data.appointmentRef,
        },
        summary: data.wasNotBrought
          ? `Child was not brought to ${appointment}`
          : `Did not attend ${appointment}`,
        occurredAt: occurredAt(event, data.appointmentAt),
      };
    },
  },
};
