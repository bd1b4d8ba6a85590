import { parentPort, workerData } from 'node:worker_threads';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/**
 * The subscribers of `npm run bench:live`, in a worker thread of their own so that the gateway's heap (measured
 * in the main thread) holds none of the clients' memory. Each subscriber has its own WebSocket connection.
 */
interface Job {
  readonly url: string;
  readonly tokens: readonly string[];
  readonly partnershipId: string;
}

const job = workerData as Job;
const QUERY = `subscription($p: ID!) { escalationChanged(partnershipId: $p) {
  id stage status raisingAgency { name } receivingAgency { name } stageOwners { name } } }`;

const clients: Client[] = [];
/** escalation id → arrival times (ms since epoch), one per subscriber that received it. */
const arrivals = new Map<string, number[]>();
let subscribed = 0;

async function connectAll(): Promise<void> {
  for (const [i, token] of job.tokens.entries()) {
    const client = createClient({
      url: job.url,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
      lazy: false,
      onNonLazyError: () => undefined,
    });
    clients.push(client);
    client.subscribe<{ escalationChanged: { id: string } }>(
      { query: QUERY, variables: { p: job.partnershipId } },
      {
        next: (r) => {
          const id = r.data?.escalationChanged.id;
          if (!id) return;
          const list = arrivals.get(id) ?? [];
          list.push(Date.now());
          arrivals.set(id, list);
        },
        error: () => undefined,
        complete: () => undefined,
      },
    );
    subscribed++;
    // Open connections in small bursts, as a room of boards coming online would.
    if (i % 50 === 49) await new Promise((r) => setTimeout(r, 20));
  }
}

parentPort!.on('message', (msg: { kind: 'report' } | { kind: 'close' }) => {
  if (msg.kind === 'report') {
    parentPort!.postMessage({ kind: 'report', subscribed, arrivals: [...arrivals.entries()] });
  } else {
    void Promise.all(clients.map((c) => c.dispose())).then(() => parentPort!.postMessage({ kind: 'closed' }));
  }
});

void connectAll().then(() => parentPort!.postMessage({ kind: 'connected', subscribed }));
