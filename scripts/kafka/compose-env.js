'use strict';
// Generates the secrets docker-compose.yml requires and prints them as .env lines, with the demo's agency source
// systems' Kafka credentials, the way `npm start` prints its generated ones:
//
//   node scripts/kafka/compose-env.js >> .env && docker compose up
//
// Plain Node, no dependencies, so it runs before anything is installed or built. The names below are checked
// against the platform's own definitions (PLATFORM_PRINCIPALS, the demo's source systems) by
// test/e2e/docker-compose/compose-file.test.ts.
const { randomBytes } = require('node:crypto');

/** Each platform service's password variable (docker-compose.yml gives it to the broker and to the service). */
const SERVICE_PASSWORDS = {
  'mash-connectors': 'KAFKA_CONNECTORS_PASSWORD',
  'mash-cases': 'KAFKA_CASES_PASSWORD',
  'mash-escalations': 'KAFKA_ESCALATIONS_PASSWORD',
  'mash-contacts': 'KAFKA_CONTACTS_PASSWORD',
  'mash-gateway': 'KAFKA_GATEWAY_PASSWORD',
};

/** The demo partnerships' source systems (kafka-init's default KAFKA_SOURCE_SYSTEMS), in DEMO_SOURCE_SYSTEMS order. */
const DEMO_SOURCE_SYSTEMS = [
  'tvp-niche',
  'mk-lcs',
  'mkuh-systmone',
  'mk-cpoms',
  'lincs-niche',
  'lincs-mosaic',
  'lchs-systmone',
  'lincs-myconcern',
  'mk-las',
];

// Hex: nothing the broker's --add-scram syntax or a .env file would read specially.
const secret = () => randomBytes(18).toString('hex');

function main() {
  const lines = [
    `# docker-compose secrets, generated ${new Date().toISOString()} by scripts/kafka/compose-env.js`,
    `POSTGRES_PASSWORD=${secret()}`,
    `JWT_SECRET=${randomBytes(32).toString('hex')}`,
    `KAFKA_ADMIN_PASSWORD=${secret()}`,
    ...Object.values(SERVICE_PASSWORDS).map((name) => `${name}=${secret()}`),
    "# The demo source systems' principals: each writes its own topic only (127.0.0.1:9094 from the host).",
    `KAFKA_SOURCE_SYSTEM_USERS="${DEMO_SOURCE_SYSTEMS.map((code) => `${code}=${secret()}`).join(' ')}"`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (require.main === module) main();

module.exports = { SERVICE_PASSWORDS, DEMO_SOURCE_SYSTEMS };
