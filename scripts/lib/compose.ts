import { readFileSync } from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';
import { buildAgenciesSchema } from '@mash/agencies';
import { buildCasesSchema } from '@mash/cases';
import { buildConnectorSchema } from '@mash/connectors';
import { buildContactsSchema } from '@mash/contacts';
import { buildEscalationsSchema } from '@mash/escalations';

/** The repository root, found from here whether running from source (tests) or from scripts/dist. */
export function findRepoRoot(from: string): string {
  let dir = from;
  while (dir !== path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'mash-graph') return dir;
    } catch {
      // keep walking up
    }
    dir = path.dirname(dir);
  }
  throw new Error('repository root not found');
}

/** Default URLs recorded in the committed supergraph; the gateway overrides them from its configuration. */
const SUBGRAPHS: readonly { name: string; port: number; build: () => Promise<GraphQLSchema> }[] = [
  { name: 'agencies', port: 4001, build: buildAgenciesSchema },
  { name: 'contacts', port: 4002, build: buildContactsSchema },
  { name: 'cases', port: 4003, build: buildCasesSchema },
  { name: 'escalations', port: 4004, build: buildEscalationsSchema },
  { name: 'connector', port: 4005, build: buildConnectorSchema },
];

export interface Composition {
  readonly subgraphs: readonly { name: string; sdl: string }[];
  readonly supergraphSdl: string;
}

/** Builds each subgraph's schema in-process, prints its SDL and composes the supergraph. */
export async function composeSupergraph(): Promise<Composition> {
  const subgraphs = await Promise.all(
    SUBGRAPHS.map(async (s) => ({
      name: s.name,
      port: s.port,
      sdl: printSubgraphSchema(await s.build()) + '\n',
    })),
  );
  const result = composeServices(
    subgraphs.map((s) => ({
      name: s.name,
      url: `http://127.0.0.1:${s.port}/graphql`,
      typeDefs: parse(s.sdl),
    })),
  );
  if (result.errors) {
    throw new Error(`Composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  }
  return {
    subgraphs: subgraphs.map(({ name, sdl }) => ({ name, sdl })),
    supergraphSdl: result.supergraphSdl.endsWith('\n') ? result.supergraphSdl : `${result.supergraphSdl}\n`,
  };
}

export function schemaFiles(root = findRepoRoot(__dirname)): {
  subgraph: (name: string) => string;
  supergraph: string;
} {
  return {
    subgraph: (name) => path.join(root, 'schema', 'subgraphs', `${name}.graphql`),
    supergraph: path.join(root, 'schema', 'supergraph.graphql'),
  };
}
