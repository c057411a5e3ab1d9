// Serial port discovery for the installing engineer: poll SerialPort.list(), diff against the
// previous answer, report ports that appeared or went away (Odoo IoT box style). Paths that
// list() cannot see (ptys, /dev/serial/by-id links, a configured path) are checked directly.
// On Linux list() needs udev (it runs `udevadm info -e`); without it, or when it fails, the
// ports are read from /sys/class/tty and /dev/serial/by-id, and the listing says so.
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { realPorts } from './port';
import type { Bilingual } from '../../contract';
import { fallbackNote, listingError } from './errors';
import {
  commandOnPath,
  listPortsWithoutUdev,
  SYSTEM_ROOTS,
  type RawPortInfo,
  type SerialRoots,
} from './sysfs';

export type { RawPortInfo };

export interface PortDescriptor {
  path: string;
  manufacturer?: string;
  serialNumber?: string;
  /** USB vendor / product id, lower-case hex, when the port is a USB device. */
  vendorId?: string;
  productId?: string;
  /** What the VID suggests: a PIN pad maker, a USB-serial bridge chip, or nothing known. */
  hint?: 'pinpad-maker' | 'usb-serial-bridge';
  source: 'system' | 'extra';
}

/** Vendor ids worth a hint in the pick list. Bridges are common inside counter PIN pads. */
const VENDOR_HINTS: Record<string, PortDescriptor['hint']> = {
  '0b00': 'pinpad-maker', // Ingenico
  '11ca': 'pinpad-maker', // Verifone
  '0403': 'usb-serial-bridge', // FTDI
  '067b': 'usb-serial-bridge', // Prolific
  '1a86': 'usb-serial-bridge', // WCH CH340
  '10c4': 'usb-serial-bridge', // Silicon Labs CP210x
};

export function describePort(
  info: RawPortInfo,
  source: PortDescriptor['source'] = 'system',
): PortDescriptor {
  const out: PortDescriptor = { path: info.path, source };
  if (info.manufacturer) out.manufacturer = info.manufacturer;
  if (info.serialNumber) out.serialNumber = info.serialNumber;
  if (info.vendorId) out.vendorId = info.vendorId.toLowerCase();
  if (info.productId) out.productId = info.productId.toLowerCase();
  const hint = out.vendorId ? VENDOR_HINTS[out.vendorId] : undefined;
  if (hint) out.hint = hint;
  return out;
}

/** Identity of a port across polls: the path plus the USB identity when there is one. */
function portKey(p: PortDescriptor): string {
  return `${p.path}|${p.vendorId ?? ''}|${p.productId ?? ''}|${p.serialNumber ?? ''}`;
}

export function diffPorts(
  before: readonly PortDescriptor[],
  after: readonly PortDescriptor[],
): { added: PortDescriptor[]; removed: PortDescriptor[] } {
  const was = new Set(before.map(portKey));
  const now = new Set(after.map(portKey));
  return {
    added: after.filter((p) => !was.has(portKey(p))),
    removed: before.filter((p) => !now.has(portKey(p))),
  };
}

export interface DiscoveryOptions {
  intervalMs?: number;
  /** Source of system ports; SerialPort.list() by default (on Linux only when udevadm exists). */
  list?: () => Promise<RawPortInfo[]>;
  /** Extra paths to watch by existence (ptys, by-id links, configured paths). */
  extraPaths?: readonly string[];
  /**
   * Where to read the ports when `list` fails: /sys/class/tty and /dev/serial/by-id by default
   * on Linux (other roots for tests), `false` for no fallback. Off by default elsewhere.
   */
  fallback?: Partial<SerialRoots> | false;
}

export type ListOptions = Pick<DiscoveryOptions, 'list' | 'extraPaths' | 'fallback'>;

export interface PortListing {
  ports: PortDescriptor[];
  /** Said when the ports were listed another way than asked (without udev), and why. */
  note: Bilingual | null;
}

