// scripts/patches/kafkajs+2.2.4.patch also makes kafkajs's commits of resolved offsets go one at a time: every
// partition's batch ends with a commit, and when a fetch's batches end together each used to send the same offsets
// while the first commit was in flight. A commit now waits for the one in flight and sends only what it did not
// cover; every caller still returns only once its own resolved offsets are committed.
/* eslint-disable @typescript-eslint/no-require-imports */
const OffsetManager = require('kafkajs/src/consumer/offsetManager') as new (
  options: object,
) => OffsetManagerLike;
/* eslint-enable @typescript-eslint/no-require-imports */

interface OffsetManagerLike {
  resolveOffset(at: { topic: string; partition: number; offset: string }): void;
  commitOffsets(offsets?: object): Promise<void>;
  committedOffsets(): Record<string, Record<number, string>>;
}

interface CommitRequest {
  readonly topics: { topic: string; partitions: { partition: number; offset: string }[] }[];
}

/** A coordinator whose offset commits are answered when the test says so. */
function coordinator() {
  const requests: { payload: CommitRequest; answer: () => void }[] = [];
  return {
    requests,
    broker: {
      isConnected: () => true,
      offsetCommit: (payload: CommitRequest) =>
        new Promise<void>((resolve) => requests.push({ payload, answer: resolve })),
    },
  };
}

function manager(broker: object): OffsetManagerLike {
  return new OffsetManager({
    cluster: { committedOffsets: () => ({}) },
    coordinator: broker,
    memberAssignment: { events: [0, 1, 2] },
    autoCommit: true,
    autoCommitInterval: null,
    autoCommitThreshold: null,
    topicConfigurations: {},
    instrumentationEmitter: { emit: () => undefined },
    groupId: 'group',
    generationId: 1,
    memberId: 'member',
  });
}

const offsetsOf = (r: CommitRequest) =>
  r.topics.flatMap((t) => t.partitions.map((p) => `${t.topic}/${p.partition}@${p.offset}`));
/** Lets every pending promise callback run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("kafkajs's offset commits (patched)", () => {
  it('sends one request for commits made while one is in flight, and each caller returns once its offsets are in', async () => {
    const c = coordinator();
    const m = manager(c.broker);
    m.resolveOffset({ topic: 'events', partition: 0, offset: '9' });
    m.resolveOffset({ topic: 'events', partition: 1, offset: '19' });
    const done: string[] = [];
    const first = m.commitOffsets().then(() => done.push('first'));
    await settle();
    // Two more partitions' batches end while the first commit is in flight: one of them resolved a new offset.
    m.resolveOffset({ topic: 'events', partition: 2, offset: '29' });
    const second = m.commitOffsets().then(() => done.push('second'));
    const third = m.commitOffsets().then(() => done.push('third'));
    await settle();
    expect(c.requests.map((r) => offsetsOf(r.payload))).toEqual([['events/0@10', 'events/1@20']]);

    c.requests[0]!.answer();
    await settle();
    // The first is done; the offset resolved meanwhile goes in one request, not two.
    expect(done).toEqual(['first']);
    expect(c.requests.map((r) => offsetsOf(r.payload))).toEqual([
      ['events/0@10', 'events/1@20'],
      ['events/2@30'],
    ]);
    c.requests[1]!.answer();
    await Promise.all([first, second, third]);
    expect(done.sort()).toEqual(['first', 'second', 'third']);
    expect(c.requests).toHaveLength(2);
    expect(m.committedOffsets()).toEqual({ events: { 0: '10', 1: '20', 2: '30' } });

    // Nothing resolved since: no request at all.
    await m.commitOffsets();
    expect(c.requests).toHaveLength(2);
  });

  it('lets the next commit go after one that failed, with the offsets the failed one did not commit', async () => {
    const requests: CommitRequest[] = [];
    let fail = true;
    const broker = {
      isConnected: () => true,
      offsetCommit: async (payload: CommitRequest) => {
        requests.push(payload);
        if (fail) throw new Error('coordinator unavailable');
      },
    };
    const m = manager(broker);
    m.resolveOffset({ topic: 'events', partition: 0, offset: '4' });
    const failed = m.commitOffsets();
    const next = m.commitOffsets();
    await expect(failed).rejects.toThrow('coordinator unavailable');
    fail = false;
    await next;
    expect(requests.map(offsetsOf)).toEqual([['events/0@5'], ['events/0@5']]);
    expect(m.committedOffsets()).toEqual({ events: { 0: '5' } });
  });

  it('sends offsets given explicitly at once, as before', async () => {
    const c = coordinator();
    const m = manager(c.broker);
    m.resolveOffset({ topic: 'events', partition: 0, offset: '1' });
    void m.commitOffsets();
    void m.commitOffsets({ topics: [{ topic: 'events', partitions: [{ partition: 1, offset: '7' }] }] });
    await settle();
    expect(c.requests.map((r) => offsetsOf(r.payload))).toEqual([['events/0@2'], ['events/1@7']]);
    c.requests.forEach((r) => r.answer());
  });
});
