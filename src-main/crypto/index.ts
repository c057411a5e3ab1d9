export * from './errors';
export * from './des';
export * from './sm4';
export * from './kcv';
export * from './pin-block';
export * from './mac';
export * from './working-keys';
