export * from './schema';
export * from './agent';
