import { GraphQLError, type ExecutionResult } from 'graphql';
import { Demo } from '@mash/schema';
import type { Logger } from '@mash/service-kit';
import { LiveHub, type ExecuteAs, type LiveCaller } from './hub';
import type { LiveQuery } from './live-query';

const quiet = { error: () => undefined } as unknown as Logger;

const officer: LiveCaller = {
  identity: {
    subject: 'officer-1',
    partnershipId: Demo.partnershipId,
    agencyId: Demo.agencies.police,
    roles: ['mash-officer'],
  },
  token: 'token',
};

const escalationQuery: LiveQuery = {
  kind: 'escalation',
  rootKey: 'escalationChanged',
  query:
    'query($__escalations: [ID!]!) { escalationChanged: escalationsByIds(ids: $__escalations) { id } ' +
    '__filter: escalationsByIds(ids: $__escalations) { ground stage partnership { id } raisingAgency { id } receivingAgency { id } } }',
  variables: {},
  filter: { partnershipId: Demo.partnershipId },
};

const notificationQuery: LiveQuery = {
  kind: 'notification',
  rootKey: 'notificationReceived',
  query: 'query($__notification: ID!) { notificationReceived: notification(id: $__notification) { id } }',
  variables: {},
};

describe('LiveHub.watches', () => {
  const hub = new LiveHub({
    executeAs: () => Promise.resolve({ data: null }),
    logger: quiet,
  });

  it('says which kinds of change have a subscription open, and none once they close', async () => {
    expect([hub.watches('escalation'), hub.watches('notification')]).toEqual([false, false]);

    const board = hub.subscribe(escalationQuery, officer, () => undefined);
    expect([hub.watches('escalation'), hub.watches('notification')]).toEqual([true, false]);

    const inbox = hub.subscribe(notificationQuery, officer, () => undefined);
    expect([hub.watches('escalation'), hub.watches('notification')]).toEqual([true, true]);

    await board.return?.();
    expect([hub.watches('escalation'), hub.watches('notification')]).toEqual([false, true]);
    await inbox.return?.();
    expect([hub.watches('escalation'), hub.watches('notification')]).toEqual([false, false]);
  });
});

/** The filter facts of an escalation the police raised with the local authority in the demo partnership. */
const facts = (stage: number, partnershipId: string = Demo.partnershipId) => ({
  ground: 'THRESHOLD_DISAGREEMENT',
  stage,
  partnership: { id: partnershipId },
  raisingAgency: { id: Demo.agencies.police },
  receivingAgency: { id: Demo.agencies.laChildren },
});

/** The ids a live resolution was asked for. */
const idsOf = (variables: Record<string, unknown>) => variables['__escalations'] as string[];

/** An answer in which every escalation asked for is visible, at stage 1. */
const allVisible = (variables: Record<string, unknown>) => {
  const ids = idsOf(variables);
  return { escalationChanged: ids.map((id) => ({ id })), __filter: ids.map(() => facts(1)) };
};

const practitioner: LiveCaller = {
  identity: { ...officer.identity, subject: 'practitioner-1', roles: ['practitioner'] },
  token: 'token-2',
};

/** Reads what a subscription has been sent so far, without waiting for more, as its client receives it (JSON). */
async function received(sub: AsyncIterableIterator<ExecutionResult>): Promise<ExecutionResult[]> {
  const out: ExecutionResult[] = [];
  for (;;) {
    const next = await Promise.race([
      sub.next(),
      new Promise<undefined>((r) => setImmediate(() => r(undefined))),
    ]);
    if (!next || next.done) return out;
    out.push(JSON.parse(JSON.stringify(next.value)) as ExecutionResult);
  }
}

/** What a member whose read could not be recorded is sent instead of the change. */
const notSent = {
  errors: [
    {
      message:
        'A change could not be sent to you: your read of it could not be recorded in the audit trail. Reload to see it.',
      extensions: { code: 'INTERNAL', retriable: true },
    },
  ],
};

