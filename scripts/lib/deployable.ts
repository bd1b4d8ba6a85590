import type { GatewayLimits, SubgraphName } from '@mash/gateway';
import { createLogger, type KafkaAuth, type ServiceConfig } from '@mash/service-kit';
import type { AgencyFamily } from '@mash/schema';

/**
 * One deployable of the platform in a process of its own (`startPlatformProcesses` in `platform-processes.ts` forks
 * this file once per deployable, for the benchmarks and the process-kill fault test): the same start function its
 * `main.ts` calls, with the configuration the launcher built instead of one read from the environment. Tells the
 * parent its URL over IPC once started, and stops (as on SIGTERM in production) when the parent says `stop` or goes
 * away.
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

const SPEC_VARIABLE = 'MASH_DEPLOYABLE_SPEC';

export const deployableSpecVariable = SPEC_VARIABLE;

/**
 * The deployable's own package, loaded when it starts rather than imported at the top: each process loads the code
 * of the one deployable it runs, not all six.
 */
function load<T>(name: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(name) as T;
}

async function start(spec: DeployableSpec): Promise<{ url: string; stop(): Promise<void> }> {
  const logger = createLogger(spec.kind, process.env['LOG_LEVEL'] ?? 'warn');
  switch (spec.kind) {
    case 'agencies': {
      const { startAgenciesService } = load<typeof import('@mash/agencies')>('@mash/agencies');
      return startAgenciesService(spec.config, { logger, seedDemo: spec.seedDemo });
    }
    case 'contacts': {
      const { startContactsService } = load<typeof import('@mash/contacts')>('@mash/contacts');
      return startContactsService(spec.config, { logger, seedDemo: spec.seedDemo });
    }
    case 'cases': {
      const { startCasesService } = load<typeof import('@mash/cases')>('@mash/cases');
      return startCasesService(spec.config, { logger, seedDemo: spec.seedDemo });
    }
    case 'escalations': {
      const { startEscalationsService } = load<typeof import('@mash/escalations')>('@mash/escalations');
      return startEscalationsService(spec.config, {
        logger,
        seedDemo: spec.seedDemo,
        contactsUrl: spec.contactsUrl,
        ...(spec.schedulerIntervalMs !== undefined && { schedulerIntervalMs: spec.schedulerIntervalMs }),
      });
    }
    case 'connector': {
      const { startConnector } = load<typeof import('@mash/connectors')>('@mash/connectors');
      return startConnector(spec.config, { logger, families: [...spec.families] });
    }
    case 'gateway': {
      const { startGateway } = load<typeof import('@mash/gateway')>('@mash/gateway');
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
}

function main(): void {
  const send = (message: DeployableMessage) => process.send?.(message);
  const raw = process.env[SPEC_VARIABLE];
  if (!raw || !process.send) {
    process.stderr.write(`deployable.js is forked by startPlatformProcesses with ${SPEC_VARIABLE} set\n`);
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
