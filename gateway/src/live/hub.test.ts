import { Demo } from '@mash/schema';
import type { Logger } from '@mash/service-kit';
import { LiveHub, type LiveCaller } from './hub';
import type { LiveQuery } from './live-query';

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
  query: 'query($__escalation: ID!) { escalationChanged: escalation(id: $__escalation) { id } }',
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
    logger: { error: () => undefined } as unknown as Logger,
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
