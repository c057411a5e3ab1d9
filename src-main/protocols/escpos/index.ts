// Pure ESC/POS: command bytes, status decoding, a tokenizer and a plain-text renderer.
export * from './commands';
export * from './status';
export * from './identity';
export * from './parser';
export * from './text-render';
export * from './optimize';
