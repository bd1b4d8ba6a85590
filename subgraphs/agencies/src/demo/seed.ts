import { Demo, DemoLincolnshire, type EscalationPolicy } from '@mash/schema';
import type { DataSource } from 'typeorm';
import { demoLincolnshirePolicy, demoPolicy } from './policy';
import { seedPartnership, type PartnershipSeed } from '../services/seed-partnership';

/** The demo partnership (fictional data modelled on MK Together, Milton Keynes), with the fixed ids in `Demo`. */
export function demoPartnershipSeed(policy: EscalationPolicy = demoPolicy()): PartnershipSeed {
  return {
    partnership: {
      id: Demo.partnershipId,
      code: 'mk-together',
      name: 'MK Together Safeguarding Partnership',
      kind: 'LSCP',
      policy,
    },
    agencies: [
      {
        id: Demo.agencies.police,
        code: 'thames-valley-police',
        name: 'Thames Valley Police',
        type: 'police',
      },
      {
        id: Demo.agencies.laChildren,
        code: 'mk-childrens-services',
        name: "Milton Keynes Council Children's Services",
        type: 'la-children',
      },
      {
        id: Demo.agencies.health,
        code: 'mk-university-hospital',
        name: 'Milton Keynes University Hospital',
        type: 'health',
      },
      {
        id: Demo.agencies.education,
        code: 'mk-education-safeguarding',
        name: 'Milton Keynes Education Safeguarding',
        type: 'education',
      },
      {
        id: Demo.agencies.laAdults,
        code: 'mk-adult-social-care',
        name: 'Milton Keynes Council Adult Social Care',
        type: 'la-adults',
      },
      {
        id: Demo.agencies.partnership,
        code: 'mk-together-business-unit',
        name: 'MK Together Business Unit',
        type: 'partnership-business-unit',
      },
    ],
    sourceSystems: [
      {
        id: Demo.sourceSystems.police.id,
        agencyId: Demo.agencies.police,
        code: Demo.sourceSystems.police.code,
        name: 'Thames Valley Police Niche RMS',
        family: 'police',
        identifierSystem: 'police-person-id',
      },
      {
        id: Demo.sourceSystems.laChildren.id,
        agencyId: Demo.agencies.laChildren,
        code: Demo.sourceSystems.laChildren.code,
        name: "Milton Keynes Liquidlogic Children's System",
        family: 'la-children',
        identifierSystem: 'la-person-id',
      },
      {
        id: Demo.sourceSystems.health.id,
        agencyId: Demo.agencies.health,
        code: Demo.sourceSystems.health.code,
        name: 'Milton Keynes University Hospital SystmOne',
        family: 'health',
        identifierSystem: 'nhs-number',
      },
      {
        id: Demo.sourceSystems.education.id,
        agencyId: Demo.agencies.education,
        code: Demo.sourceSystems.education.code,
        name: 'CPOMS for Milton Keynes schools',
        family: 'education',
        identifierSystem: 'upn',
      },
      {
        id: Demo.sourceSystems.laAdults.id,
        agencyId: Demo.agencies.laAdults,
        code: Demo.sourceSystems.laAdults.code,
        name: 'Milton Keynes Liquidlogic Adults System',
        family: 'la-adults',
        identifierSystem: 'la-person-id',
      },
    ],
  };
}

/**
 * The second demo partnership (fictional data modelled on Lincolnshire Safeguarding Children Partnership), with
 * the fixed ids in `DemoLincolnshire`: its own agencies and source systems, and a policy with other timescales.
 */
export function lincolnshirePartnershipSeed(
  policy: EscalationPolicy = demoLincolnshirePolicy(),
): PartnershipSeed {
  const L = DemoLincolnshire;
  return {
    partnership: {
      id: L.partnershipId,
      code: 'lincolnshire-scp',
      name: 'Lincolnshire Safeguarding Children Partnership',
      kind: 'LSCP',
      policy,
    },
    agencies: [
      { id: L.agencies.police, code: 'lincolnshire-police', name: 'Lincolnshire Police', type: 'police' },
      {
        id: L.agencies.laChildren,
        code: 'lincs-childrens-services',
        name: "Lincolnshire County Council Children's Services",
        type: 'la-children',
      },
      {
        id: L.agencies.health,
        code: 'lincs-community-health',
        name: 'Lincolnshire Community Health Services NHS Trust',
        type: 'health',
      },
      {
        id: L.agencies.education,
        code: 'lincs-education-safeguarding',
        name: 'Lincolnshire Education Safeguarding',
        type: 'education',
      },
      {
        id: L.agencies.partnership,
        code: 'lincs-scp-business-unit',
        name: 'Lincolnshire Safeguarding Children Partnership Business Unit',
        type: 'partnership-business-unit',
      },
    ],
    sourceSystems: [
      {
        id: L.sourceSystems.police.id,
        agencyId: L.agencies.police,
        code: L.sourceSystems.police.code,
        name: 'Lincolnshire Police Niche RMS',
        family: 'police',
        identifierSystem: 'police-person-id',
      },
      {
        id: L.sourceSystems.laChildren.id,
        agencyId: L.agencies.laChildren,
        code: L.sourceSystems.laChildren.code,
        name: "Lincolnshire Mosaic Children's Case Management",
        family: 'la-children',
        identifierSystem: 'la-person-id',
      },
      {
        id: L.sourceSystems.health.id,
        agencyId: L.agencies.health,
        code: L.sourceSystems.health.code,
        name: 'Lincolnshire Community Health Services SystmOne',
        family: 'health',
        identifierSystem: 'nhs-number',
      },
      {
        id: L.sourceSystems.education.id,
        agencyId: L.agencies.education,
        code: L.sourceSystems.education.code,
        name: 'MyConcern for Lincolnshire schools',
        family: 'education',
        identifierSystem: 'upn',
      },
    ],
  };
}

/** Seeds both demo partnerships; idempotent. */
export async function seedAgenciesDemo(dataSource: DataSource): Promise<void> {
  await seedPartnership(dataSource, demoPartnershipSeed());
  await seedPartnership(dataSource, lincolnshirePartnershipSeed());
}