/** SerialPort.list(), except on Linux without udevadm, where it could only fail to spawn it. */
async function systemList(): Promise<RawPortInfo[]> {
  if (process.platform === 'linux' && !(await commandOnPath('udevadm'))) {
    throw Object.assign(new Error('spawn udevadm ENOENT (udevadm is not on PATH)'), {
      code: 'ENOENT',
      path: 'udevadm',
      syscall: 'spawn udevadm',
    });
  }
  return (await realPorts()).SerialPort.list();
}

function fallbackRoots(option: ListOptions['fallback']): SerialRoots | undefined {
  if (option === false) return undefined;
  if (option === undefined && process.platform !== 'linux') return undefined;
  return { ...SYSTEM_ROOTS, ...option };
}

/**
 * The serial ports, with a note when they had to be read from sysfs. Throws a SerialError
 * (UDEV_MISSING, LIST_DENIED or LIST_FAILED) that names the cause in both languages.
 */
export async function listSerialPorts(options: ListOptions = {}): Promise<PortListing> {
  let system: RawPortInfo[];
  let note: Bilingual | null = null;
  try {
    system = await (options.list ?? systemList)();
  } catch (err) {
    const roots = fallbackRoots(options.fallback);
    if (!roots) throw listingError(err);
    let found;
    try {
      found = await listPortsWithoutUdev(roots);
    } catch (fallbackErr) {
      throw listingError(err, fallbackErr, [roots.sysClassTty, roots.serialById]);
    }
    system = found.ports;
    note = fallbackNote(err, found.sources);
  }
  const ports = system.map((p) => describePort(p));
  const seen = new Set(ports.map((p) => p.path));
  for (const path of options.extraPaths ?? []) {
    if (!seen.has(path) && existsSync(path)) {
      seen.add(path);
      ports.push({ path, source: 'extra' });
    }
  }
  return { ports: ports.sort((a, b) => a.path.localeCompare(b.path)), note };
}

/** The serial ports (see listSerialPorts; the note is left out). */
export async function listPorts(options: ListOptions = {}): Promise<PortDescriptor[]> {
  return (await listSerialPorts(options)).ports;
}

interface DiscoveryEvents {
  added: [PortDescriptor];
  removed: [PortDescriptor];
  error: [Error];
}

export class SerialDiscovery extends EventEmitter<DiscoveryEvents> {
  private current: PortDescriptor[] = [];
  private currentNote: Bilingual | null = null;
  private timer: NodeJS.Timeout | undefined;
  private scanning: Promise<PortDescriptor[]> | undefined;
  private readonly intervalMs: number;

  constructor(private readonly options: DiscoveryOptions = {}) {
    super();
    this.intervalMs = options.intervalMs ?? 1000;
  }

  get ports(): readonly PortDescriptor[] {
    return this.current;
  }

  /** The last listing's note (ports read without udev, and why), or null. */
  get note(): Bilingual | null {
    return this.currentNote;
  }

  /** First scan (every port reported as added), then polling. */
  async start(): Promise<PortDescriptor[]> {
    const ports = await this.scan();
    if (!this.timer) {
      this.timer = setInterval(
        () => void this.scan().catch((e: Error) => this.emit('error', e)),
        this.intervalMs,
      );
      this.timer.unref();
    }
    return ports;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One poll: lists, diffs and emits; concurrent calls share one listing. */
  scan(): Promise<PortDescriptor[]> {
    this.scanning ??= (async () => {
      try {
        const { ports: next, note } = await listSerialPorts(this.options);
        const { added, removed } = diffPorts(this.current, next);
        this.current = next;
        this.currentNote = note;
        for (const p of removed) this.emit('removed', p);
        for (const p of added) this.emit('added', p);
        return next;
      } finally {
        this.scanning = undefined;
      }
    })();
    return this.scanning;
  }
}
