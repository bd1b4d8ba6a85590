import { InflightCalls, NOT_RECORDED } from './inflight';

/** A call the test answers (or fails) when it likes. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('InflightCalls', () => {
  it('makes one call for identical keys in flight and records the joiners once, before they get the answer', async () => {
    const calls = new InflightCalls<string>();
    const answer = deferred<string>();
    let made = 0;
    const recorded: string[][] = [];
    const recording = deferred<void>();
    const record = async (a: string, joiners: readonly string[]) => {
      expect(a).toBe('board');
      recorded.push([...joiners]);
      await recording.promise;
    };
    const call = () => {
      made++;
      return answer.promise;
    };
    const leader = calls.run('k', 'r-1', call, record);
    const j2 = calls.run('k', 'r-2', call, record);
    const j3 = calls.run('k', 'r-3', call, record);
    let joinerAnswered = false;
    void j2.then(() => (joinerAnswered = true));
    answer.resolve('board');
    expect(await leader).toEqual({ role: 'leader', answer: 'board' });
    expect(recorded).toEqual([['r-2', 'r-3']]);
    expect(joinerAnswered).toBe(false);
    recording.resolve();
    expect(await j2).toEqual({ role: 'joiner', answer: 'board' });
    expect(await j3).toEqual({ role: 'joiner', answer: 'board' });
    expect(made).toBe(1);
    expect(calls.size).toBe(0);
  });

  it('gives the joiners NOT_RECORDED, and the leader its answer, when recording fails', async () => {
    const calls = new InflightCalls<string>();
    const answer = deferred<string>();
    const record = () => Promise.reject(new Error('trail down'));
    const leader = calls.run('k', 'r-1', () => answer.promise, record);
    const joiner = calls.run('k', 'r-2', () => answer.promise, record);
    answer.resolve('board');
    expect(await leader).toEqual({ role: 'leader', answer: 'board' });
    expect(await joiner).toEqual({ role: 'joiner', answer: NOT_RECORDED });
  });

  it('does not record when nobody joined', async () => {
    const calls = new InflightCalls<string>();
    const record = jest.fn(() => Promise.resolve());
    expect(await calls.run('k', 'r-1', () => Promise.resolve('board'), record)).toEqual({
      role: 'leader',
      answer: 'board',
    });
    expect(record).not.toHaveBeenCalled();
  });

  it('never shares between different keys, nor with a call that has already answered', async () => {
    const calls = new InflightCalls<string>();
    let made = 0;
    const call = (v: string) => () => {
      made++;
      return Promise.resolve(v);
    };
    const [a, b] = await Promise.all([
      calls.run('alice', 'r-1', call('a')),
      calls.run('bob', 'r-2', call('b')),
    ]);
    expect([a.answer, b.answer]).toEqual(['a', 'b']);
    expect(await calls.run('alice', 'r-3', call('a2'))).toEqual({ role: 'leader', answer: 'a2' });
    expect(made).toBe(3);
  });

  it("fails every sharer with the leader's failure, without recording", async () => {
    const calls = new InflightCalls<string>();
    const answer = deferred<string>();
    const record = jest.fn(() => Promise.resolve());
    const leader = calls.run('k', 'r-1', () => answer.promise, record);
    const joiner = calls.run('k', 'r-2', () => answer.promise, record);
    answer.reject(new Error('SUBGRAPH_UNAVAILABLE'));
    await expect(leader).rejects.toThrow('SUBGRAPH_UNAVAILABLE');
    await expect(joiner).rejects.toThrow('SUBGRAPH_UNAVAILABLE');
    expect(record).not.toHaveBeenCalled();
    expect(calls.size).toBe(0);
  });
});
