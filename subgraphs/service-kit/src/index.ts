import 'reflect-metadata';

export * from './logger';
export * from './config';
export * from './errors';
export * from './auth';
export * from './db';
export * from './federation';
export * from './http';
export * from './graphql-client';
export * from './agency-directory';
export * from './context';
export * from './ids';
export * from './lifecycle';
export * from './service-config';
export * from './subgraph-server';
export * from './subgraph-start';
export * from './polling-loop';
