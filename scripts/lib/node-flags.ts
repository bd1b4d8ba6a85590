import type { DeployableKind } from './platform-processes';

/**
 * The young generation's size for the deployables that consume the pipeline's topics. Each run of a stage (up to
 * 2,000 records) keeps its records, their parsed messages, the rows read for them and the messages and SQL
 * parameters built from them alive until it is committed: several MiB, which outlive V8's default 16 MiB
 * semi-space, so every scavenge during a run copied them again and then promoted them to the old generation. In
 * four interleaved pairs of `bench:ingest`, 64 MiB took the cases process's collection pauses from 41–49 to 22–43 µs
 * per event, the engine's from 12–19 to 2–4 and the connector's from 16–17 to 6–9 (README, `bench:ingest`). It
 * costs up to three times the size in young-generation memory per process, used only when the stage is busy.
 */
export const CONSUMER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];

/** The deployables that consume topics in batches, and so start with CONSUMER_NODE_FLAGS. */
const CONSUMERS: ReadonlySet<DeployableKind> = new Set(['contacts', 'cases', 'escalations', 'connector']);

/** The Node flags a deployable's process starts with (docker-compose.yml gives each service the same). */
export function nodeFlagsFor(kind: DeployableKind): readonly string[] {
  return CONSUMERS.has(kind) ? CONSUMER_NODE_FLAGS : [];
}

/** The flags of `npm start`, which runs every deployable in one process: the consumers' flags. */
export const ONE_PROCESS_NODE_FLAGS: readonly string[] = CONSUMER_NODE_FLAGS;
