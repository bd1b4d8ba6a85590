export * from './recorder';
export * from './writer';
export * from './plugin';
export * from './schema';
export * from './migrations';
export * from './purge';
export * from './reader';
export * from './shared-reads';
