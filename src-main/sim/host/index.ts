export * from './config';
export * from './faults';
export * from './logic';
export * from './server';
