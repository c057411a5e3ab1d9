// The in-memory null-modem cable behind training mode, through the real SerialPortStream.
import { SerialPortStream } from '@serialport/stream';
import { describe, expect, it } from 'vitest';
import {
  MemoryBinding,
  createMemoryCable,
  memoryPathExists,
  removeMemoryCable,
} from '../../../../src-main/devices/serial/memory-binding';

function open(path: string): Promise<SerialPortStream> {
  return new Promise((resolve, reject) => {
    const port = new SerialPortStream({ binding: MemoryBinding, path, baudRate: 19200 });
    port.once('open', () => resolve(port));
    port.once('error', reject);
  });
}

function nextData(port: SerialPortStream): Promise<Buffer> {
  return new Promise((resolve) => port.once('data', (chunk: Buffer) => resolve(chunk)));
}

describe('memory serial binding', () => {
  it('carries bytes both ways between the two ends', async () => {
    const { hostPath, devicePath } = createMemoryCable('test-both-ways');
    const host = await open(hostPath);
    const device = await open(devicePath);
    const atDevice = nextData(device);
    host.write(Buffer.from([0x16, 0x4f, 0x50, 0x4e, 0x17]));
    expect(await atDevice).toEqual(Buffer.from([0x16, 0x4f, 0x50, 0x4e, 0x17]));
    const atHost = nextData(host);
    device.write(Buffer.from([0x06]));
    expect(await atHost).toEqual(Buffer.from([0x06]));
    await removeMemoryCable('test-both-ways');
  });

  it('lists its ends and refuses a second opener of the same end', async () => {
    const { hostPath } = createMemoryCable('test-busy');
    expect((await MemoryBinding.list()).map((p) => p.path)).toContain(hostPath);
    await open(hostPath);
    await expect(open(hostPath)).rejects.toThrow(/busy/);
    await removeMemoryCable('test-busy');
  });

  it('closes open ends when the cable is removed, like an unplug', async () => {
    const { hostPath, devicePath } = createMemoryCable('test-unplug');
    const host = await open(hostPath);
    await open(devicePath);
    host.on('data', () => {}); // a driver is always reading
    const closed = new Promise<Error | null>((resolve) =>
      host.once('close', (err: Error | null) => resolve(err)),
    );
    await removeMemoryCable('test-unplug');
    expect((await closed)?.message).toMatch(/unplugged/);
    expect(memoryPathExists(hostPath)).toBe(false);
    await expect(open(devicePath)).rejects.toThrow(/no such port/);
  });
});
