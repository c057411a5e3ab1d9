// Listing serial ports without udev: /sys/class/tty and /dev/serial/by-id read from a fake tree
// laid out as the kernel and udev lay them out, and the notes / errors that say what happened.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SerialDiscovery, listSerialPorts } from '../../../../src-main/devices/serial/discovery';
import { listingError, SerialError } from '../../../../src-main/devices/serial/errors';
import {
  byIdLabel,
  commandOnPath,
  listPortsWithoutUdev,
  readSerialById,
  readSysClassTty,
  type SerialRoots,
} from '../../../../src-main/devices/serial/sysfs';

let top: string;
let roots: SerialRoots;

/** Node's own error for a command that is not installed. */
function spawnEnoent(command: string): Error {
  return Object.assign(new Error(`spawn ${command} ENOENT`), {
    errno: -2,
    code: 'ENOENT',
    syscall: `spawn ${command}`,
    path: command,
  });
}

/** The error a listing fails with (the test fails if it does not). */
async function listingFailure(
  options: Parameters<typeof listSerialPorts>[0],
): Promise<SerialError> {
  const outcome = await listSerialPorts(options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(outcome).toBeInstanceOf(SerialError);
  return outcome as SerialError;
}

function file(p: string, text = ''): void {
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, text);
}

/** /sys/class/tty/<name> -> the tty's directory under /sys/devices, with its `device` link. */
function tty(sys: string, name: string, ttyDir: string, device?: string): void {
  const dir = path.join(sys, 'devices', ttyDir);
  mkdirSync(dir, { recursive: true });
  file(path.join(dir, 'dev'), '188:0\n');
  if (device)
    symlinkSync(path.relative(dir, path.join(sys, 'devices', device)), path.join(dir, 'device'));
  mkdirSync(path.join(sys, 'class', 'tty'), { recursive: true });
  symlinkSync(
    path.relative(path.join(sys, 'class', 'tty'), dir),
    path.join(sys, 'class', 'tty', name),
  );
}

beforeAll(() => {
  top = mkdtempSync(path.join(os.tmpdir(), 'cashier-sysfs-'));
  const sys = path.join(top, 'sys');
  const dev = path.join(top, 'dev');
  roots = {
    sysClassTty: path.join(sys, 'class', 'tty'),
    dev,
    serialById: path.join(dev, 'serial', 'by-id'),
  };
  const usb = 'pci0000:00/0000:00:14.0/usb1';
  // An FTDI cable: USB device 1-2, interface 1-2:1.0, usb-serial port ttyUSB0.
  const ftdi = `${usb}/1-2`;
  file(path.join(sys, 'devices', ftdi, 'idVendor'), '0403\n');
  file(path.join(sys, 'devices', ftdi, 'idProduct'), '6001\n');
  file(path.join(sys, 'devices', ftdi, 'manufacturer'), 'FTDI\n');
  file(path.join(sys, 'devices', ftdi, 'serial'), 'A50285BI\n');
  mkdirSync(path.join(sys, 'devices', ftdi, '1-2:1.0', 'ttyUSB0'), { recursive: true });
  tty(sys, 'ttyUSB0', `${ftdi}/1-2:1.0/ttyUSB0/tty/ttyUSB0`, `${ftdi}/1-2:1.0/ttyUSB0`);
  // A CDC-ACM PIN pad: USB device 1-3, the tty hangs off interface 1-3:1.0 (upper-case ids).
  const pad = `${usb}/1-3`;
  file(path.join(sys, 'devices', pad, 'idVendor'), '0B00\n');
  file(path.join(sys, 'devices', pad, 'idProduct'), '0062\n');
  file(path.join(sys, 'devices', pad, 'manufacturer'), 'Ingenico\n');
  mkdirSync(path.join(sys, 'devices', pad, '1-3:1.0'), { recursive: true });
  tty(sys, 'ttyACM0', `${pad}/1-3:1.0/tty/ttyACM0`, `${pad}/1-3:1.0`);
  // A motherboard UART (16550A), and a reserved 8250 slot with no UART behind it (type 0).
  mkdirSync(path.join(sys, 'devices', 'pnp0/00:04'), { recursive: true });
  tty(sys, 'ttyS0', 'pnp0/00:04/tty/ttyS0', 'pnp0/00:04');
  file(path.join(sys, 'devices', 'pnp0/00:04/tty/ttyS0/type'), '4\n');
  mkdirSync(path.join(sys, 'devices', 'platform/serial8250'), { recursive: true });
  tty(sys, 'ttyS1', 'platform/serial8250/tty/ttyS1', 'platform/serial8250');
  file(path.join(sys, 'devices', 'platform/serial8250/tty/ttyS1/type'), '0\n');
  // Virtual terminals and ptmx have no device link.
  tty(sys, 'tty0', 'virtual/tty/tty0');
  tty(sys, 'ptmx', 'virtual/tty/ptmx');
  // A USB serial port the kernel has but whose node is not in this /dev (a container).
  mkdirSync(path.join(sys, 'devices', `${usb}/1-4/1-4:1.0/ttyUSB1`), { recursive: true });
  tty(sys, 'ttyUSB1', `${usb}/1-4/1-4:1.0/ttyUSB1/tty/ttyUSB1`, `${usb}/1-4/1-4:1.0/ttyUSB1`);

  for (const name of ['ttyUSB0', 'ttyACM0', 'ttyS0', 'ttyS1', 'tty0', 'ptmx']) {
    file(path.join(dev, name));
  }
  mkdirSync(roots.serialById, { recursive: true });
  symlinkSync(
    '../../ttyUSB0',
    path.join(roots.serialById, 'usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0'),
  );
  // Left behind by a cable that was pulled out.
  symlinkSync('../../ttyUSB7', path.join(roots.serialById, 'usb-Prolific_PL2303-if00-port0'));
});

