import { integrationGlobals } from './global-setup';

/** Stops the broker global-setup.ts started (none when KAFKA_BROKERS pointed at one); the next run wipes its data. */
export default async function globalTeardown(): Promise<void> {
  const globals = integrationGlobals();
  const kafka = globals.kafka;
  delete globals.kafka;
  await kafka?.release();
}
