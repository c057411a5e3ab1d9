import { afterAll, describe, expect, it } from 'vitest';
import {
  SerialDiscovery,
  describePort,
  diffPorts,
  listPorts,
  listSerialPorts,
  type PortDescriptor,
  type RawPortInfo,
} from '../../../../src-main/devices/serial/discovery';
import { commandOnPath, readSysClassTty } from '../../../../src-main/devices/serial/sysfs';
import { createPtyPair, type PtyPair } from '../../../support/pty';

const base = `/tmp/cashier-discovery-${process.pid}`;
let pty: PtyPair | undefined;

afterAll(async () => {
  await pty?.close();
});

describe('port diffing', () => {
  it('reports added and removed ports, keyed by path and USB identity', () => {
    const a = describePort({ path: '/dev/ttyUSB0', vendorId: '1A86', productId: '7523' });
    const b = describePort({
      path: '/dev/ttyACM0',
      vendorId: '0b00',
      productId: '0062',
      serialNumber: 'X1',
    });
    const bOther = describePort({
      path: '/dev/ttyACM0',
      vendorId: '0b00',
      productId: '0062',
      serialNumber: 'X2',
    });
    expect(a).toEqual({
      path: '/dev/ttyUSB0',
      vendorId: '1a86',
      productId: '7523',
      hint: 'usb-serial-bridge',
      source: 'system',
    });
    expect(b.hint).toBe('pinpad-maker');
    expect(diffPorts([a], [a, b])).toEqual({ added: [b], removed: [] });
    expect(diffPorts([a, b], [a])).toEqual({ added: [], removed: [b] });
    // Same path, another device plugged in: one removed, one added.
    expect(diffPorts([b], [bOther])).toEqual({ added: [bOther], removed: [b] });
  });

  it('polling emits added/removed as the listing changes', async () => {
    let listing: RawPortInfo[] = [{ path: '/dev/ttyS0' }];
    const discovery = new SerialDiscovery({ list: async () => listing, intervalMs: 10_000 });
    const added: PortDescriptor[] = [];
    const removed: PortDescriptor[] = [];
    discovery.on('added', (p) => added.push(p));
    discovery.on('removed', (p) => removed.push(p));
    await discovery.start();
    expect(added.map((p) => p.path)).toEqual(['/dev/ttyS0']);
    listing = [
      { path: '/dev/ttyS0' },
      { path: '/dev/ttyUSB0', vendorId: '067b', productId: '2303' },
    ];
    await discovery.scan();
    expect(added.map((p) => p.path)).toEqual(['/dev/ttyS0', '/dev/ttyUSB0']);
    listing = [{ path: '/dev/ttyUSB0', vendorId: '067b', productId: '2303' }];
    await discovery.scan();
    expect(removed.map((p) => p.path)).toEqual(['/dev/ttyS0']);
    expect(discovery.ports.map((p) => p.path)).toEqual(['/dev/ttyUSB0']);
    discovery.stop();
  });

  it('real SerialPort.list() answers, and a watched pty path comes and goes', async () => {
    const system = await listPorts();
    expect(Array.isArray(system)).toBe(true);
    // SerialPort.list() runs `udevadm info -e` on Linux. Where udev is not installed (a fresh
    // Debian, a container) it cannot answer, so the ports are read from sysfs instead: then
    // the listing must say so, and still list every real port the kernel has.
    if (process.platform === 'linux' && !(await commandOnPath('udevadm'))) {
      const listing = await listSerialPorts();
      expect(listing.note?.en).toMatch(
        /^udev is not installed: ports listed from .*\/sys\/class\/tty$/,
      );
      expect(listing.note?.zh).toMatch(/^未安装 udev，已从 .*\/sys\/class\/tty 列出串口$/);
      const kernel = await readSysClassTty();
      expect(listing.ports.map((p) => p.path)).toEqual(
        expect.arrayContaining(kernel.map((p) => p.path)),
      );
    }
    const hostPath = `${base}-host`;
    const discovery = new SerialDiscovery({ extraPaths: [hostPath], intervalMs: 50 });
    await discovery.start();
    expect(discovery.ports.some((p) => p.path === hostPath)).toBe(false);
    const appeared = new Promise<PortDescriptor>((r) =>
      discovery.on('added', (p) => p.path === hostPath && r(p)),
    );
    pty = await createPtyPair(hostPath, `${base}-dev`);
    expect(await appeared).toEqual({ path: hostPath, source: 'extra' });
    const gone = new Promise<PortDescriptor>((r) =>
      discovery.on('removed', (p) => p.path === hostPath && r(p)),
    );
    await pty.unplug();
    expect((await gone).path).toBe(hostPath);
    discovery.stop();
  });
});
