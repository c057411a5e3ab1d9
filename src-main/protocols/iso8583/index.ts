export * from './errors';
export * from './field-spec';
export * from './message';
export * from './packager';
export * from './cup-pos';
export * from './frame';
export * from './balance';
export * from './dump';
