// A null-modem cable in memory, as a `serialport` binding: training mode connects the PIN pad
// driver to the in-process emulator through it, so it works on any PC with no socat, no pty
// and no hardware. Everything above the binding (SerialPortStream, framing, retries, timeouts)
// is the same code that drives a real port.
import type {
  BindingInterface,
  BindingPortInterface,
  OpenOptions,
  PortInfo,
  PortStatus,
} from '@serialport/bindings-interface';

const PREFIX = 'memory:';

interface Cable {
  /** Bytes waiting to be read at each end. */
  queues: [Buffer[], Buffer[]];
  /** A read parked at each end until bytes arrive. */
  waiters: [(() => void) | undefined, (() => void) | undefined];
  open: [MemoryPort | undefined, MemoryPort | undefined];
}

const cables = new Map<string, Cable>();

function canceled(message: string): Error & { canceled: true } {
  return Object.assign(new Error(message), { canceled: true as const });
}

/** A failure with the errno code a real port's would carry (ENOENT, EBUSY, EIO). */
function errno(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}

/** Creates a cable named `name`; returns the paths of its two ends. */
export function createMemoryCable(name: string): { hostPath: string; devicePath: string } {
  if (!/^[\w-]+$/.test(name)) throw new Error(`bad cable name: ${name}`);
  cables.set(name, {
    queues: [[], []],
    waiters: [undefined, undefined],
    open: [undefined, undefined],
  });
  return { hostPath: `${PREFIX}${name}/host`, devicePath: `${PREFIX}${name}/device` };
}

/** Unplugs the cable: open ends fail their reads, and it can no longer be opened. */
export async function removeMemoryCable(name: string): Promise<void> {
  const cable = cables.get(name);
  cables.delete(name);
  for (const port of cable?.open ?? []) port?.unplug();
}

export function isMemoryPath(path: string): boolean {
  return path.startsWith(PREFIX);
}

export function memoryPathExists(path: string): boolean {
  const match = /^memory:([\w-]+)\/(host|device)$/.exec(path);
  return !!match && cables.has(match[1]!);
}

class MemoryPort implements BindingPortInterface {
  isOpen = true;
  private unplugged = false;
  constructor(
    readonly openOptions: Required<OpenOptions>,
    private readonly cable: Cable,
    private readonly end: 0 | 1,
  ) {}

  private get other(): 0 | 1 {
    return this.end === 0 ? 1 : 0;
  }

  async close(): Promise<void> {
    if (!this.isOpen) return;
    this.isOpen = false;
    this.cable.open[this.end] = undefined;
    this.cable.queues[this.end] = [];
    this.cable.waiters[this.end]?.();
  }

  /** The cable went away: a pending read fails with a plain error, which SerialPortStream
   *  reports as a disconnection (a `canceled` one would look like our own close). */
  unplug(): void {
    // Stay "open" until SerialPortStream closes us after the failed read; if we closed
    // first, it would take the read error for an ordinary close and say nothing.
    this.unplugged = true;
    this.cable.waiters[this.end]?.();
  }

  async read(buffer: Buffer, offset: number, length: number) {
    while (this.isOpen && !this.unplugged && this.cable.queues[this.end].length === 0) {
      await new Promise<void>((resolve) => (this.cable.waiters[this.end] = resolve));
      this.cable.waiters[this.end] = undefined;
    }
    if (this.unplugged) throw errno('EIO', 'device unplugged');
    if (!this.isOpen) throw canceled('port closed');
    const queue = this.cable.queues[this.end];
    const chunk = queue[0]!;
    const n = Math.min(length, chunk.length);
    chunk.copy(buffer, offset, 0, n);
    if (n === chunk.length) queue.shift();
    else queue[0] = chunk.subarray(n);
    return { buffer, bytesRead: n };
  }

  async write(buffer: Buffer): Promise<void> {
    if (this.unplugged) throw errno('EIO', 'device unplugged');
    if (!this.isOpen) throw canceled('port closed');
    // Bytes sent while nobody listens at the far end are lost, as on a real line.
    if (!this.cable.open[this.other]) return;
    this.cable.queues[this.other].push(Buffer.from(buffer));
    this.cable.waiters[this.other]?.();
  }

  async update(): Promise<void> {}
  async set(): Promise<void> {}
  async get(): Promise<PortStatus> {
    return { cts: true, dsr: true, dcd: true };
  }
  async getBaudRate(): Promise<{ baudRate: number }> {
    return { baudRate: this.openOptions.baudRate };
  }
  async flush(): Promise<void> {
    this.cable.queues[this.end] = [];
  }
  async drain(): Promise<void> {}
}

export const MemoryBinding: BindingInterface<MemoryPort> = {
  async list(): Promise<PortInfo[]> {
    return [...cables.keys()].flatMap((name) =>
      (['host', 'device'] as const).map((end) => ({
        path: `${PREFIX}${name}/${end}`,
        manufacturer: 'Cashier Console (training)',
        serialNumber: undefined,
        pnpId: undefined,
        locationId: undefined,
        productId: undefined,
        vendorId: undefined,
      })),
    );
  },
  async open(options: OpenOptions): Promise<MemoryPort> {
    const match = /^memory:([\w-]+)\/(host|device)$/.exec(options.path);
    const cable = match ? cables.get(match[1]!) : undefined;
    if (!match || !cable) throw errno('ENOENT', `no such port: ${options.path}`);
    const end = match[2] === 'host' ? 0 : 1;
    if (cable.open[end]) throw errno('EBUSY', `port busy: ${options.path}`);
    const full: Required<OpenOptions> = {
      dataBits: 8,
      lock: true,
      stopBits: 1,
      parity: 'none',
      rtscts: false,
      xon: false,
      xoff: false,
      xany: false,
      hupcl: true,
      ...options,
    };
    const port = new MemoryPort(full, cable, end);
    cable.open[end] = port;
    return port;
  },
};
