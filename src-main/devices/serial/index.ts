export * from './errors';
export * from './link';
export * from './pty';
export * from './discovery';
export * from './detect';
export * from './cable';
export * from './sysfs';
