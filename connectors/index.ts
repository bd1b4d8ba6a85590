export * from './runtime';
export * from './police';
export * from './la-children';
export * from './la-adults';
export * from './health';
export * from './education';
export * from './runtime/contract';
