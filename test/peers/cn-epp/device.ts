// Clean-room EPP (device side) for the ZT598 family, written only from
// shared/reference/pinpad-cn-epp.md and test/peers/cn-epp/DEVICE-PROFILE.md.
// See README.md in this folder for the line each behaviour comes from.
import { SerialPort } from 'serialport';
import { CMD, FrameParser, KEY_BYTE, RTN, encodeFrame, isUpperHex } from './codec.js';
import type { FrameEvent } from './codec.js';
import {
  iso0Block,
  kcv3des,
  kcvSm4,
  sm4Decrypt,
  sm4Encrypt,
  tdesDecrypt,
  tdesEncrypt,
  unionPayEcbMac3des,
  unionPayEcbMacSm4,
} from './crypto.js';

export type EppAlgorithm = '3des' | 'sm4';
export type WorkingKeyUsage = '2' | '3' | '5' | '6';

export interface PeerEppOptions {
  /** Device end of a serial port (socat pty), 9600 8N1. */
  path: string;
  /** Typed by the cardholder after each 36h, then ENTER. */
  pin?: string;
  /** The cardholder presses CANCEL instead of ENTER (after typing `pin`, if any). */
  cardholderCancels?: boolean;
  /** The 30h answer. */
  status?: { maker: string; model: string; serial: string; firmware: string };
  /** Preloaded master keys (hex). */
  masterKeys?: Record<number, { key: string; algorithm: EppAlgorithm }>;
  /** Peer extra: delay between simulated key presses (default 10 ms). */
  keyIntervalMs?: number;
  /** Peer extra: the EPP's own PIN-entry inactivity timeout (default 60 000 ms, DEVICE-PROFILE). */
  inactivityTimeoutMs?: number;
}

export interface LoadedKey {
  kind: 'master' | 'working';
  index: number;
  algorithm: EppAlgorithm;
  usage?: string;
  kcv: string;
}

export interface PeerEpp {
  /** Every intact request frame, in order (damaged frames are not listed; see `answered`). */
  readonly received: ReadonlyArray<{ cmd: number; data: Buffer }>;
  /** Every response frame, in order; a damaged request whose CMD byte is unknown shows cmd -1. */
  readonly answered: ReadonlyArray<{ cmd: number; rtn: number }>;
  /** Raw key bytes sent between frames, in order. */
  readonly keyBytes: ReadonlyArray<number>;
  /** Slots and usages loaded, with KCVs (hex) — never the keys themselves. */
  loadedKeys(): LoadedKey[];
  /** For test assertions only: MACs computed so far (input bytes and the 8 ASCII MAC bytes). */
  readonly macs: ReadonlyArray<{ keyIndex: number; input: Buffer; mac: Buffer }>;
  /** The PIN the cardholder types after the next 36h (undefined: the cardholder does nothing). */
  setPin(pin: string | undefined): void;
  /** Whether the cardholder ends the next entries with CANCEL instead of ENTER. */
  setCardholderCancels(cancels: boolean): void;
  /**
   * Presses keys now, one every keyIntervalMs: `0`-`9` digits, `C` CLEAR, `E` ENTER, `X` CANCEL.
   * Resolves when the last key has been pressed. Keys pressed with no entry open are ignored.
   */
  pressKeys(keys: string): Promise<void>;
  close(): Promise<void>;
}

interface MasterKey {
  key: Buffer;
  algorithm: EppAlgorithm;
}

interface WorkingKey {
  key: Buffer;
  algorithm: EppAlgorithm;
  usage: WorkingKeyUsage;
}

const LENGTH_CODES: Record<string, number> = { '1': 8, '2': 16, '3': 24 };
const USAGES: ReadonlySet<string> = new Set(['2', '3', '5', '6']);
const ISO0_FORMAT = 0x20;

/** A command outcome: RTN 60h with data, or an error RTN (no data). */
type Outcome = { rtn: number; data?: Buffer };
const ok = (text = ''): Outcome => ({ rtn: RTN.OK, data: Buffer.from(text, 'ascii') });
const fail = (rtn: number): Outcome => ({ rtn });

