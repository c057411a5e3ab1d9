export * from './errors';
export * from './frame';
export * from './commands';
