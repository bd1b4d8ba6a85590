import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ADMIN_PRINCIPAL, PLATFORM_PRINCIPALS, type PlatformService } from '@mash/kafka';
import { DEMO_SOURCE_SYSTEMS } from '../../../scripts/lib/demo-source-systems';
import { nodeFlagsFor } from '../../../scripts/lib/node-flags';
import { DEPLOYABLE_KINDS } from '../../../scripts/lib/platform-processes';
import { repoRoot } from '../../../scripts/lib/repo-root';
import {
  COMPOSE_FILE,
  composeCommand,
  generatedEnv,
  interpolate,
  loadCompose,
  MissingVariable,
  requiredVariables,
  serviceEnv,
} from './compose';

// docker-compose.yml cannot be run here (no Docker daemon): its structure is checked as parsed, the broker's
// configuration as its entrypoint script writes it, and the whole file by `docker compose config` where the CLI is
// installed. compose-broker.test.ts runs the same broker configuration for real.

const compose = loadCompose();
const secrets = generatedEnv();
const required = (raw: unknown): string | undefined => /^\$\{([A-Z0-9_]+):\?[^}]+\}$/.exec(String(raw))?.[1];

/** The compose service each platform service runs as, and kafka-init, which provisions as the admin. */
const KAFKA_CLIENTS: Record<string, string> = {
  connector: PLATFORM_PRINCIPALS.connectors,
  cases: PLATFORM_PRINCIPALS.cases,
  escalations: PLATFORM_PRINCIPALS.escalations,
  contacts: PLATFORM_PRINCIPALS.contacts,
  gateway: PLATFORM_PRINCIPALS.gateway,
  'kafka-init': ADMIN_PRINCIPAL,
};