class Epp implements PeerEpp {
  readonly received: Array<{ cmd: number; data: Buffer }> = [];
  readonly answered: Array<{ cmd: number; rtn: number }> = [];
  readonly keyBytes: number[] = [];
  readonly macs: Array<{ keyIndex: number; input: Buffer; mac: Buffer }> = [];

  private readonly masters = new Map<number, MasterKey>();
  private readonly workings = new Map<number, WorkingKey>();
  private minPinLength = 4;
  private maxPinLength = 12;
  /** The entry in progress (digits typed so far), or undefined when no entry is open. */
  private entry: { digits: string } | undefined;
  /** The PIN completed with ENTER since the last 36h, cancel or erase. */
  private enteredPin: string | undefined;
  private inactivityTimer: NodeJS.Timeout | undefined;
  /** Bumped by every 36h, cancel and close: stale cardholder scripts stop. */
  private generation = 0;
  private closed = false;
  private readonly parser: FrameParser;
  private readonly statusText: string;
  private readonly keyIntervalMs: number;
  private readonly inactivityTimeoutMs: number;
  private pin: string | undefined;
  private cancels: boolean;

  constructor(
    private readonly port: SerialPort,
    options: PeerEppOptions,
  ) {
    this.pin = options.pin;
    this.cancels = options.cardholderCancels ?? false;
    const status = options.status ?? {
      maker: 'PEER',
      model: 'ZT598',
      serial: '00000001',
      firmware: 'PEER-1.0',
    };
    const fields = [status.maker, status.model, status.serial, status.firmware];
    if (fields.some((f) => f.includes(';') || !/^[\x20-\x7e]*$/.test(f))) {
      throw new Error('status fields must be printable ASCII without ";"');
    }
    this.statusText = fields.join(';');
    this.keyIntervalMs = options.keyIntervalMs ?? 10;
    this.inactivityTimeoutMs = options.inactivityTimeoutMs ?? 60_000;
    for (const [index, mk] of Object.entries(options.masterKeys ?? {})) {
      const n = Number(index);
      const key = Buffer.from(mk.key, 'hex');
      if (!Number.isInteger(n) || n < 0 || n > 0xff || !isUpperHex(mk.key.toUpperCase())) {
        throw new Error(`bad preloaded master key ${index}`);
      }
      if (mk.algorithm === 'sm4' ? key.length !== 16 : ![8, 16, 24].includes(key.length)) {
        throw new Error(`bad preloaded master key length in slot ${index}`);
      }
      this.masters.set(n, { key, algorithm: mk.algorithm });
    }
    this.parser = new FrameParser((event) => this.onFrameEvent(event));
    port.on('data', (chunk: Buffer) => this.parser.push(chunk));
  }

  setPin(pin: string | undefined): void {
    if (pin !== undefined && !/^[0-9]*$/.test(pin)) throw new Error('pin must be digits');
    this.pin = pin;
  }

  setCardholderCancels(cancels: boolean): void {
    this.cancels = cancels;
  }

  loadedKeys(): LoadedKey[] {
    const kcv = (k: { key: Buffer; algorithm: EppAlgorithm }) =>
      k.algorithm === 'sm4' ? kcvSm4(k.key) : kcv3des(k.key);
    const byIndex = <T>(m: Map<number, T>) => [...m.entries()].sort((a, b) => a[0] - b[0]);
    return [
      ...byIndex(this.masters).map(([index, k]) => ({
        kind: 'master' as const,
        index,
        algorithm: k.algorithm,
        kcv: kcv(k),
      })),
      ...byIndex(this.workings).map(([index, k]) => ({
        kind: 'working' as const,
        index,
        algorithm: k.algorithm,
        usage: k.usage,
        kcv: kcv(k),
      })),
    ];
  }

