export * from './client';
export * from './retry';
export * from './topics';
export * from './producer';
export * from './consumer';
export * from './outbox';
export * from './dead-letter';
export * from './json-error';
