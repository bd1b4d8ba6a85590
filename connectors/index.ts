export * from './runtime';
export * from './police';
export * from './la-children';
export * from './health';
export * from './education';
export * from './runtime/contract';