  async pressKeys(keys: string): Promise<void> {
    if (!/^[0-9CEX]*$/.test(keys)) throw new Error('keys: 0-9, C, E, X only');
    const generation = this.generation;
    for (const k of keys) {
      await delay(this.keyIntervalMs);
      if (this.closed || generation !== this.generation) return;
      this.press(k);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.generation++;
    this.stopInactivityTimer();
    this.parser.reset();
    if (!this.port.isOpen) return;
    await new Promise<void>((resolve) => {
      const guard = setTimeout(resolve, 2000);
      this.port.drain(() =>
        this.port.close(() => {
          clearTimeout(guard);
          resolve();
        }),
      );
    });
  }

  // ---- link ----------------------------------------------------------------------------------

  private write(bytes: Buffer): void {
    if (this.closed || !this.port.isOpen) return;
    this.port.write(bytes);
  }

  private respond(cmd: number, outcome: Outcome): void {
    this.answered.push({ cmd, rtn: outcome.rtn });
    // An error response carries no data (DEVICE-PROFILE "Link").
    const data = outcome.rtn === RTN.OK ? (outcome.data ?? Buffer.alloc(0)) : Buffer.alloc(0);
    this.write(encodeFrame(outcome.rtn, data));
  }

  private sendKeyByte(byte: number): void {
    this.keyBytes.push(byte);
    this.write(Buffer.from([byte]));
  }

  private onFrameEvent(event: FrameEvent): void {
    if (this.closed) return;
    switch (event.type) {
      case 'frame': {
        this.received.push({ cmd: event.code, data: event.data });
        const outcome = this.handle(event.code, event.data.toString('latin1'));
        this.respond(event.code, outcome);
        if (event.code === CMD.START_PIN_ENTRY && outcome.rtn === RTN.OK) this.runCardholder();
        return;
      }
      case 'damaged':
        this.respond(event.code ?? -1, fail(RTN.DAMAGED_FRAME));
        return;
      case 'expired': // discarded, no answer (DEVICE-PROFILE "Link", last line)
      case 'byte': // noise between requests
        return;
    }
  }

  // ---- commands ------------------------------------------------------------------------------

  private handle(cmd: number, data: string): Outcome {
    switch (cmd) {
      case CMD.STATUS:
        return data.length === 0 ? ok(this.statusText) : fail(RTN.BAD_PARAMETER);
      case CMD.LOAD_MASTER_KEY:
        return this.loadMaster(data, '3des');
      case CMD.LOAD_WORKING_KEY:
        return this.loadWorking3des(data);
      case CMD.CONTROL:
        return this.control(data);
      case CMD.START_PIN_ENTRY:
        return this.startPinEntry(data);
      case CMD.GET_PIN_BLOCK:
        return this.pinBlock(data, '3des');
      case CMD.MAC:
        return this.mac(data);
      case CMD.LOAD_SM4_MASTER_KEY:
        return this.loadMaster(data, 'sm4');
      case CMD.LOAD_SM4_WORKING_KEY:
        return this.loadWorkingSm4(data);
      case CMD.GET_SM4_PIN_BLOCK:
        return this.pinBlock(data, 'sm4');
      default:
        return fail(RTN.UNKNOWN_COMMAND);
    }
  }

  /** 31h / 62h: key number (2 hex) + mode `0` + length code + key (hex). 62h: code `2` only. */
  private loadMaster(data: string, algorithm: EppAlgorithm): Outcome {
    const index = data.slice(0, 2);
    const mode = data.slice(2, 3);
    const code = data.slice(3, 4);
    const keyHex = data.slice(4);
    const length = LENGTH_CODES[code];
    if (
      !isUpperHex(index, 2) ||
      mode !== '0' ||
      length === undefined ||
      (algorithm === 'sm4' && code !== '2') ||
      !isUpperHex(keyHex, length * 2)
    ) {
      return fail(RTN.BAD_PARAMETER);
    }
    const key = Buffer.from(keyHex, 'hex');
    this.masters.set(parseInt(index, 16), { key, algorithm });
    return ok(algorithm === 'sm4' ? kcvSm4(key) : kcv3des(key));
  }

  /** 32h: master (2 hex) + working (2 hex) + usage + length code + key under the master (hex). */
  private loadWorking3des(data: string): Outcome {
    const master = data.slice(0, 2);
    const working = data.slice(2, 4);
    const usage = data.slice(4, 5);
    const length = LENGTH_CODES[data.slice(5, 6)];
    const keyHex = data.slice(6);
    if (
      !isUpperHex(master, 2) ||
      !isUpperHex(working, 2) ||
      !USAGES.has(usage) ||
      length === undefined ||
      !isUpperHex(keyHex, length * 2)
    ) {
      return fail(RTN.BAD_PARAMETER);
    }
    const mk = this.masters.get(parseInt(master, 16));
    if (mk === undefined || mk.algorithm !== '3des') return fail(RTN.KEY_MISSING);
    const key = tdesDecrypt(mk.key, Buffer.from(keyHex, 'hex'));
    this.workings.set(parseInt(working, 16), {
      key,
      algorithm: '3des',
      usage: usage as WorkingKeyUsage,
    });
    return ok(kcv3des(key));
  }

  /** 63h: usage + `0` + master (2 hex) + working (2 hex) + 32 hex under the SM4 master. */
  private loadWorkingSm4(data: string): Outcome {
    const usage = data.slice(0, 1);
    const mode = data.slice(1, 2);
    const master = data.slice(2, 4);
    const working = data.slice(4, 6);
    const keyHex = data.slice(6);
    if (
      !USAGES.has(usage) ||
      mode !== '0' ||
      !isUpperHex(master, 2) ||
      !isUpperHex(working, 2) ||
      !isUpperHex(keyHex, 32)
    ) {
      return fail(RTN.BAD_PARAMETER);
    }
    const mk = this.masters.get(parseInt(master, 16));
    if (mk === undefined || mk.algorithm !== 'sm4') return fail(RTN.KEY_MISSING);
    const key = sm4Decrypt(mk.key, Buffer.from(keyHex, 'hex'));
    this.workings.set(parseInt(working, 16), {
      key,
      algorithm: 'sm4',
      usage: usage as WorkingKeyUsage,
    });
    return ok(kcvSm4(key));
  }

  /** 35h: `54nn` / `55nn` (nn decimal 04..12), `5032` cancel entry, `5031` erase all keys. */
  private control(data: string): Outcome {
    if (data === '5032') {
      this.endEntry();
      this.enteredPin = undefined;
      return ok();
    }
    if (data === '5031') {
      this.masters.clear();
      this.workings.clear();
      this.enteredPin = undefined;
      return ok();
    }
    const m = /^(54|55)([0-9]{2})$/.exec(data);
    const n = m ? Number(m[2]) : NaN;
    if (!m || n < 4 || n > 12) return fail(RTN.BAD_PARAMETER);
    if (m[1] === '54') {
      if (n > this.maxPinLength) return fail(RTN.BAD_PARAMETER);
      this.minPinLength = n;
    } else {
      if (n < this.minPinLength) return fail(RTN.BAD_PARAMETER);
      this.maxPinLength = n;
    }
    return ok();
  }

  /** 36h `00012`: a fresh entry; the key bytes follow the 60h answer. */
  private startPinEntry(data: string): Outcome {
    if (data !== '00012') return fail(RTN.BAD_PARAMETER);
    this.endEntry();
    this.enteredPin = undefined;
    this.entry = { digits: '' };
    this.restartInactivityTimer();
    return ok();
  }

  /**
   * 37h / 6Fh: key number (2 hex) + format byte 20h + 12 PAN digits. Checks, in this order
   * (the order is this peer's choice): E5h malformed or format not 20h, E6h no PIN key of the
   * algorithm in the slot, E7h no PIN entered.
   */
  private pinBlock(data: string, algorithm: EppAlgorithm): Outcome {
    const index = data.slice(0, 2);
    const format = data.charCodeAt(2);
    const pan12 = data.slice(3);
    if (data.length !== 15 || !isUpperHex(index, 2) || !/^[0-9]{12}$/.test(pan12)) {
      return fail(RTN.BAD_PARAMETER);
    }
    if (format !== ISO0_FORMAT) return fail(RTN.BAD_PARAMETER);
    const wk = this.workings.get(parseInt(index, 16));
    if (wk === undefined || wk.usage !== '3' || wk.algorithm !== algorithm) {
      return fail(RTN.KEY_MISSING);
    }
    if (this.enteredPin === undefined) return fail(RTN.NO_PIN);
    const clear = iso0Block(this.enteredPin, pan12);
    const block =
      algorithm === 'sm4'
        ? sm4Encrypt(wk.key, Buffer.concat([clear, Buffer.alloc(8, 0xff)]))
        : tdesEncrypt(wk.key, clear);
    return ok(index + '20' + block.toString('hex').toUpperCase());
  }

  /**
   * 41h: MAC key number (2 hex) + algorithm `1` (3DES) / `2` (SM4) + input (hex) -> the 8 ASCII
   * MAC characters as 16 hex. The slot must hold a MAC key (usage 5) of that algorithm, else E6h.
   */
  private mac(data: string): Outcome {
    const index = data.slice(0, 2);
    const algorithm = data.slice(2, 3);
    const inputHex = data.slice(3);
    if (
      !isUpperHex(index, 2) ||
      (algorithm !== '1' && algorithm !== '2') ||
      !isUpperHex(inputHex)
    ) {
      return fail(RTN.BAD_PARAMETER);
    }
    const keyIndex = parseInt(index, 16);
    const wk = this.workings.get(keyIndex);
    const wanted: EppAlgorithm = algorithm === '1' ? '3des' : 'sm4';
    if (wk === undefined || wk.usage !== '5' || wk.algorithm !== wanted) {
      return fail(RTN.KEY_MISSING);
    }
    const input = Buffer.from(inputHex, 'hex');
    const { mac } =
      wanted === '3des' ? unionPayEcbMac3des(wk.key, input) : unionPayEcbMacSm4(wk.key, input);
    this.macs.push({ keyIndex, input, mac });
    return ok(mac.toString('hex').toUpperCase());
  }

  // ---- PIN entry -----------------------------------------------------------------------------

  /** The key logic of the EPP (DEVICE-PROFILE "PIN entry"). */
  private press(key: string): void {
    const entry = this.entry;
    if (entry === undefined) return;
    this.restartInactivityTimer();
    if (key >= '0' && key <= '9') {
      if (entry.digits.length >= this.maxPinLength) return; // beyond the maximum: ignored
      entry.digits += key;
      this.sendKeyByte(KEY_BYTE.DIGIT);
    } else if (key === 'C') {
      entry.digits = '';
      this.sendKeyByte(KEY_BYTE.CLEAR);
    } else if (key === 'E') {
      if (entry.digits.length < this.minPinLength) return; // too short: ignored
      this.enteredPin = entry.digits;
      this.endEntry();
      this.sendKeyByte(KEY_BYTE.ENTER);
    } else if (key === 'X') {
      this.endEntry();
      this.sendKeyByte(KEY_BYTE.CANCEL);
    }
  }

  /** The simulated cardholder: types `pin` then ENTER (or CANCEL). */
  private runCardholder(): void {
    const pin = this.pin;
    if (pin === undefined && !this.cancels) return;
    void this.pressKeys((pin ?? '') + (this.cancels ? 'X' : 'E'));
  }

  private endEntry(): void {
    this.entry = undefined;
    this.generation++;
    this.stopInactivityTimer();
  }

  private restartInactivityTimer(): void {
    this.stopInactivityTimer();
    this.inactivityTimer = setTimeout(() => {
      // Nothing is sent on the EPP's own inactivity timeout (DEVICE-PROFILE "PIN entry").
      this.inactivityTimer = undefined;
      this.entry = undefined;
      this.generation++;
    }, this.inactivityTimeoutMs);
    this.inactivityTimer.unref();
  }

  private stopInactivityTimer(): void {
    if (this.inactivityTimer !== undefined) clearTimeout(this.inactivityTimer);
    this.inactivityTimer = undefined;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function startPeerEpp(options: PeerEppOptions): Promise<PeerEpp> {
  const port = new SerialPort({
    path: options.path,
    baudRate: 9600,
    dataBits: 8,
    parity: 'none',
    stopBits: 1,
    autoOpen: false,
  });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  try {
    return new Epp(port, options);
  } catch (err) {
    await new Promise<void>((resolve) => port.close(() => resolve()));
    throw err;
  }
}
