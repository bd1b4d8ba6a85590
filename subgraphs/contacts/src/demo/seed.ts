import { Demo, DemoLincolnshire } from '@mash/schema';
import type { DataSource } from 'typeorm';
import type { ContactRecord } from '../domain/contact';
import { seedContacts } from '../services/seed-contacts';

const C = Demo.contacts;
const A = Demo.agencies;

type DemoContact = Omit<ContactRecord, 'partnershipId' | 'onDutyCover'> & { onDutyCover?: boolean };

/**
 * The MK Together demo directory: fictional people with drama-reserved phone numbers (Ofcom 01632 960xxx, 07700 900xxx)
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

const L = DemoLincolnshire.contacts;
const LA = DemoLincolnshire.agencies;

/**
 * The second demo partnership's directory (Lincolnshire): people for every stage role in each agency, so that
 * each stage routes to someone whichever two agencies disagree: a practitioner (stage 1), a line manager or DSL
 * (stage 2) and a head of service (stage 3) in police, children's services, health and education, the duty social
 * worker on cover, a MASH officer, and the partnership chair (stage 4).
 */
const LINCOLNSHIRE_CONTACTS: readonly DemoContact[] = [
  {
    id: L.policeHeadOfService,
    agencyId: LA.police,
    name: 'Simon Whitaker',
    role: 'head-of-service',
    team: 'Protecting Vulnerable People, Detective Superintendent',
    phone: '01632 960701',
    email: 'simon.whitaker@lincs-police.example.org',
    managerId: null,
  },
  {
    id: L.policeLineManager,
    agencyId: LA.police,
    name: 'Priya Nair',
    role: 'line-manager',
    team: 'Child Protection Unit, Detective Sergeant',
    phone: '01632 960702',
    email: 'priya.nair@lincs-police.example.org',
    managerId: L.policeHeadOfService,
  },
  {
    id: L.policePractitioner,
    agencyId: LA.police,
    name: 'Callum Reid',
    role: 'practitioner',
    team: 'Child Protection Unit, Detective Constable',
    phone: '07700 900701',
    email: 'callum.reid@lincs-police.example.org',
    managerId: L.policeLineManager,
  },
  {
    id: L.laChildrenHeadOfService,
    agencyId: LA.laChildren,
    name: 'Joanna Fielding',
    role: 'head-of-service',
    team: "Children's Safeguarding, Head of Service",
    phone: '01632 960711',
    email: 'joanna.fielding@lincs-council.example.org',
    managerId: null,
  },
  {
    id: L.laChildrenLineManager,
    agencyId: LA.laChildren,
    name: 'Martin Osei',
    role: 'line-manager',
    team: 'Children in Need Team, Practice Supervisor',
    phone: '01632 960712',
    email: 'martin.osei@lincs-council.example.org',
    managerId: L.laChildrenHeadOfService,
  },
  {
    id: L.laChildrenPractitioner,
    agencyId: LA.laChildren,
    name: 'Grace Holloway',
    role: 'practitioner',
    team: 'Children in Need Team, Social Worker',
    phone: '07700 900711',
    email: 'grace.holloway@lincs-council.example.org',
    managerId: L.laChildrenLineManager,
  },
  {
    id: L.laChildrenDutySocialWorker,
    agencyId: LA.laChildren,
    name: 'Owen Barker',
    role: 'practitioner',
    team: 'Children in Need Team, Duty Social Worker',
    phone: '07700 900712',
    email: 'owen.barker@lincs-council.example.org',
    managerId: L.laChildrenLineManager,
    onDutyCover: true,
  },
  {
    id: L.mashOfficer,
    agencyId: LA.laChildren,
    name: 'Leah Turner',
    role: 'mash-officer',
    team: 'Customer Service Centre and MASH',
    phone: '01632 960713',
    email: 'leah.turner@lincs-council.example.org',
    managerId: L.laChildrenLineManager,
  },
  {
    id: L.healthHeadOfService,
    agencyId: LA.health,
    name: 'Fiona MacLeod',
    role: 'head-of-service',
    team: 'Safeguarding, Head of Safeguarding',
    phone: '01632 960721',
    email: 'fiona.macleod@lincs-health.example.org',
    managerId: null,
  },
  {
    id: L.healthDsl,
    agencyId: LA.health,
    name: 'Samuel Adeyemi',
    role: 'designated-safeguarding-lead',
    team: 'Safeguarding Children, Named Nurse',
    phone: '01632 960722',
    email: 'samuel.adeyemi@lincs-health.example.org',
    managerId: L.healthHeadOfService,
  },
  {
    id: L.healthPractitioner,
    agencyId: LA.health,
    name: 'Kate Lindqvist',
    role: 'practitioner',
    team: '0-19 Service, Health Visitor',
    phone: '07700 900721',
    email: 'kate.lindqvist@lincs-health.example.org',
    managerId: L.healthDsl,
  },
  {
    id: L.educationHeadOfService,
    agencyId: LA.education,
    name: 'Andrew Pike',
    role: 'head-of-service',
    team: 'Education Safeguarding, Head of Service',
    phone: '01632 960731',
    email: 'andrew.pike@lincs-education.example.org',
    managerId: null,
  },
  {
    id: L.educationDsl,
    agencyId: LA.education,
    name: 'Megan Shaw',
    role: 'designated-safeguarding-lead',
    team: 'Primary School, Designated Safeguarding Lead',
    phone: '01632 960732',
    email: 'megan.shaw@lincs-education.example.org',
    managerId: L.educationHeadOfService,
  },
  {
    id: L.educationPractitioner,
    agencyId: LA.education,
    name: 'Tariq Hussain',
    role: 'practitioner',
    team: 'Primary School, Class Teacher',
    phone: '07700 900731',
    email: 'tariq.hussain@lincs-education.example.org',
    managerId: L.educationDsl,
  },
  {
    id: L.partnershipChair,
    agencyId: LA.partnership,
    name: 'Rosalind Carver',
    role: 'partnership-chair',
    team: 'Lincolnshire Safeguarding Children Partnership, Independent Chair',
    phone: '01632 960741',
    email: 'rosalind.carver@lscp.example.org',
    managerId: null,
  },
];

const inPartnership = (partnershipId: string, contacts: readonly DemoContact[]): ContactRecord[] =>
  contacts.map((c) => ({ ...c, partnershipId, onDutyCover: c.onDutyCover ?? false }));

/** The demo directories as records of their partnerships: MK Together's, then Lincolnshire's. */
export function demoContacts(): ContactRecord[] {
  return [
    ...inPartnership(Demo.partnershipId, DEMO_CONTACTS),
    ...inPartnership(DemoLincolnshire.partnershipId, LINCOLNSHIRE_CONTACTS),
  ];
}

/** Seeds the demo directories; idempotent. */
export async function seedContactsDemo(dataSource: DataSource): Promise<void> {
  await seedContacts(dataSource, demoContacts());
}
