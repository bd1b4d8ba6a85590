import { Gauge, type Registry } from 'prom-client';
import type { UnmatchedHealthReader } from '../repositories/unmatched-health.reader';

/** `mash_unmatched_waiting`: status changes waiting to be linked, by source system and type, read at scrape time. */
export function registerUnmatchedMetrics(registry: Registry, reader: UnmatchedHealthReader): void {
  new Gauge({
    name: 'mash_unmatched_waiting',
    help: 'Status changes that matched no subject and wait for a MASH officer to link them, by source system and type.',
    labelNames: ['source_system', 'type'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const w of await reader.waiting())
        this.set({ source_system: w.sourceSystem, type: w.type }, w.waiting);
    },
  });
}