describe("docker-compose.yml's Kafka broker", () => {
  const kafka = compose.services['kafka']!;

  it('is the apache/kafka 3.9 image, started by the repository’s own entrypoint script', () => {
    expect(kafka.image).toMatch(/^apache\/kafka:3\.9\.\d+$/);
    expect(kafka.entrypoint).toEqual(['bash', '/mash/docker-broker.sh']);
    expect(kafka.volumes).toEqual(['./scripts/kafka/docker-broker.sh:/mash/docker-broker.sh:ro']);
    expect(kafka.healthcheck?.test).toEqual(['CMD', 'bash', '/mash/docker-broker.sh', 'health']);
  });

  it('requires SASL/SCRAM-SHA-512 on every client listener and authorises by ACL only, admin its one super user', () => {
    const run = spawnSync(
      'bash',
      [path.join(repoRoot(), 'scripts', 'kafka', 'docker-broker.sh'), 'properties'],
      {
        env: { PATH: process.env['PATH'], ...serviceEnv(compose, 'kafka', secrets) },
        encoding: 'utf8',
      },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const props = Object.fromEntries(
      run.stdout
        .split('\n')
        .filter((l) => /^[a-z]/.test(l))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    expect(props['listeners']).toBe(
      'INTERNAL://0.0.0.0:9092,EXTERNAL://0.0.0.0:9094,CONTROLLER://127.0.0.1:9093',
    );
    expect(props['advertised.listeners']).toBe('INTERNAL://kafka:9092,EXTERNAL://127.0.0.1:9094');
    expect(props['listener.security.protocol.map']).toBe(
      'INTERNAL:SASL_PLAINTEXT,EXTERNAL:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT',
    );
    expect(props['listener.name.internal.sasl.enabled.mechanisms']).toBe('SCRAM-SHA-512');
    expect(props['listener.name.external.sasl.enabled.mechanisms']).toBe('SCRAM-SHA-512');
    expect(props['sasl.mechanism.inter.broker.protocol']).toBe('SCRAM-SHA-512');
    expect(props['authorizer.class.name']).toBe('org.apache.kafka.metadata.authorizer.StandardAuthorizer');
    expect(props['allow.everyone.if.no.acl.found']).toBe('false');
    expect(props['super.users']).toBe('User:admin');
    expect(props['auto.create.topics.enable']).toBe('false');
    // The printed configuration masks the admin password.
    expect(run.stdout).not.toContain(secrets['KAFKA_ADMIN_PASSWORD']);
  });

  it('refuses to start without the admin password, or with a principal it cannot format', () => {
    const script = path.join(repoRoot(), 'scripts', 'kafka', 'docker-broker.sh');
    const without = spawnSync('bash', [script, 'properties'], {
      env: { PATH: process.env['PATH'] },
      encoding: 'utf8',
    });
    expect([without.status, without.stderr]).toEqual([
      1,
      '[kafka] error: KAFKA_ADMIN_PASSWORD is required\n',
    ]);
    const bad = spawnSync('bash', [script, 'properties'], {
      env: { PATH: process.env['PATH'], KAFKA_ADMIN_PASSWORD: 'a', KAFKA_SCRAM_USERS: 'tvp-niche=pass,word' },
      encoding: 'utf8',
    });
    expect([bad.status, bad.stderr]).toEqual([
      1,
      "[kafka] error: KAFKA_SCRAM_USERS entries are name=password (no spaces, '=', ',', ']' or '\"' in either), got 'tvp-niche…'\n",
    ]);
  });
});

describe('the services that talk to Kafka', () => {
  const clients = Object.entries(compose.services)
    .filter(([, s]) => s.environment?.['KAFKA_BROKERS'] !== undefined)
    .map(([name]) => name)
    .sort();

  it('are the five platform services and kafka-init, each connecting to the broker inside the network', () => {
    expect(clients).toEqual(Object.keys(KAFKA_CLIENTS).sort());
    for (const name of clients)
      expect(compose.services[name]!.environment!['KAFKA_BROKERS']).toBe('kafka:9092');
  });

  it.each(Object.entries(KAFKA_CLIENTS))(
    '%s connects as %s, its password required from the environment',
    (name, principal) => {
      const env = compose.services[name]!.environment!;
      expect(env['KAFKA_USERNAME']).toBe(principal);
      const variable = required(env['KAFKA_PASSWORD']);
      expect(variable).toBeDefined();
      // The broker was formatted with that very password for that principal.
      const broker = compose.services['kafka']!.environment!;
      if (principal === ADMIN_PRINCIPAL) expect(required(broker['KAFKA_ADMIN_PASSWORD'])).toBe(variable);
      else expect(String(broker['KAFKA_SCRAM_USERS'])).toContain(`${principal}=\${${variable}:?`);
    },
  );

  it('use a password variable each, none shared', () => {
    const variables = Object.keys(KAFKA_CLIENTS).map((n) =>
      required(compose.services[n]!.environment!['KAFKA_PASSWORD']),
    );
    expect(new Set(variables).size).toBe(variables.length);
  });

  it('start only after kafka-init has provisioned topics and ACLs, which starts once the broker is healthy', () => {
    const init = compose.services['kafka-init']!;
    expect(init.command).toBe('node scripts/dist/provision-kafka.js');
    expect(init.depends_on).toEqual({
      build: { condition: 'service_completed_successfully' },
      kafka: { condition: 'service_healthy' },
    });
    for (const name of ['agencies', 'contacts', 'cases', 'escalations', 'connector', 'gateway']) {
      expect(compose.services[name]!.depends_on?.['kafka-init']).toEqual({
        condition: 'service_completed_successfully',
      });
    }
  });

  it("provision the demo's source systems by default, each its own principal", () => {
    const init = serviceEnv(compose, 'kafka-init', secrets);
    expect(init['KAFKA_SOURCE_SYSTEMS']).toBe(
      DEMO_SOURCE_SYSTEMS.map((s) => `${s.family}:${s.principal}`).join(','),
    );
  });
});

describe('the deployables', () => {
  it('start with the Node flags of the platform’s own processes (scripts/lib/node-flags.ts)', () => {
    const flags = Object.fromEntries(
      DEPLOYABLE_KINDS.map((kind) => {
        const command = String(compose.services[kind]!.command).split(' ');
        expect([kind, command[0], command.at(-1)]).toEqual([
          kind,
          'node',
          expect.stringMatching(/\/main\.js$/),
        ]);
        return [kind, command.slice(1, -1)];
      }),
    );
    expect(flags).toEqual({
      agencies: [],
      contacts: ['--max-semi-space-size=64'],
      cases: ['--max-semi-space-size=64'],
      escalations: ['--max-semi-space-size=64'],
      connector: ['--max-semi-space-size=64'],
      gateway: [],
    });
    expect(Object.fromEntries(DEPLOYABLE_KINDS.map((kind) => [kind, nodeFlagsFor(kind)]))).toEqual(flags);
  });
});

describe('the secrets', () => {
  it('all come from the environment: every password, the JWT secret and the database URL’s password', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [key, raw] of Object.entries(service.environment ?? {})) {
        if (!/PASSWORD|SECRET/.test(key)) continue;
        expect([name, key, required(raw)]).toEqual([name, key, expect.stringMatching(/^[A-Z0-9_]+$/)]);
      }
    }
    expect(String(compose.services['cases']!.environment!['DATABASE_URL'])).toMatch(
      /^postgres:\/\/postgres:\$\{POSTGRES_PASSWORD:\?[^}]+\}@postgres:5432\/mash$/,
    );
  });

  it('are refused when missing, naming the variable', () => {
    const { KAFKA_CASES_PASSWORD: _, ...without } = secrets;
    expect(() => serviceEnv(compose, 'cases', without)).toThrow(
      new MissingVariable('KAFKA_CASES_PASSWORD: set KAFKA_CASES_PASSWORD'),
    );
    expect(interpolate('${TOPIC_PREFIX:-}', without)).toBe('');
  });

  it('are all generated by scripts/kafka/compose-env.js, with the demo source systems’ credentials', () => {
    for (const name of requiredVariables())
      expect([name, secrets[name]]).toEqual([name, expect.stringMatching(/^[0-9a-f]{36,}$/)]);
    const users = (secrets['KAFKA_SOURCE_SYSTEM_USERS'] ?? '').split(' ').map((u) => u.split('=')[0]);
    expect(users).toEqual(DEMO_SOURCE_SYSTEMS.map((s) => s.principal));
    const services = Object.values(PLATFORM_PRINCIPALS as Record<PlatformService, string>);
    const scram = serviceEnv(compose, 'kafka', secrets)
      ['KAFKA_SCRAM_USERS']!.split(/\s+/)
      .map((u) => u.split('=')[0]);
    expect(scram).toEqual([...services, ...DEMO_SOURCE_SYSTEMS.map((s) => s.principal)]);
  });
});

const cli = composeCommand();
(cli ? describe : describe.skip)(`\`${(cli ?? ['docker', 'compose']).join(' ')} config\``, () => {
  // An empty env file, so that a developer's own .env beside the compose file does not fill in what is left out.
  const dir = mkdtempSync(path.join(tmpdir(), 'compose-env-'));
  const envFile = path.join(dir, 'empty.env');
  writeFileSync(envFile, '');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const config = (env: Record<string, string>) =>
    spawnSync(cli![0]!, [...cli!.slice(1), '-f', COMPOSE_FILE, '--env-file', envFile, 'config', '-q'], {
      env: { PATH: process.env['PATH'], HOME: process.env['HOME'], ...env },
      cwd: repoRoot(),
      encoding: 'utf8',
    });

  it('accepts the file with the generated secrets', () => {
    const run = config(secrets);
    expect([run.status, run.stderr]).toEqual([0, '']);
  });

  it('refuses it without a service’s Kafka password, naming the variable', () => {
    const { KAFKA_GATEWAY_PASSWORD: _, ...without } = secrets;
    const run = config(without);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('set KAFKA_GATEWAY_PASSWORD');
  });
});
