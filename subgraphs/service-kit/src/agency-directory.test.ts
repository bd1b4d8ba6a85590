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

const MOVED = { ...SOURCE, agency: { id: 'agency-2', partnership: { id: 'partnership-2' } } };

let server: Server;
let url: string;
let calls = 0;
/** What the next answers say: the source system, the same moved to another partnership, null, or an HTTP 503. */
let answer: 'source' | 'moved' | 'none' | 'down' = 'source';
/** While set, answers wait until it is resolved. */
let gate: Promise<void> | undefined;
/** When set, the next request's answer waits until `releaseHeld` (one request only). */
let holdNext = false;
let releaseHeld: () => void = () => undefined;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      calls += 1;
      const said = answer;
      let wait = gate ?? Promise.resolve();
      if (holdNext) {
        holdNext = false;
        wait = new Promise((resolve) => (releaseHeld = resolve));
      }
      void wait.then(() => {
        if (said === 'down') {
          res.writeHead(503, { 'content-type': 'application/json' }).end('{}');
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            data: { sourceSystem: said === 'none' ? null : said === 'moved' ? MOVED : SOURCE },
          }),
        );
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
  holdNext = false;
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

  it('never lets a refresh that answers late replace a newer load', async () => {
    const client = new AgencyDirectoryClient(url, tokens, TTL);
    await client.sourceSystem('niche-tvp');
    const loaded = Date.now();
    await sleep(TTL * 0.6);
    holdNext = true;
    await expect(client.sourceSystem('niche-tvp')).resolves.toEqual(expected);
    await callsReach(2);
    // The refresh is still out when the entry expires; the next use loads the source system as it now is.
    await sleep(Math.max(0, loaded + TTL + 100 - Date.now()));
    answer = 'moved';
    const moved = { ...expected, agencyId: 'agency-2', partnershipId: 'partnership-2' };
    await expect(client.sourceSystem('niche-tvp')).resolves.toEqual(moved);
    expect(calls).toBe(3);
    // The old refresh answers now, with what was registered when it asked: it does not replace the newer entry.
    releaseHeld();
    await sleep(100);
    await expect(client.sourceSystem('niche-tvp')).resolves.toEqual(moved);
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

  it('answers a held source system without waiting, and nothing it would have to ask for', async () => {
    const client = new AgencyDirectoryClient(url, tokens, TTL);
    // Not loaded yet: undefined, and no call is made for it.
    expect(client.cachedSourceSystem('niche-tvp')).toBeUndefined();
    await sleep(50);
    expect(calls).toBe(0);
    await client.sourceSystem('niche-tvp');
    expect(client.cachedSourceSystem('niche-tvp')).toEqual(expected);
    expect(calls).toBe(1);
    // "Not registered" is never held, so it is always asked for.
    answer = 'none';
    await expect(client.sourceSystem('unknown-code')).resolves.toBeNull();
    expect(client.cachedSourceSystem('unknown-code')).toBeUndefined();
    expect(calls).toBe(2);
  });

  it('starts the refresh of a held source system used in the second half of its life, and nothing past its TTL', async () => {
    const client = new AgencyDirectoryClient(url, tokens, TTL);
    await client.sourceSystem('niche-tvp');
    const loaded = Date.now();
    await sleep(TTL * 0.6);
    // The refresh is held at the server, and then fails.
    let open!: () => void;
    gate = new Promise((resolve) => (open = resolve));
    answer = 'down';
    expect(client.cachedSourceSystem('niche-tvp')).toEqual(expected);
    expect(client.cachedSourceSystem('niche-tvp')).toEqual(expected);
    await callsReach(2);
    open();
    await sleep(100);
    // The refresh failed: the entry answers until its TTL, then is no longer held.
    expect(client.cachedSourceSystem('niche-tvp')).toEqual(expected);
    await sleep(Math.max(0, loaded + TTL + 100 - Date.now()));
    expect(client.cachedSourceSystem('niche-tvp')).toBeUndefined();
    expect(calls).toBe(2);
  });
});
