import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { type GraphQLSchema } from 'graphql';
import gql from 'graphql-tag';
import { buildSchema, createResolversMap, getMetadataStorage, type BuildSchemaOptions } from 'type-graphql';

const FEDERATION_LINK = `
  extend schema
    @link(
      url: "https://specs.apollo.dev/federation/v2.7"
      import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible", "@tag"]
    )
`;

/** Reference resolvers by entity type name: `{ Case: { __resolveReference(ref, ctx) { … } } }`. */
export type ReferenceResolvers = Record<string, { __resolveReference: (...args: never[]) => unknown }>;

/**
 * Turns a type-graphql schema into a Federation 2 subgraph schema (the pattern of type-graphql's
 * apollo-federation-2 example), merging in the entities' reference resolvers.
 */
export async function buildFederatedSchema(
  options: Omit<BuildSchemaOptions, 'skipCheck'>,
  referenceResolvers: ReferenceResolvers = {},
): Promise<GraphQLSchema> {
  const schema = await buildSchema({ ...options, skipCheck: true, validate: false });
  const resolvers = createResolversMap(schema) as Record<string, Record<string, unknown>>;
  withoutPlainFieldResolvers(resolvers);
  for (const [typeName, ref] of Object.entries(referenceResolvers)) {
    resolvers[typeName] = { ...(resolvers[typeName] ?? {}), ...ref };
  }
  return buildSubgraphSchema({
    typeDefs: gql`
      ${FEDERATION_LINK}
      ${printSchemaWithDirectives(schema)}
    `,
    resolvers: resolvers as GraphQLResolverMap<unknown>,
  });
}

/**
 * type-graphql wraps every plain field (a property read as it is) in a resolver that runs its middleware stack,
 * although this project uses no middleware or auth checker: on a board of 200 escalations that is thousands of
 * calls per request. Plain fields are left to graphql's default resolver instead, which reads the same property.
 * Fields with a field resolver, a renamed property, middleware or roles keep type-graphql's resolver.
 */
function withoutPlainFieldResolvers(resolvers: Record<string, Record<string, unknown>>): void {
  // One process may build several subgraphs whose classes share a GraphQL type name (cases' and contacts'
  // `Agency`), and type-graphql's metadata is global: a field counts as plain only if it is plain in every class
  // of that name that declares it.
  const storage = getMetadataStorage();
  const notPlain = new Set<string>();
  const plain = new Set<string>();
  for (const objectType of storage.objectTypes) {
    for (const field of objectType.fields ?? []) {
      const key = `${objectType.name}.${field.schemaName}`;
      const resolved = storage.fieldResolvers.some(
        (r) => r.methodName === field.name && r.getObjectType?.() === objectType.target,
      );
      const isPlain =
        !resolved &&
        field.name === field.schemaName &&
        (field.middlewares?.length ?? 0) === 0 &&
        (field.roles?.length ?? 0) === 0;
      (isPlain ? plain : notPlain).add(key);
    }
  }
  for (const [typeName, typeResolvers] of Object.entries(resolvers)) {
    for (const fieldName of Object.keys(typeResolvers)) {
      const key = `${typeName}.${fieldName}`;
      if (plain.has(key) && !notPlain.has(key)) delete typeResolvers[fieldName];
    }
  }
}
