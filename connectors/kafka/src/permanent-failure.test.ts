import { CopyValueError } from '@mash/service-kit';
import { DATA_REFUSED_CODE, NonRetriableError, permanentFailure } from './consumer';

// Which failures of a run the consumer isolates and dead-letters (permanentFailure answers a NonRetriableError) and
// which it retries (null): Postgres refusing a value, and a value the binary COPY encoder refuses as Postgres would.
describe('permanentFailure', () => {
  it('refuses a record Postgres refused (class 22 or 23), leaving the quoted value out of the reason', () => {
    const refused = Object.assign(new Error('invalid input syntax for type uuid: "NHS 123 456 7890"'), {
      code: '22P02',
    });
    const failure = permanentFailure(refused);
    expect(failure).toBeInstanceOf(NonRetriableError);
    expect(failure).toMatchObject({
      code: DATA_REFUSED_CODE,
      message: 'the database refused the record (SQLSTATE 22P02): invalid input syntax for type uuid',
    });
  });

  it('refuses a record whose text UTF-8 cannot carry, as Postgres refuses it inside JSON', () => {
    const failure = permanentFailure(new CopyValueError(3, 9, 'text'));
    expect(failure).toMatchObject({
      code: DATA_REFUSED_CODE,
      message:
        'the database refused the record (SQLSTATE 22021): binary COPY: row 3, column 9 (text) holds an unpaired UTF-16 surrogate',
    });
  });

  it('retries what may clear: an unavailable database, a programming error', () => {
    expect(
      permanentFailure(Object.assign(new Error('the database system is starting up'), { code: '57P03' })),
    ).toBeNull();
    expect(permanentFailure(new TypeError('binary COPY: row 0, column 1 (text) cannot hold 3'))).toBeNull();
    expect(permanentFailure(new Error('connect ECONNREFUSED 127.0.0.1:5432'))).toBeNull();
  });
});