afterAll(() => {
  rmSync(top, { recursive: true, force: true });
});

describe('/sys/class/tty', () => {
  it('lists the real serial devices with their USB identity', async () => {
    expect(await readSysClassTty(roots)).toEqual([
      {
        path: path.join(roots.dev, 'ttyACM0'),
        vendorId: '0b00',
        productId: '0062',
        manufacturer: 'Ingenico',
        serialNumber: undefined,
      },
      { path: path.join(roots.dev, 'ttyS0') },
      {
        path: path.join(roots.dev, 'ttyUSB0'),
        vendorId: '0403',
        productId: '6001',
        manufacturer: 'FTDI',
        serialNumber: 'A50285BI',
      },
    ]);
  });

  it('fails when the folder cannot be read', async () => {
    await expect(
      readSysClassTty({ sysClassTty: path.join(top, 'nothing'), dev: roots.dev }),
    ).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('/dev/serial/by-id', () => {
  it('lists the links whose target exists, named in words', async () => {
    expect(await readSerialById(roots.serialById)).toEqual([
      {
        path: path.join(roots.serialById, 'usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0'),
        target: path.join(roots.dev, 'ttyUSB0'),
        label: 'FTDI FT232R USB UART A50285BI',
      },
    ]);
  });

  it('is empty when there is no such folder', async () => {
    expect(await readSerialById(path.join(top, 'dev', 'serial', 'none'))).toEqual([]);
  });

  it('turns udev names into words', () => {
    expect(byIdLabel('usb-Ingenico_Lane_3000_12345678-if00')).toBe('Ingenico Lane 3000 12345678');
    expect(byIdLabel('usb-1a86_USB2.0-Serial-if00-port0')).toBe('1a86 USB2.0-Serial');
    expect(byIdLabel('usb-Acme\\x20Pads_P1-if01')).toBe('Acme Pads P1');
  });

  it('together with the ttys: the link carries the ids of the tty it points to', async () => {
    const found = await listPortsWithoutUdev(roots);
    expect(found.sources).toEqual([roots.serialById, roots.sysClassTty]);
    expect(found.ports.map((p) => p.path)).toEqual([
      path.join(roots.dev, 'ttyACM0'),
      path.join(roots.dev, 'ttyS0'),
      path.join(roots.dev, 'ttyUSB0'),
      path.join(roots.serialById, 'usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0'),
    ]);
    expect(found.ports[3]).toMatchObject({
      manufacturer: 'FTDI FT232R USB UART A50285BI',
      vendorId: '0403',
      productId: '6001',
      serialNumber: 'A50285BI',
    });
  });
});

describe('listing without udev', () => {
  it('falls back when udevadm is missing, says so, and keeps the extra paths', async () => {
    const extra = path.join(top, 'socat-link');
    file(extra);
    const listing = await listSerialPorts({
      list: () => Promise.reject(spawnEnoent('udevadm')),
      fallback: roots,
      extraPaths: [extra, path.join(top, 'not-there')],
    });
    expect(listing.note).toEqual({
      en: `udev is not installed: ports listed from ${roots.serialById} and ${roots.sysClassTty}`,
      zh: `未安装 udev，已从 ${roots.serialById} 和 ${roots.sysClassTty} 列出串口`,
    });
    const byPath = new Map(listing.ports.map((p) => [p.path, p]));
    expect([...byPath.keys()]).toHaveLength(5);
    expect(byPath.get(path.join(roots.dev, 'ttyACM0'))).toMatchObject({
      hint: 'pinpad-maker',
      source: 'system',
    });
    expect(
      byPath.get(path.join(roots.serialById, 'usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0')),
    ).toMatchObject({ hint: 'usb-serial-bridge', manufacturer: 'FTDI FT232R USB UART A50285BI' });
    expect(byPath.get(extra)).toEqual({ path: extra, source: 'extra' });
  });

  it('names only /sys/class/tty when there are no by-id links', async () => {
    const listing = await listSerialPorts({
      list: () => Promise.reject(spawnEnoent('udevadm')),
      fallback: { ...roots, serialById: path.join(top, 'no-by-id') },
    });
    expect(listing.note).toEqual({
      en: `udev is not installed: ports listed from ${roots.sysClassTty}`,
      zh: `未安装 udev，已从 ${roots.sysClassTty} 列出串口`,
    });
    expect(listing.ports).toHaveLength(3);
  });

  it('falls back when udevadm fails for another reason, and names it', async () => {
    const listing = await listSerialPorts({
      list: () =>
        Promise.reject(new Error('Error listing ports udevadm exited with error code: 2')),
      fallback: roots,
    });
    expect(listing.note?.en).toMatch(
      /^Listing the ports through udev failed \(Error listing ports udevadm exited with error code: 2\): ports listed from /,
    );
    expect(listing.note?.zh).toMatch(/^通过 udev 列出串口失败（.*），已从 .* 列出串口$/);
  });

  it('SerialDiscovery keeps the last note', async () => {
    const discovery = new SerialDiscovery({
      list: () => Promise.reject(spawnEnoent('udevadm')),
      fallback: roots,
      intervalMs: 10_000,
    });
    await discovery.start();
    discovery.stop();
    expect(discovery.note?.zh).toContain('未安装 udev');
    expect(discovery.ports).toHaveLength(4);
  });

  it('says udev is missing (not that a port is missing) when sysfs cannot be read either', async () => {
    const error = await listingFailure({
      list: () => Promise.reject(spawnEnoent('udevadm')),
      fallback: { ...roots, sysClassTty: path.join(top, 'no-sys') },
    });
    expect(error).toMatchObject({ code: 'SERIAL_UDEV_MISSING' });
    const { message, messageZh } = error;
    expect(message).toMatch(/^The serial ports could not be listed: udev is not installed/);
    expect(message).toContain(
      `reading ${path.join(top, 'no-sys')} and ${roots.serialById} instead failed too: ${path.join(top, 'no-sys')} does not exist`,
    );
    expect(messageZh).toMatch(
      /^未安装 udev（找不到 udevadm），改从 .*no-sys 和 .* 读取也失败（.*no-sys 不存在）/,
    );
    expect(messageZh).not.toContain('找不到该串口');
  });

  it('without a fallback, the error names the cause in both languages', async () => {
    const udev = await listingFailure({
      list: () => Promise.reject(spawnEnoent('udevadm')),
      fallback: false,
    });
    expect(udev).toMatchObject({ code: 'SERIAL_UDEV_MISSING', path: 'udevadm' });
    expect(udev.messageZh).toBe(
      '未安装 udev（找不到 udevadm），无法列出串口。请安装 udev（apt-get install udev），或检查 /sys 是否已挂载。',
    );
    expect(udev.message).toMatch(
      /udev is not installed \(udevadm was not found\) \(spawn udevadm ENOENT\)/,
    );

    const denied = await listingFailure({
      list: () =>
        Promise.reject(
          Object.assign(new Error('spawn udevadm EACCES'), {
            code: 'EACCES',
            syscall: 'spawn udevadm',
            path: 'udevadm',
          }),
        ),
      fallback: false,
    });
    expect(denied).toMatchObject({ code: 'SERIAL_LIST_DENIED' });
    expect(denied.message).toMatch(
      /^The serial ports could not be listed: no permission to run udevadm \(spawn udevadm EACCES\)/,
    );
    expect(denied.messageZh).toMatch(
      /^没有运行 udevadm 的权限，无法列出串口。请以有权限的用户运行收银台/,
    );
  });

  // Root reads a folder whatever its mode, so this one needs an ordinary user.
  it.skipIf(process.getuid?.() === 0)(
    'a by-id folder it may not read is a permission problem, in both languages',
    async () => {
      const locked = path.join(top, 'locked-by-id');
      mkdirSync(locked);
      chmodSync(locked, 0o000);
      try {
        const error = await listingFailure({
          list: () => Promise.reject(spawnEnoent('udevadm')),
          fallback: { ...roots, serialById: locked },
        });
        expect(error).toMatchObject({ code: 'SERIAL_LIST_DENIED' });
        expect(error.messageZh).toContain(`没有读取 ${locked} 的权限`);
      } finally {
        chmodSync(locked, 0o755);
      }
    },
  );

  it('a folder it may not read while falling back is a permission problem', () => {
    const denied = Object.assign(
      new Error("EACCES: permission denied, scandir '/dev/serial/by-id'"),
      { errno: -13, code: 'EACCES', syscall: 'scandir', path: '/dev/serial/by-id' },
    );
    const error = listingError(spawnEnoent('udevadm'), denied, [
      '/sys/class/tty',
      '/dev/serial/by-id',
    ]);
    expect(error.code).toBe('SERIAL_LIST_DENIED');
    expect(error.message).toBe(
      'The serial ports could not be listed: udev is not installed (udevadm was not found) ' +
        '(spawn udevadm ENOENT); reading /sys/class/tty and /dev/serial/by-id instead failed ' +
        "too: no permission to read /dev/serial/by-id (EACCES: permission denied, scandir '/dev/serial/by-id'). " +
        'Run the console as a user that may read it, or fix the permissions.',
    );
    expect(error.messageZh).toBe(
      '未安装 udev（找不到 udevadm），改从 /sys/class/tty 和 /dev/serial/by-id 读取也失败' +
        '（没有读取 /dev/serial/by-id 的权限），无法列出串口。请以有权限的用户运行收银台，或修改相应权限。',
    );
  });

  it('classifies errors from elsewhere the same way', () => {
    expect(listingError(spawnEnoent('udevadm')).code).toBe('SERIAL_UDEV_MISSING');
    const other = listingError(new Error('something odd'));
    expect(other).toMatchObject({
      code: 'SERIAL_LIST_FAILED',
      message: 'The serial ports could not be listed: something odd',
      messageZh: '无法列出串口：出错（something odd）',
    });
    // Already classified: passed on as it is.
    expect(listingError(other)).toBe(other);
  });
});

describe('commandOnPath', () => {
  it('finds executables only', async () => {
    const bin = path.join(top, 'bin');
    file(path.join(bin, 'udevadm'));
    chmodSync(path.join(bin, 'udevadm'), 0o755);
    file(path.join(bin, 'plain'));
    chmodSync(path.join(bin, 'plain'), 0o644);
    const searchPath = [path.join(top, 'nowhere'), bin].join(path.delimiter);
    expect(await commandOnPath('udevadm', searchPath)).toBe(true);
    expect(await commandOnPath('plain', searchPath)).toBe(false);
    expect(await commandOnPath('udevadm', path.join(top, 'nowhere'))).toBe(false);
  });
});
