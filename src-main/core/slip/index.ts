// Balance slip and printer test page: data in, ESC/POS bytes and SVG preview out.
export * from './types';
export * from './errors';
export * from './format';
export * from './labels';
export * from './layout';
export * from './templates';
export * from './render';
export * from './sample';
