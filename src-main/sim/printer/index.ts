// Receipt printer emulator (training mode and tests).
export * from './emulator';
export * from './control';
export type { SerialAddress, TcpAddress } from '../simulator';
