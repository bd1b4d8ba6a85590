import { startAgenciesService } from '@mash/agencies';
import { startCasesService } from '@mash/cases';
import { startConnector } from '@mash/connectors';
import { startContactsService } from '@mash/contacts';
import { startEscalationsService } from '@mash/escalations';
import { startGateway, type GatewayLimits, type SubgraphName } from '@mash/gateway';
import { createLogger, type KafkaAuth, type ServiceConfig } from '@mash/service-kit';
import type { AgencyFamily } from '@mash/schema';

/**
 * One deployable of a benchmark's platform in a process of its own (`startBenchPlatform` with `processes: true`
 * forks this file once per deployable): the same start function its `main.ts` calls, with the configuration the
 * benchmark built instead of one read from the environment. Tells the parent its URL over IPC once started, and
 * stops (as on SIGTERM in production) when the parent says `stop` or goes away.
 */

export type DeployableSpec =
  | {
      readonly kind: 'agencies' | 'contacts' | 'cases';
      readonly config: ServiceConfig;
      readonly seedDemo: boolean;
    }
  | {
      readonly kind: 'escalations';
      readonly config: ServiceConfig;
      readonly seedDemo: boolean;
      readonly contactsUrl: string;
      readonly schedulerIntervalMs?: number;
    }
  | { readonly kind: 'connector'; readonly config: ServiceConfig; readonly families: readonly AgencyFamily[] }
  | {
      readonly kind: 'gateway';
      readonly host: string;
      readonly port: number;
      readonly supergraphPath: string;
      readonly subgraphUrls: Readonly<Record<SubgraphName, string>>;
      readonly jwt: ServiceConfig['jwt'];
      readonly limits?: Partial<GatewayLimits>;
      readonly kafkaBrokers: readonly string[];
      readonly kafkaAuth?: KafkaAuth;
      readonly topicPrefix: string;
    };

/** What a deployable process tells its parent. */
export type DeployableMessage =
  { readonly type: 'started'; readonly url: string } | { readonly type: 'failed'; readonly error: string };

const SPEC_VARIABLE = 'MASH_BENCH_DEPLOYABLE';

export const deployableSpecVariable = SPEC_VARIABLE;

async function start(spec: DeployableSpec): Promise<{ url: string; stop(): Promise<void> }> {
  const logger = createLogger(`bench-${spec.kind}`, process.env['LOG_LEVEL'] ?? 'warn');
  switch (spec.kind) {
    case 'agencies':
      return startAgenciesService(spec.config, { logger, seedDemo: spec.seedDemo });
    case 'contacts':
      return startContactsService(spec.config, { logger, seedDemo: spec.seedDemo });
    case 'cases':
      return startCasesService(spec.config, { logger, seedDemo: spec.seedDemo });
    case 'escalations':
      return startEscalationsService(spec.config, {
        logger,
        seedDemo: spec.seedDemo,
        contactsUrl: spec.contactsUrl,
        ...(spec.schedulerIntervalMs !== undefined && { schedulerIntervalMs: spec.schedulerIntervalMs }),
      });
    case 'connector':
      return startConnector(spec.config, { logger, families: [...spec.families] });
    case 'gateway':
      return startGateway(
        {
          host: spec.host,
          port: spec.port,
          supergraphPath: spec.supergraphPath,
          subgraphUrls: spec.subgraphUrls,
          jwt: spec.jwt,
          subgraphTimeoutMs: 10_000,
          ...(spec.limits && { limits: spec.limits }),
        },
        {
          logger,
          live: {
            kafkaBrokers: spec.kafkaBrokers,
            ...(spec.kafkaAuth && { kafkaAuth: spec.kafkaAuth }),
            topicPrefix: spec.topicPrefix,
          },
        },
      );
  }
}

function main(): void {
  const send = (message: DeployableMessage) => process.send?.(message);
  const raw = process.env[SPEC_VARIABLE];
  if (!raw || !process.send) {
    process.stderr.write(`deployable.js is forked by the benchmarks with ${SPEC_VARIABLE} set\n`);
    process.exit(2);
  }
  process.env['KAFKAJS_NO_PARTITIONER_WARNING'] ??= '1';
  const spec = JSON.parse(raw) as DeployableSpec;
  let stopping: Promise<void> | undefined;
  let running: { stop(): Promise<void> } | undefined;
  const stop = () => {
    stopping ??= (async () => {
      await running?.stop().catch((err: unknown) => process.stderr.write(`${spec.kind}: ${String(err)}\n`));
      // Exiting (not letting the loop drain) writes a --cpu-prof profile and ends any timer left behind.
      process.exit(0);
    })();
    return stopping;
  };
  process.on('message', (m) => {
    if (m === 'stop') void stop();
  });
  process.once('disconnect', () => void stop());
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
  start(spec).then(
    (r) => {
      running = r;
      send({ type: 'started', url: r.url });
    },
    (err: unknown) => {
      send({ type: 'failed', error: (err as Error).stack ?? String(err) });
      process.exit(1);
    },
  );
}

if (require.main === module) main();
