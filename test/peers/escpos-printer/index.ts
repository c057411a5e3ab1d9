// Clean-room ESC/POS receipt printer peer (see README.md): codec, device model, serial and TCP.
export * from './codec.js';
export * from './printer.js';
export * from './serial.js';
export * from './tcp.js';
