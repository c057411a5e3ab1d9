// Serial ports straight from the kernel, for machines without udev (serialport's list() runs
// `udevadm info -e` on Linux): the real serial devices in /sys/class/tty and the stable links in
// /dev/serial/by-id. The roots are parameters so tests can point them at a fake tree.
import { constants, existsSync } from 'node:fs';
import { access, lstat, readFile, readdir, readlink, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

/** A port as the system lists it (serialport's list(), or sysfs when udev is missing). */
export interface RawPortInfo {
  path: string;
  manufacturer?: string | undefined;
  serialNumber?: string | undefined;
  vendorId?: string | undefined;
  productId?: string | undefined;
}

export interface SerialRoots {
  /** The kernel's tty class: /sys/class/tty. */
  sysClassTty: string;
  /** Where the device nodes are: /dev. */
  dev: string;
  /** udev's stable names: /dev/serial/by-id (present when /dev comes from a host with udev). */
  serialById: string;
}

export const SYSTEM_ROOTS: Readonly<SerialRoots> = {
  sysClassTty: '/sys/class/tty',
  dev: '/dev',
  serialById: '/dev/serial/by-id',
};

/** How many directories above a tty's `device` to look for the USB device's attributes. */
const USB_SEARCH_DEPTH = 3;

async function readAttr(dir: string, name: string): Promise<string | undefined> {
  try {
    const text = (await readFile(path.join(dir, name), 'utf8')).trim();
    return text || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The USB device a tty belongs to: the nearest directory at or above `deviceDir` with an
 * idVendor file (ttyUSB: two levels up, past the usb-serial port and the interface; ttyACM:
 * one level up, past the interface).
 */
async function usbAttributes(deviceDir: string): Promise<Omit<RawPortInfo, 'path'>> {
  let dir = deviceDir;
  for (let level = 0; level <= USB_SEARCH_DEPTH; level++) {
    const vendorId = await readAttr(dir, 'idVendor');
    if (vendorId) {
      return {
        vendorId: vendorId.toLowerCase(),
        productId: (await readAttr(dir, 'idProduct'))?.toLowerCase(),
        manufacturer: await readAttr(dir, 'manufacturer'),
        serialNumber: await readAttr(dir, 'serial'),
      };
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return {};
}

/**
 * The real serial devices the kernel knows: /sys/class/tty entries with a `device` link
 * (ttyS*, ttyUSB*, ttyACM*, ttyAMA*...; virtual consoles and ptys have none), whose node
 * exists under `dev`. 8250 ports the kernel reserved without finding a UART (`type` 0) are left
 * out. USB ones carry vendor / product id, maker and serial number from sysfs.
 */
export async function readSysClassTty(
  roots: Pick<SerialRoots, 'sysClassTty' | 'dev'> = SYSTEM_ROOTS,
): Promise<RawPortInfo[]> {
  const names = await readdir(roots.sysClassTty);
  const ports: RawPortInfo[] = [];
  for (const name of names.sort()) {
    const entry = path.join(roots.sysClassTty, name);
    let deviceDir: string;
    try {
      deviceDir = await realpath(path.join(entry, 'device'));
    } catch {
      continue; // no device link: a virtual terminal, ptmx, console...
    }
    if (/^ttyS\d+$/.test(name) && (await readAttr(entry, 'type')) === '0') continue;
    const node = path.join(roots.dev, name);
    if (!existsSync(node)) continue;
    ports.push({ path: node, ...(await usbAttributes(deviceDir)) });
  }
  return ports;
}

export interface ByIdLink {
  /** The link itself, e.g. /dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0. */
  path: string;
  /** Where it points, e.g. /dev/ttyUSB0. */
  target: string;
  /** The readable part of the name, e.g. "FTDI FT232R USB UART A50285BI". */
  label: string;
}

/** udev's by-id name as words: bus prefix and interface suffix off, `_` as spaces. */
export function byIdLabel(name: string): string {
  return name
    .replace(/\\x([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/^(usb|pci|platform|acpi)-/, '')
    .replace(/-if[0-9a-fA-F]+(-port\d+)?$/, '')
    .replace(/_/g, ' ')
    .trim();
}

/** The links in /dev/serial/by-id whose target exists; none when the folder does not exist. */
export async function readSerialById(dir: string = SYSTEM_ROOTS.serialById): Promise<ByIdLink[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const links: ByIdLink[] = [];
  for (const name of names.sort()) {
    const link = path.join(dir, name);
    try {
      if (!(await lstat(link)).isSymbolicLink()) continue;
      const target = path.resolve(dir, await readlink(link));
      if (!existsSync(target)) continue; // left behind by an unplugged device
      links.push({ path: link, target, label: byIdLabel(name) });
    } catch {
      continue; // went away while reading
    }
  }
  return links;
}

export interface SysfsListing {
  ports: RawPortInfo[];
  /** Where the ports came from, for the note that says so. */
  sources: string[];
}

/**
 * Every serial port without udev: the ttys from /sys/class/tty, and the /dev/serial/by-id links
 * (their name as the maker / product hint, the USB ids of the tty they point to).
 */
export async function listPortsWithoutUdev(
  roots: SerialRoots = { ...SYSTEM_ROOTS },
): Promise<SysfsListing> {
  const ttys = await readSysClassTty(roots);
  const byPath = new Map(ttys.map((t) => [t.path, t]));
  const links = await readSerialById(roots.serialById);
  const ports: RawPortInfo[] = [...ttys];
  for (const link of links) {
    const tty = byPath.get(link.target);
    ports.push({
      path: link.path,
      manufacturer: link.label || tty?.manufacturer,
      serialNumber: tty?.serialNumber,
      vendorId: tty?.vendorId,
      productId: tty?.productId,
    });
  }
  return {
    ports,
    sources: links.length ? [roots.serialById, roots.sysClassTty] : [roots.sysClassTty],
  };
}

/** Whether `command` is an executable file in one of the PATH folders (as spawn looks it up). */
export async function commandOnPath(
  command: string,
  searchPath: string = process.env.PATH ?? '',
): Promise<boolean> {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, command);
    try {
      if ((await stat(file)).isFile()) {
        await access(file, constants.X_OK);
        return true;
      }
    } catch {
      // not here
    }
  }
  return false;
}
