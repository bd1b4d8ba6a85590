// scripts/patches/kafkajs+2.2.4.patch also stops kafkajs 2.2.4's request queue re-arming a 1 ms timer for ever on
// every connection (tulios/kafkajs#1556): it checks for pending requests only while some are pending. Requests
// held by the in-flight limit or by the broker's throttling must still go out.
/* eslint-disable @typescript-eslint/no-require-imports */
const RequestQueue = require('kafkajs/src/network/requestQueue') as new (options: object) => RequestQueueLike;
/* eslint-enable @typescript-eslint/no-require-imports */

interface RequestQueueLike {
  throttleCheckTimeoutId: unknown;
  push(request: object): void;
  fulfillRequest(response: { correlationId: number; payload: Buffer; size: number }): void;
  maybeThrottle(ms: number): void;
  destroy(): void;
}

const silent = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

function queue(maxInFlightRequests: number | null = null): RequestQueueLike {
  return new RequestQueue({
    maxInFlightRequests,
    requestTimeout: 30_000,
    enforceRequestTimeout: false,
    clientId: 'test',
    broker: 'broker:9092',
    logger: silent,
  });
}

/** A request whose sends are counted; it expects a response. */
function request(correlationId: number, sent: number[]) {
  return {
    entry: {
      correlationId,
      apiKey: 1,
      apiName: 'Fetch',
      apiVersion: 11,
      resolve: () => undefined,
      reject: () => undefined,
    },
    expectResponse: true,
    sendRequest: () => sent.push(correlationId),
  };
}

const answer = (correlationId: number) => ({ correlationId, payload: Buffer.alloc(0), size: 0 });

describe("kafkajs's request queue (patched)", () => {
  const queues: RequestQueueLike[] = [];
  afterEach(() => queues.splice(0).forEach((q) => q.destroy()));
  const make = (max: number | null = null) => {
    const q = queue(max);
    queues.push(q);
    return q;
  };

  it('arms no timer once every request has been sent and answered', async () => {
    const q = make();
    const sent: number[] = [];
    q.push(request(1, sent));
    q.fulfillRequest(answer(1));
    expect(sent).toEqual([1]);
    expect(q.throttleCheckTimeoutId).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(q.throttleCheckTimeoutId).toBeNull();
  });

  it('sends a request held by the in-flight limit when the one before it is answered, then arms nothing', async () => {
    const q = make(1);
    const sent: number[] = [];
    q.push(request(1, sent));
    q.push(request(2, sent));
    expect(sent).toEqual([1]);
    q.fulfillRequest(answer(1));
    expect(sent).toEqual([1, 2]);
    q.fulfillRequest(answer(2));
    // The check armed while request 2 waited fires once, finds nothing pending and arms nothing more.
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(q.throttleCheckTimeoutId).toBeNull();
  });

  it('sends a request held by throttling once the throttle time is over, then arms nothing', async () => {
    const q = make();
    const sent: number[] = [];
    q.maybeThrottle(40);
    q.push(request(1, sent));
    expect(sent).toEqual([]);
    expect(q.throttleCheckTimeoutId).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(sent).toEqual([1]);
    q.fulfillRequest(answer(1));
    expect(q.throttleCheckTimeoutId).toBeNull();
  });
});