describe('LiveHub.publish', () => {
  it("resolves a batch's escalations in one execution per group, each once, and sends each visible one that matches", async () => {
    const calls: { variables: Record<string, unknown>; subject: string }[] = [];
    const executeAs: ExecuteAs = (_query, variables, caller) => {
      calls.push({ variables, subject: caller.identity.subject });
      const ids = idsOf(variables);
      if (ids.length === 0) return Promise.resolve({ data: { escalationChanged: [], __filter: [] } });
      // a: visible, with an error in one of its fields; b: refused; c: visible but at stage 3 (filtered out).
      return Promise.resolve({
        data: {
          escalationChanged: [{ id: 'a', owner: null }, null, { id: 'c' }],
          __filter: [facts(1), null, facts(3)],
        },
        errors: [
          { message: 'contacts did not answer', path: ['escalationChanged', 0, 'owner'] },
          { message: 'No need-to-know', path: ['escalationChanged', 1] },
          { message: 'No need-to-know', path: ['__filter', 1] },
        ],
      });
    };
    const hub = new LiveHub({ executeAs, logger: quiet });
    const sub = hub.subscribe(
      { ...escalationQuery, filter: { partnershipId: Demo.partnershipId, stages: [1, 2] } },
      officer,
      () => undefined,
    );
    await hub.publish([
      { id: 'e1', escalationId: 'a', partnershipId: Demo.partnershipId },
      { id: 'e2', escalationId: 'b', partnershipId: Demo.partnershipId },
      { id: 'e3', escalationId: 'a', partnershipId: Demo.partnershipId },
      { id: 'e4', escalationId: 'c', partnershipId: Demo.partnershipId },
      { id: 'e5', escalationId: 'x', partnershipId: 'another-partnership' },
    ]);
    // The plan is made when the group opens (an empty batch), then one execution for the whole batch.
    expect(calls).toEqual([
      { variables: { __escalations: [] }, subject: 'officer-1' },
      { variables: { __escalations: ['a', 'b', 'c'] }, subject: 'officer-1' },
    ]);
    expect(await received(sub)).toEqual([
      {
        data: { escalationChanged: { id: 'a', owner: null } },
        errors: [{ message: 'contacts did not answer', path: ['escalationChanged', 'owner'] }],
      },
    ]);
  });

  it('sends errors that belong to no one escalation with every escalation sent', async () => {
    const hub = new LiveHub({
      executeAs: (_q, variables) =>
        Promise.resolve({
          data: allVisible(variables),
          errors: [{ message: 'a subgraph was unavailable' }],
        }),
      logger: quiet,
    });
    const sub = hub.subscribe(escalationQuery, officer, () => undefined);
    await hub.publish([
      { id: 'e1', escalationId: 'a', partnershipId: Demo.partnershipId },
      { id: 'e2', escalationId: 'b', partnershipId: Demo.partnershipId },
    ]);
    expect(await received(sub)).toEqual(
      ['a', 'b'].map((id) => ({
        data: { escalationChanged: { id } },
        errors: [{ message: 'a subgraph was unavailable' }],
      })),
    );
  });

  it('asks for at most BY_IDS_LIMIT escalations in one execution', async () => {
    const sizes: number[] = [];
    const hub = new LiveHub({
      executeAs: (_q, variables) => {
        sizes.push(idsOf(variables).length);
        return Promise.resolve({ data: allVisible(variables) });
      },
      logger: quiet,
    });
    const sub = hub.subscribe(escalationQuery, officer, () => undefined);
    const ids = Array.from({ length: 250 }, (_, i) => `esc-${i}`);
    await hub.publish(
      ids.map((escalationId, i) => ({ id: `e${i}`, escalationId, partnershipId: Demo.partnershipId })),
    );
    expect(sizes).toEqual([0, 100, 100, 50]);
    expect((await received(sub)).map((r) => (r.data!['escalationChanged'] as { id: string }).id)).toEqual(
      ids,
    );
  });

  it('lets the first execution of a query plan it alone: the other scopes with the same selection wait for it', async () => {
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const hub = new LiveHub({
      executeAs: async (_q, variables, caller) => {
        const ids = idsOf(variables);
        log.push(`start ${caller.identity.subject} [${ids.join(',')}]`);
        if (ids.length === 0) await gate;
        log.push(`end ${caller.identity.subject} [${ids.join(',')}]`);
        return { data: allVisible(variables) };
      },
      logger: quiet,
    });
    const officers = hub.subscribe(escalationQuery, officer, () => undefined);
    const practitioners = hub.subscribe(escalationQuery, practitioner, () => undefined);
    const published = hub.publish([{ id: 'e1', escalationId: 'a', partnershipId: Demo.partnershipId }]);
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual(['start officer-1 []']);
    release();
    await published;
    expect(log).toEqual([
      'start officer-1 []',
      'end officer-1 []',
      'start officer-1 [a]',
      'end officer-1 [a]',
      'start practitioner-1 [a]',
      'end practitioner-1 [a]',
    ]);
    expect(await received(officers)).toHaveLength(1);
    expect(await received(practitioners)).toHaveLength(1);
  });
});

