export * from './schema';
export * from './agent';
export { relevantMemories } from './offline';
