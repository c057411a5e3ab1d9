export * from './crc';
export * from './errors';
export * from './frame';
export * from './message';
export * from './constants';
export * from './commands';
export * from './emv-tlv';
