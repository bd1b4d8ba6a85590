import { startAgenciesService } from '@mash/agencies';
import { startCasesService } from '@mash/cases';
import { definedFamilies, startConnector } from '@mash/connectors';
import { startContactsService } from '@mash/contacts';
import { startEscalationsService, type Clock } from '@mash/escalations';
import { startGateway, type GatewayLimits, type SubgraphName } from '@mash/gateway';
import type { JwtConfig, KafkaAuth, Logger, RunningService, ServiceConfig } from '@mash/service-kit';
import type { AgencyFamily } from '@mash/schema';
import { Kafka, logLevel } from 'kafkajs';
import { kafkaSecurity, provisionPlatform, provisionSourceSystems, type PlatformService } from '@mash/kafka';
import { schemaFiles } from './compose';
import { DEMO_SOURCE_SYSTEMS } from './demo-source-systems';

export interface PlatformPorts {
  readonly gateway: number;
  readonly agencies: number;
  readonly contacts: number;
  readonly cases: number;
  readonly escalations: number;
  readonly connector: number;
}

export interface PlatformOptions {
  readonly databaseUrl: string;
  readonly kafkaBrokers: readonly string[];
  /** One Kafka principal for every service (a broker started elsewhere that gives the platform one principal). */
  readonly kafkaAuth?: KafkaAuth;
  /**
   * Each service's own principal, and the admin that first creates the platform's topics and grants the services
   * their ACLs under `topicPrefix` (`provisionPlatform`). Takes the place of `kafkaAuth`.
   */
  readonly kafkaPrincipals?: PlatformKafkaPrincipals;
  readonly jwt: JwtConfig;
  readonly logger: Logger;
  readonly topicPrefix?: string;
  readonly host?: string;
  /** 0 picks free ports (tests); the start command uses 4000–4005. */
  readonly ports?: PlatformPorts;
  readonly seedDemo?: boolean;
  /** Agency families the connector consumes; default: every family with published event types. */
  readonly families?: readonly AgencyFamily[];
  readonly schedulerIntervalMs?: number;
  /** The gateway's abuse limits and introspection switch (introspection off unless set; the demo turns it on). */
  readonly gatewayLimits?: Partial<GatewayLimits>;
  /**
   * Whether the gateway shares whole identical queries in flight (default true; `bench:gateway --no-share-operations`
   * measures the shared subgraph calls alone).
   */
  readonly gatewayShareOperations?: boolean;
  /** Whether the subgraphs write the audit trail (default true; off only for `bench:gateway --audit-compare`). */
  readonly auditEnabled?: boolean;
  /**
   * The escalations service's time (its engine, clock scheduler and mutations); the system clock by default. For
   * tests only, which move it to make a stage deadline or a statutory timescale lapse without sleeping; `npm start`
   * and the deployables' `main.ts` never set it. Connectors and cases keep the wall clock (they only stamp receipt).
   */
  readonly clock?: Clock;
}

export interface PlatformKafkaPrincipals {
  readonly admin: KafkaAuth;
  readonly services: Readonly<Record<PlatformService, KafkaAuth>>;
}

export interface RunningPlatform {
  readonly gatewayUrl: string;
  readonly subgraphUrls: Readonly<Record<SubgraphName, string>>;
  /** Resolves once the gateway's live consumer has joined: escalation changes from then on reach subscribers. */
  readonly liveReady: Promise<void>;
  /** Resolves once the contacts service's escalation-event consumer has joined: changes from then on notify. */
  readonly notificationsReady: Promise<void>;
  /** How many subscriptions the gateway is serving now. */
  liveSubscribers(): number;
  /** Asks the escalations' clock scheduler for a prompt run (after a test moved the clock). */
  wakeScheduler(): void;
  stop(): Promise<void>;
}

const FREE_PORTS: PlatformPorts = {
  gateway: 0,
  agencies: 0,
  contacts: 0,
  cases: 0,
  escalations: 0,
  connector: 0,
};

/**
 * Starts every deployable in this process, each as it would run alone (own HTTP server, own database schema,
 * own Kafka clients): agencies first (others read reference data from it), then contacts, cases, escalations,
 * the connectors, and the gateway. Stops them in reverse order.
 */
