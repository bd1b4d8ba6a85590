import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

type SendCallback = (err?: Error) => void;

/**
 * Lets the messages a WebSocket is sent in one turn of the event loop leave in one write to its TCP socket.
 *
 * graphql-ws sends a subscription's results one at a time and waits for each write's callback before it sends
 * the next, so a batch of twenty changes to a board cost twenty system calls per subscriber, the largest part of
 * delivering it. Here the TCP socket is corked on a send and uncorked on the next tick (`process.nextTick`, once the
 * promise jobs already queued have run), and a send is acknowledged at once while the socket's buffer is under its
 * high-water mark: graphql-ws, whose loop runs on promise jobs, then writes the whole batch before the socket is
 * uncorked, and it leaves in one `writev`. (A send made straight from an I/O callback leaves on its own: the tick
 * comes before that callback's promise jobs.) Once the buffer is over the mark (a client that
 * does not read), a send is acknowledged only when its write completes, as before: graphql-ws then stops taking
 * results, and the live hub's queue limit disconnects the client instead of the gateway buffering for it.
 */
export function coalesceSends(ws: WebSocket, socket: Socket): void {
  const send = ws.send.bind(ws) as (data: unknown, options: object, cb?: SendCallback) => void;
  let corked = false;
  const uncork = () => {
    corked = false;
    socket.uncork();
  };
  ws.send = ((data: unknown, options?: object | SendCallback, cb?: SendCallback) => {
    if (typeof options === 'function') {
      cb = options as SendCallback;
      options = {};
    }
    const done = cb;
    if (!done || ws.readyState !== ws.OPEN) return send(data, options ?? {}, done);
    if (!corked) {
      corked = true;
      socket.cork();
      process.nextTick(uncork);
    }
    let acknowledged = false;
    send(data, options ?? {}, (err) => {
      if (!acknowledged) done(err);
    });
    if (!socket.writableNeedDrain) {
      acknowledged = true;
      queueMicrotask(() => done());
    }
  }) as WebSocket['send'];
}
