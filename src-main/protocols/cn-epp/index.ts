export * from './frame';
export * from './commands';
