export * from './api';
export * from './errors';
export * from './names';
export * from './wire';
export * from './system-errors';