describe('a subscriber that does not read', () => {
  it('is sent a whole batch however long, and disconnected when a batch comes while it still holds queueLimit unread', async () => {
    const hub = new LiveHub({
      executeAs: (_q, variables) => Promise.resolve({ data: allVisible(variables) }),
      logger: quiet,
      queueLimit: 2,
    });
    let overflowed = 0;
    const sub = hub.subscribe(escalationQuery, officer, () => overflowed++);
    const batch = (...ids: string[]) =>
      hub.publish(
        ids.map((escalationId) => ({ id: escalationId, escalationId, partnershipId: Demo.partnershipId })),
      );
    await batch('a', 'b', 'c');
    expect(overflowed).toBe(0);
    await batch('d');
    expect(overflowed).toBe(1);
    expect(hub.subscriberCount).toBe(0);
    expect(await sub.next()).toEqual({ value: undefined, done: true });
  });
});

describe('a group of several people', () => {
  const officerB: LiveCaller = {
    identity: { ...officer.identity, subject: 'officer-2' },
    token: 'token-b',
  };
  const officerC: LiveCaller = {
    identity: { ...officer.identity, subject: 'officer-3' },
    token: 'token-c',
  };
  const visible: ExecuteAs = (_q, variables, caller) => {
    const ids = idsOf(variables);
    return Promise.resolve({
      data: allVisible(variables),
      requestId: `request-of-${caller.identity.subject}-${ids.join(',')}`,
      auditedReads: ids.length > 0 ? ['escalations'] : [],
    });
  };
  const one = [{ id: 'e1', escalationId: 'a', partnershipId: Demo.partnershipId }];

  it('runs as the longest-subscribed member and sends the others what it read once their reads are recorded, each person once', async () => {
    const recorded: { requestId: string; ranAs: string; readers: string[] }[] = [];
    const ranAs: string[] = [];
    const hub = new LiveHub({
      executeAs: (q, v, caller) => {
        ranAs.push(caller.identity.subject);
        return visible(q, v, caller);
      },
      recordReaders: (resolution, readers) => {
        recorded.push({
          requestId: resolution.requestId,
          ranAs: resolution.caller.identity.subject,
          readers: readers.map((r) => r.token),
        });
        // officer C's token is refused (it ran out, say): nothing recorded for C, so C is sent nothing.
        return Promise.resolve(new Set(readers.filter((r) => r.token === 'token-c').map((r) => r.requestId)));
      },
      logger: quiet,
    });
    const a1 = hub.subscribe(escalationQuery, officer, () => undefined);
    const a2 = hub.subscribe(escalationQuery, officer, () => undefined);
    const b1 = hub.subscribe(escalationQuery, officerB, () => undefined);
    const b2 = hub.subscribe(escalationQuery, officerB, () => undefined);
    const c = hub.subscribe(escalationQuery, officerC, () => undefined);
    await hub.publish(one);

    expect(ranAs).toEqual(['officer-1', 'officer-1']);
    expect(recorded).toEqual([
      { requestId: 'request-of-officer-1-a', ranAs: 'officer-1', readers: ['token-b', 'token-c'] },
    ]);
    const sent = [{ data: { escalationChanged: { id: 'a' } } }];
    expect(await received(a1)).toEqual(sent);
    expect(await received(a2)).toEqual(sent);
    expect(await received(b1)).toEqual(sent);
    expect(await received(b2)).toEqual(sent);
    expect(await received(c)).toEqual([notSent]);

    // Once officer 1 has gone, the query runs as officer 2, the longest-subscribed member left.
    await a1.return?.();
    await a2.return?.();
    await hub.publish(one);
    expect(ranAs.at(-1)).toBe('officer-2');
    expect(recorded.at(-1)).toEqual({
      requestId: 'request-of-officer-2-a',
      ranAs: 'officer-2',
      readers: ['token-c'],
    });
  });

  it('ends a member whose token has run out, and runs as the longest-subscribed member whose token has not', async () => {
    const ranAs: string[] = [];
    const hub = new LiveHub({
      executeAs: (q, v, caller) => {
        ranAs.push(caller.identity.subject);
        return visible(q, v, caller);
      },
      recordReaders: () => Promise.resolve(new Set()),
      logger: quiet,
    });
    const lapsing = hub.subscribe(
      escalationQuery,
      { ...officer, expiresAtMs: Date.now() + 50 },
      () => undefined,
    );
    const b = hub.subscribe(escalationQuery, officerB, () => undefined);
    await new Promise((r) => setTimeout(r, 60));
    await hub.publish(one);
    expect(ranAs).toEqual(['officer-1', 'officer-2']);
    expect(await lapsing.next()).toEqual({ value: undefined, done: true });
    expect(await received(b)).toEqual([{ data: { escalationChanged: { id: 'a' } } }]);
    expect(hub.subscriberCount).toBe(1);
  });

  it('sends only the person it ran as when the others’ reads cannot be recorded', async () => {
    const errors: unknown[] = [];
    const hub = new LiveHub({
      executeAs: visible,
      recordReaders: () => Promise.reject(new Error('escalations did not record the shared reads')),
      logger: { error: (o: unknown) => errors.push(o) } as unknown as Logger,
    });
    const a = hub.subscribe(escalationQuery, officer, () => undefined);
    const b = hub.subscribe(escalationQuery, officerB, () => undefined);
    await hub.publish(one);
    expect(await received(a)).toEqual([{ data: { escalationChanged: { id: 'a' } } }]);
    expect(await received(b)).toEqual([notSent]);
    expect(errors).toHaveLength(1);
  });

  it('records nothing when the resolution read from no audited subgraph', async () => {
    let calls = 0;
    const hub = new LiveHub({
      executeAs: async (q, v, caller) => ({ ...(await visible(q, v, caller)), auditedReads: [] }),
      recordReaders: () => {
        calls++;
        return Promise.resolve(new Set());
      },
      logger: quiet,
    });
    const a = hub.subscribe(escalationQuery, officer, () => undefined);
    const b = hub.subscribe(escalationQuery, officerB, () => undefined);
    await hub.publish(one);
    expect(calls).toBe(0);
    expect(await received(a)).toHaveLength(1);
    expect(await received(b)).toHaveLength(1);
  });
});

describe('the errors a subscriber is sent', () => {
  it('are GraphQLErrors without the locations of the query the hub ran (graphql-ws serialises each with toJSON)', async () => {
    const hub = new LiveHub({
      executeAs: (_q, variables) =>
        Promise.resolve({
          data: allVisible(variables),
          errors: [{ message: 'contacts did not answer', locations: [{ line: 3, column: 5 }] }],
        }),
      logger: quiet,
    });
    const sub = hub.subscribe(escalationQuery, officer, () => undefined);
    await hub.publish([{ id: 'e1', escalationId: 'a', partnershipId: Demo.partnershipId }]);
    const next = await sub.next();
    const error = next.value!.errors![0]!;
    expect(error).toBeInstanceOf(GraphQLError);
    expect(error.toJSON()).toEqual({ message: 'contacts did not answer' });
  });
});
