export * from './errors';
export * from './topics';
export * from './identity';
export * from './agencies';
export * from './thresholds';
export * from './events';
export * from './policy';
export * from './demo';
export { eventSchemaDirectory } from './paths';
