/** The Postgres schema this subgraph owns. No other deployable reads or writes its tables. */
export const DB_SCHEMA = 'escalations';
