export * from './config';
export * from './context';
export * from './server';
