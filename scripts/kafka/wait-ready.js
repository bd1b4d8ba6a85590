'use strict';
// Waits until a Kafka broker answers a protocol request (DescribeCluster, via kafkajs's admin client), so that
// "started" means "usable" and not merely "the port is open".
//
//   node scripts/kafka/wait-ready.js <host:port> [timeoutSeconds=60] [pid]
//
// With a pid, gives up at once when that process has exited (the broker died while starting).
// Exit codes: 0 ready, 1 timed out, 2 the broker process exited, 64 bad usage.

const { readFileSync } = require('node:fs');
const { Kafka, logLevel } = require('kafkajs');

const fail = (message) => process.stderr.write(`${message}\n`);

const [broker, timeoutArg = '60', pidArg] = process.argv.slice(2);
if (!broker || !/^[^:]+:\d+$/.test(broker)) {
  fail('usage: wait-ready.js <host:port> [timeoutSeconds] [pid]');
  process.exit(64);
}
const deadline = Date.now() + Number(timeoutArg) * 1000;
const pid = pidArg ? Number(pidArg) : undefined;

function alive(p) {
  try {
    process.kill(p, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function describe() {
  const kafka = new Kafka({
    clientId: 'mash-kafka-wait-ready',
    brokers: [broker],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    requestTimeout: 3000,
    retry: { retries: 0 },
    // The broker requires SASL/SCRAM; kafka.sh passes the admin credentials (and its CA when TLS is on).
    ...(process.env.KAFKA_USERNAME && {
      sasl: {
        mechanism: 'scram-sha-512',
        username: process.env.KAFKA_USERNAME,
        password: process.env.KAFKA_PASSWORD ?? '',
      },
    }),
    ...(process.env.KAFKA_TLS_CA && { ssl: { ca: [readFileSync(process.env.KAFKA_TLS_CA, 'utf8')] } }),
  });
  const admin = kafka.admin({ retry: { retries: 0 } });
  try {
    await admin.connect();
    return await admin.describeCluster();
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function main() {
  let lastError = 'no attempt made';
  while (Date.now() < deadline) {
    if (pid !== undefined && !alive(pid)) {
      fail(`kafka process ${pid} exited before ${broker} answered (last error: ${lastError})`);
      return 2;
    }
    try {
      const cluster = await describe();
      if (cluster.brokers.length > 0) return 0;
      lastError = 'the cluster reported no brokers';
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
    await sleep(250);
  }
  fail(`kafka at ${broker} did not answer within ${timeoutArg}s (last error: ${lastError})`);
  return 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    fail(err instanceof Error ? err.stack : String(err));
    process.exit(1);
  },
);
