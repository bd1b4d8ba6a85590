/**
 * Identical calls in flight at once share one: the first caller (the leader) makes the call, and callers that
 * arrive with the same key before it completes (joiners) wait for its answer instead of calling again.
 *
 * Where reads must be recorded per caller, `recordJoiners` is handed the leader's answer and the joiners (their
 * request ids, or whatever the caller identifies them by) once the call has completed (no one can join it any more), and no joiner gets the answer before it has
 * finished. If it fails, every joiner gets `NOT_RECORDED` instead of the answer; the leader, whose own read the
 * called service recorded, gets its answer as soon as it arrives. Plain functions: no transport, no framework.
 */

/** What a joiner gets when its read could not be recorded: no answer. */
export const NOT_RECORDED = Symbol('not recorded');

export type Shared<A> =
  | { readonly role: 'leader'; readonly answer: A }
  | { readonly role: 'joiner'; readonly answer: A | typeof NOT_RECORDED };

interface Call<A, J> {
  readonly joiners: J[];
  /** The leader's answer, once the joiners' reads are recorded (or NOT_RECORDED). */
  forJoiners: Promise<A | typeof NOT_RECORDED>;
}

export type RecordJoiners<A, J> = (answer: A, joiners: readonly J[]) => Promise<void>;

export class InflightCalls<A, J = string> {
  private readonly calls = new Map<string, Call<A, J>>();

  /** Calls in flight now (tests and metrics). */
  get size(): number {
    return this.calls.size;
  }

  /** Whether a call with this key is in flight (a `run` with it now would join it). */
  has(key: string): boolean {
    return this.calls.has(key);
  }

  /**
   * Runs `call` unless an identical one (same key) is in flight, in which case this request joins it. A failed
   * call fails every caller that shared it.
   */
  async run(
    key: string,
    joiner: J,
    call: () => Promise<A>,
    recordJoiners?: RecordJoiners<A, J>,
  ): Promise<Shared<A>> {
    const pending = this.calls.get(key);
    if (pending) {
      pending.joiners.push(joiner);
      return { role: 'joiner', answer: await pending.forJoiners };
    }
    const entry: Call<A, J> = { joiners: [], forJoiners: Promise.resolve(NOT_RECORDED) };
    this.calls.set(key, entry);
    let answered: Promise<A>;
    try {
      answered = call();
    } catch (err) {
      answered = Promise.reject(err);
    }
    // Once answered, the call takes no more joiners: later identical calls start their own.
    const settled = answered.finally(() => this.calls.delete(key));
    entry.forJoiners = settled.then(async (answer) => {
      if (!recordJoiners || entry.joiners.length === 0) return answer;
      try {
        await recordJoiners(answer, [...entry.joiners]);
        return answer;
      } catch {
        return NOT_RECORDED;
      }
    });
    // Nobody may have joined: the leader's own failure is reported to the leader below, not as unhandled.
    entry.forJoiners.catch(() => undefined);
    return { role: 'leader', answer: await settled };
  }
}
