import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { coalesceSends } from './coalesce';

// Real WebSockets on loopback: what a coalesced socket writes to TCP, and what its client receives.

interface Served {
  readonly url: string;
  /** The server side of the next connection: its WebSocket and the TCP socket under it. */
  readonly connected: Promise<{ ws: WebSocket; socket: Socket }>;
  close(): Promise<void>;
}

async function serve(): Promise<Served> {
  const server = http.createServer();
  const wss = new WebSocketServer({ server });
  const connected = new Promise<{ ws: WebSocket; socket: Socket }>((resolve) =>
    wss.on('connection', (ws, request) => {
      coalesceSends(ws, request.socket);
      resolve({ ws, socket: request.socket });
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connected,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Counts the writes the TCP socket hands to the kernel (one `writev` or `write` each). */
function countWrites(socket: Socket): { readonly count: number } {
  const counter = { count: 0 };
  const s = socket as unknown as Record<'_writev' | '_write', (...args: unknown[]) => void>;
  for (const name of ['_writev', '_write'] as const) {
    const original = s[name].bind(socket);
    s[name] = (...args: unknown[]) => {
      counter.count++;
      original(...args);
    };
  }
  return counter;
}

/** Sends as graphql-ws does: one message at a time, each after the previous one's callback. */
async function sendOneByOne(ws: WebSocket, messages: readonly string[]): Promise<void> {
  for (const m of messages) {
    await new Promise<void>((resolve, reject) => ws.send(m, (err) => (err ? reject(err) : resolve())));
  }
}

describe('coalesceSends', () => {
  let served: Served;
  beforeEach(async () => (served = await serve()));
  afterEach(() => served.close());

  it('writes the messages sent one by one in a turn in one write, and the client reads each of them in order', async () => {
    const client = new WebSocket(served.url);
    const received: string[] = [];
    const all = new Promise<void>((resolve) =>
      client.on('message', (data) => {
        received.push(String(data));
        if (received.length === 20) resolve();
      }),
    );
    await new Promise((resolve) => client.once('open', resolve));
    const { ws, socket } = await served.connected;
    const writes = countWrites(socket);
    const messages = Array.from({ length: 20 }, (_, i) => JSON.stringify({ id: String(i), type: 'next' }));

    await sendOneByOne(ws, messages);
    await all;

    expect(received).toEqual(messages);
    expect(writes.count).toBe(1);
    client.close();
  });

  it('stops acknowledging sends at once when the client does not read, so the sender holds back', async () => {
    const client = new WebSocket(served.url);
    await new Promise((resolve) => client.once('open', resolve));
    const { ws, socket } = await served.connected;
    // The client stops reading: the kernel's buffers fill, then the server's.
    (client as unknown as { _socket: Socket })._socket.pause();
    const big = 'x'.repeat(64 * 1024);
    let acknowledged = 0;
    const sending = (async () => {
      for (let i = 0; i < 2000; i++) {
        await new Promise<void>((resolve) => ws.send(big, () => resolve()));
        acknowledged++;
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 500));

    // 2,000 messages of 64 KB (125 MB): far more than loopback buffers hold. The sender waits for the socket.
    expect(acknowledged).toBeLessThan(2000);
    expect(socket.writableLength).toBeLessThan(2 * 64 * 1024 + socket.writableHighWaterMark);
    ws.terminate();
    await sending.catch(() => undefined);
  });
});
