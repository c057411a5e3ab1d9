// The hardware: the Devices screen (serial ports, the PIN pad and printer, assigning them) and
// the device self-tests in Diagnostics.
import { z } from 'zod';
import { channel, returns } from '../channel';
import { noArgs } from '../fields';
import type { Bilingual, DeviceState } from '../views';

/** A supervisor's answer about a replaced device (PIN pad or printer), with their password. */
const replacementDecision = z
  .object({
    decision: z.enum(['approve', 'refuse']),
    password: z.string().min(1).max(128),
  })
  .strict();

export const hardwareChannel = channel({
  /** Serial ports, the configured PIN pad and printer with their status. */
  listDevices: {
    access: 'supervisor',
    args: noArgs(),
    result: returns<DevicesView>(),
  },
  /** Which PIN pad protocol a serial port speaks, and the pad's info if it answers. */
  detectPinpad: {
    access: 'supervisor',
    args: z.object({ path: z.string().min(1).max(256) }).strict(),
    result: returns<DetectedPinpadView>(),
  },
  /** Opens the configured PIN pad, reads its info and shows a test message on it. */
  testPinpad: {
    access: 'operator',
    args: noArgs(),
    result: returns<PinpadInfoView>(),
  },
  /** Prints the printer test page on the configured printer. */
  printTestPage: {
    access: 'operator',
    args: noArgs(),
    result: returns<{ target: string; bytesSent: number; warnings: Bilingual[] }>(),
  },
  /** Writes a new PIN pad or printer to config.json; applies at the next start.
   *  A PIN pad `path` of "simulated" means the built-in simulator. */
  assignDevice: {
    access: 'supervisor',
    args: z.discriminatedUnion('kind', [
      z
        .object({
          kind: z.literal('pinpad'),
          // A registered PIN pad driver id (the devices registry checks it).
          protocol: z.string().regex(/^[a-z0-9-]{1,32}$/),
          path: z.string().min(1).max(256),
        })
        .strict(),
      z
        .object({
          kind: z.literal('printer'),
          target: z.string().min(1).max(256),
          paperWidthMm: z.union([z.literal(58), z.literal(80)]),
        })
        .strict(),
    ]),
    result: returns<{ restartNeeded: true; training: boolean }>(),
  },
  /** A supervisor approves (or refuses) the PIN pad that answered instead of the trusted one,
   *  with their own password; audited with both identities. */
  decideReplacedPinpad: {
    access: 'supervisor',
    args: replacementDecision,
    result: returns<PinpadTrustView>(),
  },
  /** The same for the printer that answered GS I instead of the trusted one (slips wait). */
  decideReplacedPrinter: {
    access: 'supervisor',
    args: replacementDecision,
    result: returns<PrinterTrustView>(),
  },
  /** Adds a PIN pad model to the approved models list (an empty list allows every model). */
  addApprovedModel: {
    access: 'supervisor',
    args: z
      .object({
        maker: z.string().trim().min(1).max(64),
        model: z.string().trim().min(1).max(64),
        note: z.string().max(80).optional(),
      })
      .strict(),
    result: returns<ApprovedModelView[]>(),
  },
  removeApprovedModel: {
    access: 'supervisor',
    args: z.object({ id: z.number().int().positive() }).strict(),
    result: returns<ApprovedModelView[]>(),
  },
});

/** Who a device says it is (PIN pad info; printer GS I). */
export interface DeviceIdentityView {
  maker: string;
  model: string;
  serialNumber: string;
  firmware: string;
  /** A pad that holds keys: its terminal master key's check value. */
  keyCheckValue?: string | null;
}

/** Whether the PIN pad answering is the one a supervisor trusts. */
export interface PinpadTrustView {
  /** trusted: the approved pad answers; replaced: another one answered (card inquiries wait for
   *  a supervisor); unknown: the pad has not said who it is since the terminal opened. */
  state: 'trusted' | 'replaced' | 'unknown';
  trusted: DeviceIdentityView | null;
  /** The pad that answered, when it is not the trusted one. */
  seen: DeviceIdentityView | null;
  differences: (keyof DeviceIdentityView)[];
}

/** Whether the printer answering GS I is the one a supervisor trusts. */
export interface PrinterTrustView extends Omit<PinpadTrustView, 'state'> {
  /** As for the pad; replaced blocks slips (not inquiries). unreported: the printer does not
   *  answer GS I (many clones, a spooler): its identity is not known, and nothing is blocked. */
  state: PinpadTrustView['state'] | 'unreported';
}

/** A model on the approved models list (e.g. a PCI PTS approved one). */
export interface ApprovedModelView {
  id: number;
  maker: string;
  model: string;
  note: string;
  addedAt: string;
  addedBy: string | null;
}

/** A serial port as the Devices screen lists it (USB ids in lower-case hex). */
export interface SerialPortView {
  path: string;
  manufacturer: string | null;
  serialNumber: string | null;
  vendorId: string | null;
  productId: string | null;
  /** What the vendor id suggests. */
  hint: 'pinpad-maker' | 'usb-serial-bridge' | null;
}

export interface PinpadInfoView {
  /** A PIN pad driver id from the devices registry, e.g. abecs or cn-epp. */
  protocol: string;
  maker: string;
  model: string;
  serialNumber: string;
  firmware: string;
}

export interface DetectedPinpadView {
  path: string;
  /** null: no registered protocol answered. */
  protocol: string | null;
  info: PinpadInfoView | null;
  /** Why the port could not be probed or the pad did not give its info. */
  problem: Bilingual | null;
}

export interface DevicesView {
  training: boolean;
  ports: SerialPortView[];
  /** Could the ports be listed at all. */
  portsProblem: Bilingual | null;
  /** How the ports were listed when not the usual way (e.g. without udev, from /sys/class/tty). */
  portsNote?: Bilingual | null;
  /** Every PIN pad protocol this console has a driver for, with its name for people. */
  pinpadProtocols: Array<{ id: string; label: Bilingual }>;
  pinpad: {
    protocol: string;
    /** A serial path, or "simulated". */
    port: string;
    /** Driver health: connecting | connected | error | disconnected. */
    health: string;
    state: DeviceState;
    /** Whether the pad answering is the trusted one, with both identities when it is not. */
    trust: PinpadTrustView;
  };
  /** The approved PIN pad models; empty: every model is allowed. */
  approvedModels: ApprovedModelView[];
  printer: {
    /** As configured: none, simulated, serial:..., tcp:..., usb:... */
    target: string;
    /** The printer actually in use is the built-in simulator (training mode). */
    simulated: boolean;
    paperWidthMm: 58 | 80;
    /** Live DLE EOT status; null when no printer is configured or it did not answer. */
    status: { ready: boolean; problems: Bilingual[] } | null;
    statusProblem: Bilingual | null;
    /** Whether the printer answering GS I is the trusted one (unknown: not read yet). */
    trust: PrinterTrustView;
  };
  /** Saved since the terminal last opened; applies with Apply now (applyChanges) or at the next start. */
  pending: { pinpad: string | null; printer: string | null };
  /** The terminal master key, by its check value only, to compare with the bank's key letter. */
  keys: {
    tmkCheckValue: string | null;
    /** How the key store is kept at rest: sealed by the OS, a 0600 file, or no keys yet. */
    protection: 'os' | 'file' | 'none';
  };
}
