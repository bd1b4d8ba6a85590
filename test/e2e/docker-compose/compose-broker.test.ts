import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { kafkaSecurity, PLATFORM_PRINCIPALS } from '@mash/kafka';
import { topics } from '@mash/schema';
import { silentLogger, type KafkaAuth } from '@mash/service-kit';
import { loadProvisionConfig, provisionKafka } from '../../../scripts/lib/kafka-provisioning';
import { DEMO_SOURCE_SYSTEMS } from '../../../scripts/lib/demo-source-systems';
import { repoRoot } from '../../../scripts/lib/repo-root';
import { generatedEnv, loadCompose, serviceEnv } from './compose';

// Integration: docker-compose's broker as its entrypoint (scripts/kafka/docker-broker.sh) configures and starts it,
// with the environment docker-compose.yml gives it, then provisioned as kafka-init does. No Docker here: the
// image's /opt/kafka/bin scripts are stood in for by the same Kafka 3.9 jars the test broker runs from
// (scripts/kafka/kafka.sh fetched them), on free loopback ports.

jest.setTimeout(180_000);

const root = repoRoot();
const compose = loadCompose();
const secrets = generatedEnv();
const brokerEnv = serviceEnv(compose, 'kafka', secrets);
const initEnv = serviceEnv(compose, 'kafka-init', secrets);
const script = path.join(root, 'scripts', 'kafka', 'docker-broker.sh');

let home: string;
let broker: ChildProcess | undefined;
let internal: string;
let external: string;
let env: NodeJS.ProcessEnv;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** /opt/kafka/bin as the image has it, for the three scripts the entrypoint uses. */
function standInKafkaHome(dir: string): void {
  const libs = process.env['KAFKA_LIBS_DIR'] ?? path.join(root, '.cache', 'kafka', 'libs');
  const log = `-Dlog4j.configuration=file:${path.join(root, 'scripts', 'kafka', 'log4j.properties')} -Dkafka.logs.dir=${dir}/logs`;
  const tools: Record<string, string> = {
    'kafka-storage.sh': `-Xmx128m ${log} -cp "${libs}/*" kafka.tools.StorageTool`,
    'kafka-server-start.sh': `-Xms256m -Xmx512m ${log} -cp "${libs}/*" kafka.Kafka`,
    'kafka-broker-api-versions.sh': `-Xmx128m ${log} -cp "${libs}/*" kafka.admin.BrokerApiVersionsCommand`,
  };
  mkdirSync(path.join(dir, 'bin'), { recursive: true });
  for (const [name, args] of Object.entries(tools)) {
    writeFileSync(path.join(dir, 'bin', name), `#!/usr/bin/env bash\nexec java ${args} "$@"\n`);
    chmodSync(path.join(dir, 'bin', name), 0o755);
  }
}

function client(brokers: string, auth: KafkaAuth | undefined, clientId: string): Kafka {
  return new Kafka({
    clientId,
    brokers: [brokers],
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
    ...kafkaSecurity(auth),
  });
}

/** What a send ends in: 'ok', the broker's error type, or the kafkajs error's name when there was no answer. */
async function sendAs(brokers: string, auth: KafkaAuth | undefined, topic: string): Promise<string> {
  const producer = client(brokers, auth, `compose-${auth?.username ?? 'anonymous'}`).producer({
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  try {
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'k', value: '{}' }] });
    return 'ok';
  } catch (err) {
    let e = err as { type?: string; name?: string; cause?: unknown };
    while (!e.type && e.cause) e = e.cause as typeof e;
    return e.type ?? e.name ?? String(err);
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
}

const admin = (): KafkaAuth => ({ username: 'admin', password: secrets['KAFKA_ADMIN_PASSWORD']! });
/** A principal's password as the compose file gives it to the broker (KAFKA_SCRAM_USERS). */
function principal(name: string): KafkaAuth {
  const entry = brokerEnv['KAFKA_SCRAM_USERS']!.split(/\s+/).find((u) => u.startsWith(`${name}=`));
  if (!entry) throw new Error(`the compose broker has no principal ${name}`);
  return { username: name, password: entry.slice(name.length + 1) };
}

