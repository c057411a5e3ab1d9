// How a serial failure is read: by the binding's errno `code` wherever the error has one, and
// only for a message with no code by its words (the native binding's open errors are text
// built from strerror()): one case per rule. The SerialError keeps the binding's error as cause.
import { describe, expect, it } from 'vitest';
import {
  createMemoryCablePair,
  listingError,
  openFailure,
  openFailureCode,
  SerialError,
  SerialLink,
} from '../../../../src-main/devices/serial';

const errno = (code: string, message = `${code}: something`) =>
  Object.assign(new Error(message), { code });

describe('opening a port', () => {
  it.each([
    ['ENOENT', 'SERIAL_PORT_MISSING'],
    ['ENODEV', 'SERIAL_PORT_MISSING'],
    ['ENXIO', 'SERIAL_PORT_MISSING'],
    ['EACCES', 'SERIAL_ACCESS_DENIED'],
    ['EPERM', 'SERIAL_ACCESS_DENIED'],
    ['EBUSY', 'SERIAL_PORT_BUSY'],
    ['EAGAIN', 'SERIAL_PORT_BUSY'],
    ['EIO', 'SERIAL_OPEN_FAILED'],
  ])('errno %s is %s', (code, expected) => {
    expect(openFailureCode(errno(code))).toBe(expected);
  });

  it('the code decides, whatever the words say', () => {
    expect(openFailureCode(errno('EIO', 'Permission denied, cannot open'))).toBe(
      'SERIAL_OPEN_FAILED',
    );
    expect(openFailureCode(errno('EACCES', 'No such file or directory'))).toBe(
      'SERIAL_ACCESS_DENIED',
    );
  });

  // The last resort: serialport's native binding (bindings-cpp) gives text only.
  it.each([
    ['Error: No such file or directory, cannot open /dev/ttyUSB9', 'SERIAL_PORT_MISSING'],
    ['Error: No such device, cannot open /dev/ttyUSB9', 'SERIAL_PORT_MISSING'],
    ['Opening COM9: File not found', 'SERIAL_PORT_MISSING'],
    ['spawn ENOENT', 'SERIAL_PORT_MISSING'],
    ['Error: Permission denied, cannot open /dev/ttyS0', 'SERIAL_ACCESS_DENIED'],
    ['Opening COM3: Access denied', 'SERIAL_ACCESS_DENIED'],
    ['Error: Operation not permitted, cannot open /dev/ttyS0', 'SERIAL_ACCESS_DENIED'],
    ['Error Resource temporarily unavailable Cannot lock port', 'SERIAL_PORT_BUSY'],
    ['Error: Device or resource busy, cannot open /dev/ttyS0', 'SERIAL_PORT_BUSY'],
    ['Error: Input/output error, cannot open /dev/ttyS0', 'SERIAL_OPEN_FAILED'],
  ])('a message with no code, %j, is %s', (message, expected) => {
    expect(openFailureCode(new Error(message))).toBe(expected);
  });

  it('the SerialError names the port in both languages and keeps the binding error', () => {
    const cause = errno('EBUSY', 'port busy: /dev/ttyS0');
    const err = openFailure(cause, '/dev/ttyS0');
    expect(err).toBeInstanceOf(SerialError);
    expect(err).toMatchObject({
      code: 'SERIAL_PORT_BUSY',
      path: '/dev/ttyS0',
      messageZh: '该串口正被其他程序占用',
    });
    expect(err.message).toContain('/dev/ttyS0');
    expect(err.message).toContain('port busy');
    expect(err.cause).toBe(cause);
    expect(openFailure(err, '/dev/other')).toBe(err);
  });

  it('a memory cable end already open is busy (EBUSY from the binding), read by its code', async () => {
    const pair = createMemoryCablePair('serial-errors-busy');
    const first = new SerialLink({ path: pair.hostPath, baudRate: 9600, reopen: false });
    const second = new SerialLink({ path: pair.hostPath, baudRate: 9600, reopen: false });
    try {
      await first.open();
      const err = await second.open().catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'SERIAL_PORT_BUSY' });
      expect((err as SerialError).cause).toMatchObject({ code: 'EBUSY' });
    } finally {
      await first.close();
      await pair.close();
    }
  });
});

describe('listing the ports', () => {
  it('by the errno fields of a failed spawn', () => {
    const spawn = Object.assign(new Error('spawn udevadm ENOENT'), {
      code: 'ENOENT',
      path: 'udevadm',
      syscall: 'spawn udevadm',
    });
    expect(listingError(spawn).code).toBe('SERIAL_UDEV_MISSING');
    const denied = Object.assign(new Error('spawn udevadm EACCES'), {
      code: 'EACCES',
      path: 'udevadm',
      syscall: 'spawn udevadm',
    });
    expect(listingError(denied).code).toBe('SERIAL_LIST_DENIED');
  });

  it('a code other than ENOENT or EACCES is a listing failure, whatever the words', () => {
    const odd = Object.assign(new Error('udevadm: Permission denied'), { code: 'EIO' });
    expect(listingError(odd).code).toBe('SERIAL_LIST_FAILED');
  });

  // The last resort: serialport's own listing errors carry only words.
  it.each([
    ['spawn udevadm ENOENT', 'SERIAL_UDEV_MISSING'],
    ['udevadm: not found', 'SERIAL_UDEV_MISSING'],
    ['udevadm: Permission denied', 'SERIAL_LIST_DENIED'],
    ['Error listing ports udevadm exited with error code: 1', 'SERIAL_LIST_FAILED'],
  ])('a message with no code, %j, is %s', (message, expected) => {
    const err = listingError(new Error(message));
    expect(err.code).toBe(expected);
    expect(err.messageZh).toMatch(/[\u4e00-\u9fff]/);
    expect(err.cause).toBeInstanceOf(Error);
  });
});
