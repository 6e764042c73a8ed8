export * from './schema';
export * from './agent';
export { parseHandle } from './offline';
