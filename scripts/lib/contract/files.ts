import { stringify } from 'yaml';
import { loadEventContract, type EventContract } from '@mash/connectors';
import { Demo, type AgencyFamily } from '@mash/schema';
import { ASYNCAPI_PATH, asyncApiDocument } from './asyncapi';
import { CONNECTING_DOC_PATH, renderConnectingDoc } from './connecting-doc';

/** The demo partnership's source systems, shown in examples. */
const EXAMPLE_SOURCES: Partial<Record<AgencyFamily, string>> = {
  police: Demo.sourceSystems.police.code,
  'la-children': Demo.sourceSystems.laChildren.code,
  'la-adults': Demo.sourceSystems.laAdults.code,
  health: Demo.sourceSystems.health.code,
  education: Demo.sourceSystems.education.code,
};

/** The version of the contract document: bump when a type is added or a new version of one published. */
export const CONTRACT_VERSION = '1.2.0';

/** The generated contract files (path relative to the repository root → content), laid out as prettier lays them out. */
export function contractFiles(contract: EventContract = loadEventContract()): Record<string, string> {
  const document = asyncApiDocument(contract, { exampleSources: EXAMPLE_SOURCES, version: CONTRACT_VERSION });
  const yaml = `# Generated from schema/events by \`npm run asyncapi\`; do not edit by hand.\n${stringify(document, { lineWidth: 0, aliasDuplicateObjects: false, singleQuote: true })}`;
  return {
    [ASYNCAPI_PATH]: yaml,
    [CONNECTING_DOC_PATH]: renderConnectingDoc(contract, EXAMPLE_SOURCES),
  };
}
