import { silentLogger, type Logger, type RunningSubgraph, type ServiceConfig } from '@mash/service-kit';
import { createTestDatabase, type TestDatabase } from './database';
import { gql } from './gateway-client';
import { uniquePrefix } from './kafka';
import { testServiceConfig } from './service-config';

/** A subgraph's start function, as each subgraph exports it (`startAgenciesService`, `startContactsService`). */
export type StartSubgraph<S extends RunningSubgraph> = (
  config: ServiceConfig,
  options: { logger: Logger; seedDemo: boolean },
) => Promise<S>;

/**
 * The real subgraph over HTTP against a throwaway Postgres database with the real migrations and the demo data,
 * started before the file's tests and stopped after them. `graphql` posts to it as `defaultBearer` unless told
 * another bearer (null: none). Call at the top of a test file or inside a describe block.
 */
export function subgraphOnDatabase<S extends RunningSubgraph>(
  start: StartSubgraph<S>,
  defaultBearer: string,
) {
  let db: TestDatabase;
  let service: S;

  beforeAll(async () => {
    db = await createTestDatabase();
    // Its own topic prefix: a subgraph that consumes (contacts) never shares a group or topic with another test.
    service = await start(testServiceConfig({ databaseUrl: db.url, topicPrefix: uniquePrefix() }), {
      logger: silentLogger(),
      seedDemo: true,
    });
  });

  afterAll(async () => {
    await service?.stop();
    await db?.drop();
  });

  return {
    get service(): S {
      return service;
    },
    graphql<T = Record<string, unknown>>(
      query: string,
      variables: Record<string, unknown> = {},
      bearer: string | null = defaultBearer,
    ) {
      return gql<T>(service.url, query, variables, bearer ?? undefined);
    },
  };
}