beforeAll(async () => {
  home = mkdtempSync(path.join(tmpdir(), 'compose-broker-'));
  standInKafkaHome(home);
  const [port, externalPort, controllerPort] = [await freePort(), await freePort(), await freePort()];
  internal = `127.0.0.1:${port}`;
  external = `127.0.0.1:${externalPort}`;
  env = {
    PATH: process.env['PATH'],
    ...brokerEnv,
    KAFKA_HOME: home,
    KAFKA_STATE_DIR: path.join(home, 'state'),
    KAFKA_INTERNAL_HOST: '127.0.0.1',
    KAFKA_BIND_ADDRESS: '127.0.0.1',
    KAFKA_PORT: String(port),
    KAFKA_EXTERNAL_PORT: String(externalPort),
    KAFKA_CONTROLLER_PORT: String(controllerPort),
  };
  const out = openSync(path.join(home, 'broker.out'), 'a');
  broker = spawn('bash', [script], { env, stdio: ['ignore', out, out], detached: true });
  // Until the admin gets an answer over SASL/SCRAM.
  const deadline = Date.now() + 120_000;
  for (;;) {
    const probe = client(internal, admin(), 'compose-probe').admin();
    try {
      await probe.connect();
      await probe.listTopics();
      break;
    } catch (err) {
      if (broker.exitCode !== null || Date.now() > deadline) {
        throw new Error(
          `the compose broker did not start:\n${readFileSync(path.join(home, 'broker.out'), 'utf8')}`,
          {
            cause: err,
          },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      await probe.disconnect().catch(() => undefined);
    }
  }
  await provisionKafka(loadProvisionConfig({ ...initEnv, KAFKA_BROKERS: internal }), silentLogger());
});

afterAll(async () => {
  if (broker?.pid && broker.exitCode === null) {
    const exited = new Promise((resolve) => broker!.once('exit', resolve));
    process.kill(-broker.pid, 'SIGTERM');
    await exited;
  }
  if (home) rmSync(home, { recursive: true, force: true });
});

describe("docker-compose's broker, configured and started by its entrypoint", () => {
  const t = topics(initEnv['TOPIC_PREFIX']);

  it('answers its own healthcheck', () => {
    expect(spawnSync('bash', [script, 'health'], { env }).status).toBe(0);
  });

  it('formatted its storage with every principal of the compose file', () => {
    // The admin, every platform service's principal and every demo source system's.
    const principals = 1 + Object.keys(PLATFORM_PRINCIPALS).length + DEMO_SOURCE_SYSTEMS.length;
    expect(readFileSync(path.join(home, 'broker.out'), 'utf8')).toMatch(
      new RegExp(`\\[kafka\\] formatted .* with ${principals} SCRAM principals\\n`),
    );
  });

  it('refuses a client without SASL, and wrong credentials at authentication', async () => {
    expect(await sendAs(internal, undefined, t.caseEvents)).toBe('KafkaJSConnectionClosedError');
    expect(await sendAs(internal, { username: 'mash-cases', password: 'wrong' }, t.caseEvents)).toBe(
      'KafkaJSSASLAuthenticationError',
    );
  });

  it('lets each platform service write its own internal topic and refuses it another’s', async () => {
    expect(await sendAs(internal, principal(PLATFORM_PRINCIPALS.connectors), t.statusChanges)).toBe('ok');
    expect(await sendAs(internal, principal(PLATFORM_PRINCIPALS.cases), t.caseEvents)).toBe('ok');
    expect(await sendAs(internal, principal(PLATFORM_PRINCIPALS.escalations), t.escalationEvents)).toBe('ok');
    expect(await sendAs(internal, principal(PLATFORM_PRINCIPALS.connectors), t.caseEvents)).toBe(
      'TOPIC_AUTHORIZATION_FAILED',
    );
    expect(await sendAs(internal, principal(PLATFORM_PRINCIPALS.gateway), t.escalationEvents)).toBe(
      'TOPIC_AUTHORIZATION_FAILED',
    );
  });

  it("lets a demo source system write its own topic from the host's listener, and no internal topic", async () => {
    expect(await sendAs(external, principal('tvp-niche'), t.agency('police', 'tvp-niche'))).toBe('ok');
    expect(await sendAs(external, principal('tvp-niche'), t.agency('la-children', 'mk-lcs'))).toBe(
      'TOPIC_AUTHORIZATION_FAILED',
    );
    expect(await sendAs(external, principal('tvp-niche'), t.statusChanges)).toBe(
      'TOPIC_AUTHORIZATION_FAILED',
    );
  });
});
