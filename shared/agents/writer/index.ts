export * from './schema';
export * from './agent';
export * from './offline';
