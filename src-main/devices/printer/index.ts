// Receipt printer driver: targets, raw two-way connections, status and printing.
export * from './errors';
export * from './target';
export * from './connection';
export * from './printer';