export async function startPlatform(options: PlatformOptions): Promise<RunningPlatform> {
  const ports = options.ports ?? FREE_PORTS;
  const host = options.host ?? '127.0.0.1';
  const started: RunningService[] = [];
  const kafkaAuthOf = (service?: PlatformService): KafkaAuth | undefined =>
    service && options.kafkaPrincipals ? options.kafkaPrincipals.services[service] : options.kafkaAuth;
  const base = (port: number, agenciesUrl: string, service?: PlatformService): ServiceConfig => ({
    host,
    port,
    databaseUrl: options.databaseUrl,
    jwt: options.jwt,
    kafkaBrokers: options.kafkaBrokers,
    ...(kafkaAuthOf(service) && { kafkaAuth: kafkaAuthOf(service) }),
    topicPrefix: options.topicPrefix ?? '',
    agenciesUrl,
    auditEnabled: options.auditEnabled ?? true,
  });
  const stopAll = async () => {
    for (const s of started.reverse()) {
      await s.stop().catch((err: unknown) => options.logger.error({ err, service: s.name }, 'stop failed'));
    }
  };
  try {
    const seedDemo = options.seedDemo ?? false;
    // Topics and ACLs first (and the demo's source systems), so each service finds what it may use.
    await provision(options, seedDemo);
    const agencies = await startAgenciesService(base(ports.agencies, ''), {
      logger: options.logger,
      seedDemo,
    });
    started.push(agencies);
    const config = (port: number, service?: PlatformService) => base(port, agencies.url, service);
    const contacts = await startContactsService(config(ports.contacts, 'contacts'), {
      logger: options.logger,
      seedDemo,
    });
    started.push(contacts);
    const cases = await startCasesService(config(ports.cases, 'cases'), { logger: options.logger, seedDemo });
    started.push(cases);
    const escalations = await startEscalationsService(config(ports.escalations, 'escalations'), {
      logger: options.logger,
      seedDemo,
      contactsUrl: contacts.url,
      ...(options.schedulerIntervalMs !== undefined && { schedulerIntervalMs: options.schedulerIntervalMs }),
      ...(options.clock && { clock: options.clock }),
    });
    started.push(escalations);
    const connector = await startConnector(config(ports.connector, 'connectors'), {
      logger: options.logger,
      families: [...(options.families ?? definedFamilies())],
    });
    started.push(connector);
    const subgraphUrls = {
      agencies: agencies.url,
      contacts: contacts.url,
      cases: cases.url,
      escalations: escalations.url,
      connector: connector.url,
    };
    const gateway = await startGateway(
      {
        host,
        port: ports.gateway,
        supergraphPath: schemaFiles().supergraph,
        subgraphUrls,
        jwt: options.jwt,
        subgraphTimeoutMs: 10_000,
        ...(options.gatewayLimits && { limits: options.gatewayLimits }),
        ...(options.gatewayShareOperations !== undefined && {
          shareOperations: options.gatewayShareOperations,
        }),
      },
      {
        logger: options.logger,
        live: {
          kafkaBrokers: options.kafkaBrokers,
          ...(kafkaAuthOf('gateway') && { kafkaAuth: kafkaAuthOf('gateway') }),
          topicPrefix: options.topicPrefix ?? '',
        },
      },
    );
    started.push(gateway);
    return {
      gatewayUrl: gateway.url,
      subgraphUrls,
      liveReady: gateway.liveReady ?? Promise.resolve(),
      notificationsReady: contacts.consumerJoined,
      liveSubscribers: () => gateway.live?.subscriberCount ?? 0,
      wakeScheduler: () => escalations.wakeScheduler(),
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/**
 * As the admin (given `kafkaPrincipals`): the platform's topics and each service's ACLs. With the demo: its source
 * systems' topics and ACLs, as the admin or else as the one platform principal, before the connector subscribes to
 * its families' topics.
 */
export async function provision(options: PlatformOptions, seedDemo: boolean): Promise<void> {
  const prefix = options.topicPrefix ?? '';
  if (!options.kafkaPrincipals && !seedDemo) return;
  const kafka = new Kafka({
    clientId: 'platform-provisioning',
    brokers: [...options.kafkaBrokers],
    logLevel: logLevel.NOTHING,
    ...kafkaSecurity(options.kafkaPrincipals?.admin ?? options.kafkaAuth),
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    if (options.kafkaPrincipals) {
      const names = Object.fromEntries(
        Object.entries(options.kafkaPrincipals.services).map(([service, auth]) => [service, auth.username]),
      ) as Record<PlatformService, string>;
      await provisionPlatform(admin, prefix, names);
    }
    if (seedDemo) await provisionSourceSystems(admin, prefix, DEMO_SOURCE_SYSTEMS);
  } finally {
    await admin.disconnect();
  }
}
