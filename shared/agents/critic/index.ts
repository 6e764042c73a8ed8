export * from './offline';
