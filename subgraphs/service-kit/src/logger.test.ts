import { Writable } from 'node:stream';
import { createLogger } from './logger';

/** A destination that keeps what was logged. */
function collector() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return { lines, stream };
}

describe('the logger', () => {
  const saved = process.env['LOG_LEVEL'];
  afterEach(() => {
    if (saved === undefined) delete process.env['LOG_LEVEL'];
    else process.env['LOG_LEVEL'] = saved;
  });

  it('logs at info unless given a level, whatever LOG_LEVEL says', () => {
    process.env['LOG_LEVEL'] = 'error';
    const { lines, stream } = collector();
    const logger = createLogger('agencies', { destination: stream });
    expect(logger.level).toBe('info');
    logger.debug('not written');
    logger.info('written');
    expect(lines.map((l) => [l['service'], l['msg']])).toEqual([['agencies', 'written']]);
  });

  it('takes its level as a string or in the options', () => {
    process.env['LOG_LEVEL'] = 'trace';
    expect(createLogger('cases', 'warn').level).toBe('warn');
    expect(createLogger('cases', { level: 'debug' }).level).toBe('debug');
  });
});
