import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AgencyDirectoryClient } from './agency-directory';

// The directory client's cache policy, against a loopback HTTP server that answers as the agencies subgraph does
// (its GraphQL answers to the client are checked against the real subgraph in
// subgraphs/agencies/test/reference-data-for-services.int.test.ts): what is answered from the cache, what waits for
// a call, and what is refreshed ahead of its expiry.
const TTL = 2000;

const SOURCE = {
  id: 'src-1',
  code: 'niche-tvp',
  family: 'police',
  agency: { id: 'agency-1', partnership: { id: 'partnership-1' } },
};

let server: Server;
let url: string;
let calls = 0;
/** What the next answers say: the source system, null (not registered), or an HTTP 503. */
let answer: 'source' | 'none' | 'down' = 'source';
/** While set, answers wait until it is resolved. */
let gate: Promise<void> | undefined;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      calls += 1;
      const said = answer;
      void (gate ?? Promise.resolve()).then(() => {
        if (said === 'down') {
          res.writeHead(503, { 'content-type': 'application/json' }).end('{}');
          return;
        }
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ data: { sourceSystem: said === 'source' ? SOURCE : null } }));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  calls = 0;
  answer = 'source';
  gate = undefined;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const tokens = { token: async () => 'token', renew: async () => 'token' };
const expected = {
  id: 'src-1',
  code: 'niche-tvp',
  family: 'police',
  agencyId: 'agency-1',
  partnershipId: 'partnership-1',
};

/** Waits until `calls` reaches `n` (a background refresh has reached the server). */
async function callsReach(n: number): Promise<void> {
  for (let i = 0; i < 200 && calls < n; i++) await sleep(10);
  expect(calls).toBe(n);
}

describe('AgencyDirectoryClient cache', () => {
  it('answers from the cache in the first half of an entry’s life, with no call', async () => {
    const client = new AgencyDirectoryClient(url, tokens, TTL);
    await expect(client.sourceSystem('niche-tvp')).resolves.toEqual(expected);
    await expect(client.sourceSystem('niche-tvp')).resolves.toEqual(expected);
    await sleep(100);
    expect(calls).toBe(1);
  });

  it('refreshes an entry used in the second half of its life once, in the background, so its use never waits', async () => {
    const client = new AgencyDirectoryClient(url, tokens, TTL);
    await client.sourceSystem('niche-tvp');
    const loaded = Date.now();
    await sleep(TTL * 0.6);
    // The refresh is held at the server: the uses meanwhile are answered from the cache, and start no second one.
    let open!: () => void;
    gate = new Promise((resolve) => (open = resolve));
    await expect(client.sourceSystem('niche-tvp')).resolves.toEqual(expected);
    await expect(client.sourceSystem('niche-tvp')).resolves.toEqual(expected);
    await callsReach(2);
    open();
    await sleep(100);
    // Past the first load's expiry, the refreshed entry answers without a call.
    await sleep(Math.max(0, loaded + TTL + 100 - Date.now()));
    await expect(client.sourceSystem('niche-tvp')).resolves.toEqual(expected);
    await sleep(50);
    expect(calls).toBe(2);
  });

  it('drops an entry whose refresh says the source system is no longer registered', async () => {
    const client = new AgencyDirectoryClient(url, tokens, TTL);
    await client.sourceSystem('niche-tvp');
    await sleep(TTL * 0.6);
    answer = 'none';
    await expect(client.sourceSystem('niche-tvp')).resolves.toEqual(expected);
    await callsReach(2);
    await sleep(100);
    await expect(client.sourceSystem('niche-tvp')).resolves.toBeNull();
    expect(calls).toBe(3);
  });

  it('never answers past the TTL: after a failed refresh the entry expires, and the next use waits and fails', async () => {
    const client = new AgencyDirectoryClient(url, tokens, TTL);
    await client.sourceSystem('niche-tvp');
    const loaded = Date.now();
    await sleep(TTL * 0.6);
    answer = 'down';
    await expect(client.sourceSystem('niche-tvp')).resolves.toEqual(expected);
    await callsReach(2);
    await sleep(100);
    // Still within its life: answered, and no second background try.
    await expect(client.sourceSystem('niche-tvp')).resolves.toEqual(expected);
    expect(calls).toBe(2);
    await sleep(Math.max(0, loaded + TTL + 100 - Date.now()));
    await expect(client.sourceSystem('niche-tvp')).rejects.toMatchObject({ retriable: true });
    expect(calls).toBe(3);
  });
});
