import type { Role } from '@mash/schema';
import type { ContactRecord } from './contact';
import { routeStage } from './routing';

const MK = 'partnership-mk';
const OTHER = 'partnership-other';
const POLICE = 'agency-police';
const LA = 'agency-la';
const HEALTH = 'agency-health';
const UNIT = 'agency-business-unit';

let next = 0;
function contact(
  name: string,
  role: Role,
  agencyId: string,
  extra: Partial<ContactRecord> = {},
): ContactRecord {
  next += 1;
  return {
    id: `contact-${next}`,
    partnershipId: MK,
    agencyId,
    name,
    role,
    team: null,
    phone: null,
    email: null,
    managerId: null,
    onDutyCover: false,
    ...extra,
  };
}

const names = (contacts: readonly ContactRecord[]) => contacts.map((c) => c.name);

describe('routeStage', () => {
  const directory = [
    contact('Zara Police Practitioner', 'practitioner', POLICE),
    contact('Adam LA Practitioner', 'practitioner', LA),
    contact('Mia LA Duty Practitioner', 'practitioner', LA, { onDutyCover: true }),
    contact('Harriet Health Practitioner', 'practitioner', HEALTH),
    contact('Liam Police Line Manager', 'line-manager', POLICE),
    contact('Dana LA Team Manager', 'line-manager', LA),
    contact('Sam Police DSL', 'designated-safeguarding-lead', POLICE),
    contact('Hugo Police Head of Service', 'head-of-service', POLICE),
    contact('Chloe Chair', 'partnership-chair', UNIT),
    contact('Other Chair', 'partnership-chair', 'agency-elsewhere', { partnershipId: OTHER }),
    contact('Other Practitioner', 'practitioner', POLICE, { partnershipId: OTHER }),
  ];

  it('routes stage 1 to the practitioners of the raising and receiving agencies only', () => {
    const owners = routeStage(
      { stage: 1, ownerRoles: ['practitioner'], agencyIds: [POLICE, LA], partnershipId: MK },
      directory,
    );
    expect(names(owners)).toEqual([
      'Mia LA Duty Practitioner',
      'Adam LA Practitioner',
      'Zara Police Practitioner',
    ]);
  });

  it('puts contacts covering duty before colleagues, then orders by name', () => {
    const owners = routeStage(
      { stage: 1, ownerRoles: ['practitioner'], agencyIds: [LA], partnershipId: MK },
      directory,
    );
    expect(owners.map((c) => c.onDutyCover)).toEqual([true, false]);
    expect(names(owners)).toEqual(['Mia LA Duty Practitioner', 'Adam LA Practitioner']);
  });

  it('routes a stage with several owner roles to every one of them', () => {
    const owners = routeStage(
      {
        stage: 2,
        ownerRoles: ['line-manager', 'designated-safeguarding-lead'],
        agencyIds: [POLICE, LA],
        partnershipId: MK,
      },
      directory,
    );
    expect(names(owners)).toEqual(['Dana LA Team Manager', 'Liam Police Line Manager', 'Sam Police DSL']);
  });

  it("routes to nobody in an agency whose directory has no one in the stage's role", () => {
    const owners = routeStage(
      { stage: 3, ownerRoles: ['head-of-service'], agencyIds: [LA, HEALTH], partnershipId: MK },
      directory,
    );
    expect(owners).toEqual([]);
  });

  it('routes stage 4 to the partnership chair although the chair is in neither agency in dispute', () => {
    const owners = routeStage(
      { stage: 4, ownerRoles: ['partnership-chair'], agencyIds: [POLICE, LA], partnershipId: MK },
      directory,
    );
    expect(names(owners)).toEqual(['Chloe Chair']);
  });

  it('never routes to contacts of another partnership', () => {
    const owners = routeStage(
      {
        stage: 1,
        ownerRoles: ['practitioner', 'partnership-chair'],
        agencyIds: [POLICE],
        partnershipId: OTHER,
      },
      directory,
    );
    expect(names(owners)).toEqual(['Other Chair', 'Other Practitioner']);
  });

  it('routes each contact once when the raising and receiving agency are the same', () => {
    const owners = routeStage(
      { stage: 1, ownerRoles: ['practitioner'], agencyIds: [POLICE, POLICE], partnershipId: MK },
      directory,
    );
    expect(names(owners)).toEqual(['Zara Police Practitioner']);
  });

  it('ignores owner roles nobody in the directory holds', () => {
    const owners = routeStage(
      { stage: 1, ownerRoles: ['not-a-role'], agencyIds: [POLICE], partnershipId: MK },
      directory,
    );
    expect(owners).toEqual([]);
  });

  it('leaves the directory it was given unchanged', () => {
    const before = names(directory);
    routeStage(
      { stage: 1, ownerRoles: ['practitioner'], agencyIds: [POLICE, LA], partnershipId: MK },
      directory,
    );
    expect(names(directory)).toEqual(before);
  });
});
