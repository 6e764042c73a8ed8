export * from './schema';
export * from './agent';
export { measurePost, reviewOffline, type Measured } from './offline';
