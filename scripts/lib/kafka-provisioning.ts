import { readFileSync } from 'node:fs';
import { parseSourceSystems } from '@mash/connectors';
import {
  ADMIN_PRINCIPAL,
  createKafka,
  PLATFORM_PRINCIPALS,
  platformGrants,
  PLATFORM_SERVICES,
  provisionPlatform,
  provisionSourceSystems,
} from '@mash/kafka';
import { env, loadConfig, z, type Logger } from '@mash/service-kit';
import type { AgencyFamily } from '@mash/schema';

/** What `provision-kafka` is run with (its environment, validated). */
export interface ProvisionConfig {
  readonly brokers: readonly string[];
  /** The admin principal (user name, password, and the broker's CA for TLS). */
  readonly admin: { readonly username: string; readonly password: string; readonly tlsCa?: string };
  readonly topicPrefix: string;
  readonly sourceSystems: readonly { readonly family: AgencyFamily; readonly code: string }[];
}

const schema = z.object({
  KAFKA_BROKERS: env.list('').refine((b) => b.length > 0, 'is required (host:port, comma-separated)'),
  KAFKA_USERNAME: z.string().min(1).default(ADMIN_PRINCIPAL),
  KAFKA_PASSWORD: z
    .string({ error: "is required (the admin principal's password)" })
    .min(1, "is required (the admin principal's password)"),
  KAFKA_TLS_CA_FILE: z.string().min(1).optional(),
  TOPIC_PREFIX: z.string().default(''),
  KAFKA_SOURCE_SYSTEMS: z
    .string()
    .optional()
    .transform((value, ctx) => {
      try {
        return parseSourceSystems(value);
      } catch (err) {
        const message = (err as Error).message.replace(/^CONNECTOR_SOURCE_SYSTEMS: /, '');
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
    }),
});

/**
 * Reads the environment: KAFKA_BROKERS (required), KAFKA_USERNAME (the admin, default `admin`) and KAFKA_PASSWORD
 * (required), KAFKA_TLS_CA_FILE, TOPIC_PREFIX, and KAFKA_SOURCE_SYSTEMS (`family:code`, comma-separated).
 */
export function loadProvisionConfig(
  source: Record<string, string | undefined> = process.env,
): ProvisionConfig {
  const p = loadConfig(schema, source);
  return {
    brokers: p.KAFKA_BROKERS,
    admin: {
      username: p.KAFKA_USERNAME,
      password: p.KAFKA_PASSWORD,
      ...(p.KAFKA_TLS_CA_FILE && { tlsCa: readFileSync(p.KAFKA_TLS_CA_FILE, 'utf8') }),
    },
    topicPrefix: p.TOPIC_PREFIX,
    sourceSystems: p.KAFKA_SOURCE_SYSTEMS,
  };
}

/**
 * Provisions a broker for the platform as its admin, as `npm start` and the tests do: the internal topics and each
 * platform service's ACLs (`platformGrants`, under the topic prefix), then each agency source system's own topic,
 * writable by its principal only. Idempotent. The SCRAM users are the broker's own (added when its storage is
 * formatted, or with kafka-configs); a grant to a user not created yet applies once it is.
 */
export async function provisionKafka(config: ProvisionConfig, logger: Logger): Promise<void> {
  const kafka = createKafka({
    brokers: config.brokers,
    clientId: 'mash-provisioning',
    logger,
    auth: config.admin,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await provisionPlatform(admin, config.topicPrefix);
    const grants = platformGrants(config.topicPrefix);
    for (const service of PLATFORM_SERVICES) {
      logger.info(
        { principal: PLATFORM_PRINCIPALS[service], grants: grants[service] },
        `${service}: ACLs granted`,
      );
    }
    await provisionSourceSystems(
      admin,
      config.topicPrefix,
      config.sourceSystems.map((s) => ({ principal: s.code, family: s.family })),
    );
    for (const s of config.sourceSystems) {
      logger.info(
        { principal: s.code, family: s.family },
        'source system: its own topic, writable by it only',
      );
    }
  } finally {
    await admin.disconnect();
  }
}
