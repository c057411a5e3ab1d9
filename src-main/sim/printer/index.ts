// Receipt printer emulator (training mode and tests).
export * from './emulator';
export * from './controls';
