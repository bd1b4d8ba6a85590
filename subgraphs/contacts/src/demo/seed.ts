import { Demo } from '@mash/schema';
import type { DataSource } from 'typeorm';
import type { ContactRecord } from '../domain/contact';
import { seedContacts } from '../services/seed-contacts';

const C = Demo.contacts;
const A = Demo.agencies;

type DemoContact = Omit<ContactRecord, 'partnershipId' | 'onDutyCover'> & { onDutyCover?: boolean };

/**
 * The demo directory: fictional people with drama-reserved phone numbers (Ofcom 01632 960xxx, 07700 900xxx)
 * and example.org addresses. Police and children's services each have a practitioner, a line manager and a head
 * of service (police also a DSL); health and education have a DSL; the business unit has the Assurance Board
 * chair; the MASH officer sits in children's services.
 */
const DEMO_CONTACTS: readonly DemoContact[] = [
  {
    id: C.policeHeadOfService,
    agencyId: A.police,
    name: 'Mark Ellison',
    role: 'head-of-service',
    team: 'Public Protection, Detective Superintendent',
    phone: '01632 960101',
    email: 'mark.ellison@police.example.org',
    managerId: null,
  },
  {
    id: C.policeLineManager,
    agencyId: A.police,
    name: 'Tom Hargreaves',
    role: 'line-manager',
    team: 'Child Abuse Investigation Unit, Detective Sergeant',
    phone: '01632 960102',
    email: 'tom.hargreaves@police.example.org',
    managerId: C.policeHeadOfService,
  },
  {
    id: C.policeDsl,
    agencyId: A.police,
    name: 'Claire Donovan',
    role: 'designated-safeguarding-lead',
    team: 'Safeguarding Hub, Detective Inspector',
    phone: '01632 960103',
    email: 'claire.donovan@police.example.org',
    managerId: C.policeHeadOfService,
  },
  {
    id: C.policePractitioner,
    agencyId: A.police,
    name: 'Aisha Rahman',
    role: 'practitioner',
    team: 'Child Abuse Investigation Unit, Detective Constable',
    phone: '07700 900101',
    email: 'aisha.rahman@police.example.org',
    managerId: C.policeLineManager,
  },
  {
    id: C.laChildrenHeadOfService,
    agencyId: A.laChildren,
    name: 'David Ashworth',
    role: 'head-of-service',
    team: "Children's Social Care, Head of Service",
    phone: '01632 960201',
    email: 'david.ashworth@council.example.org',
    managerId: null,
  },
  {
    id: C.laChildrenLineManager,
    agencyId: A.laChildren,
    name: 'Rachel Meyer',
    role: 'line-manager',
    team: 'Children and Families Assessment Team, Team Manager',
    phone: '01632 960202',
    email: 'rachel.meyer@council.example.org',
    managerId: C.laChildrenHeadOfService,
  },
  {
    id: C.laChildrenPractitioner,
    agencyId: A.laChildren,
    name: 'Ben Okafor',
    role: 'practitioner',
    team: 'Children and Families Assessment Team, Social Worker',
    phone: '07700 900201',
    email: 'ben.okafor@council.example.org',
    managerId: C.laChildrenLineManager,
  },
  {
    id: C.laChildrenDutySocialWorker,
    agencyId: A.laChildren,
    name: 'Hannah Lewis',
    role: 'practitioner',
    team: 'Children and Families Assessment Team, Duty Social Worker',
    phone: '07700 900202',
    email: 'hannah.lewis@council.example.org',
    managerId: C.laChildrenLineManager,
    onDutyCover: true,
  },
  {
    id: C.mashOfficer,
    agencyId: A.laChildren,
    name: 'Jordan Price',
    role: 'mash-officer',
    team: 'Multi-Agency Safeguarding Hub',
    phone: '01632 960203',
    email: 'jordan.price@council.example.org',
    managerId: C.laChildrenLineManager,
  },
  {
    id: C.healthDsl,
    agencyId: A.health,
    name: 'Naomi Brooks',
    role: 'designated-safeguarding-lead',
    team: 'Safeguarding Children, Named Nurse',
    phone: '01632 960301',
    email: 'naomi.brooks@hospital.example.org',
    managerId: null,
  },
  {
    id: C.educationDsl,
    agencyId: A.education,
    name: 'Gareth Powell',
    role: 'designated-safeguarding-lead',
    team: 'Education Safeguarding, Safeguarding Lead',
    phone: '01632 960401',
    email: 'gareth.powell@education.example.org',
    managerId: null,
  },
  {
    id: C.partnershipChair,
    agencyId: A.partnership,
    name: 'Elaine Carter',
    role: 'partnership-chair',
    team: 'MK Together Assurance Board, Chair',
    phone: '01632 960501',
    email: 'elaine.carter@partnership.example.org',
    managerId: null,
  },
];

/** The demo directory as records of the demo partnership. */
export function demoContacts(): ContactRecord[] {
  return DEMO_CONTACTS.map((c) => ({
    ...c,
    partnershipId: Demo.partnershipId,
    onDutyCover: c.onDutyCover ?? false,
  }));
}

/** Seeds the demo directory; idempotent. */
export async function seedContactsDemo(dataSource: DataSource): Promise<void> {
  await seedContacts(dataSource, demoContacts());
}
