export * from './api';
export * from './errors';
export * from './names';
export * from './wire';
