export * from './errors';
export * from './port';
export * from './link';
export * from './probe';
export * from './discovery';
export * from './cable';
export * from './sysfs';
