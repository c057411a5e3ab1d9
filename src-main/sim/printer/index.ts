// Receipt printer emulator (training mode and tests).
export * from './emulator';
