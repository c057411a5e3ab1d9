export * from './config';
export * from './control';
export * from './faults';
export * from './logic';
export * from './server';
