/** The Postgres schema the cases subgraph owns. */
export const SCHEMA = 'cases';
