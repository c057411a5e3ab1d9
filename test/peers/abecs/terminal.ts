// TERMINAL SIDE of the clean-room ABECS 2.12 peer: a minimal host ("SPE", the cashier PC) that
// follows the link-level flows of spec §2.2.2 and §2.2.3 and can drive any ABECS PIN pad.
import type { SerialPort } from 'serialport';
import {
  ABECS_TLV_COMMANDS,
  ACK,
  AbecsFormatError,
  BLOCKING_COMMANDS,
  CAN,
  DC2,
  DC3,
  EOT,
  ETB,
  MAX_PKTDATA,
  NAK,
  SYN,
  buildCommand,
  encodeFrame,
  fieldA,
  fieldN,
  frameCrc,
  latin1,
  parseResponse,
  parseTlvBlocks,
  tlv,
} from './codec.js';
import { SPE } from './ids.js';
import { decryptPacket, encryptPacket, rsaDecryptKey } from './secure.js';
import { ByteReader, INTERRUPTED, closeSerial, openSerial } from './serial.js';

export { tlv } from './codec.js';

export interface TerminalResponse {
  /** RSP_ID ("ERR" for §2.3.4 answers). */
  id: string;
  /** RSP_STAT. */
  status: string;
  /** The response PKTDATA (the decrypted CLRDATA in secure mode). */
  pktdata: Buffer;
  /** RSP_BLKn. */
  blocks: Buffer[];
  /** PP_* data of an Abecs command's successful response (§3.1.3.2). */
  params?: Map<number, Buffer>;
  /** Came encrypted (§5.2). */
  secure: boolean;
}

export interface CommandOptions {
  /** Blocking command (§2.2.2): wait indefinitely. Default: from the command id (BLOCKING_COMMANDS). */
  blocking?: boolean;
  /**
   * Non-blocking: how long to wait for the response (spec: 10 s). Blocking: when given, the
   * operator "cancels" after this time: CAN is sent (§2.2.2.3) and command() rejects.
   */
  timeoutMs?: number;
  /** Send `data` as given after CMD_ID (no CMD_LENn added): for malformed-command tests. */
  raw?: boolean;
  /** Called with every NTM message received while waiting (§2.3.3). */
  onNotification?: (message: string) => void;
}

export interface TerminalTimings {
  /** Wait for ACK/NAK after a command, §2.2.2.1 (2 s). */
  ackTimeoutMs?: number;
  /** Wait for a non-blocking command's response, §2.2.2 (10 s). */
  responseTimeoutMs?: number;
  /** Inter-byte wait inside a packet, §2.2.3 (2 s). */
  interByteTimeoutMs?: number;
  /** Wait for EOT after CAN, §2.2.2.3 (2 s). */
  eotTimeoutMs?: number;
  /** Silence that ends the discarding of input before a NAK or after EOT, §2.2.3 (500 ms). */
  silenceMs?: number;
}

export type AbecsLinkErrorCode =
  | 'no-ack' // no ACK/NAK within 2 s
  | 'nak' // third NAK
  | 'unexpected-byte' // neither ACK nor NAK after a command
  | 'timeout' // no response to a non-blocking command within 10 s
  | 'bad-response' // third bad response packet
  | 'no-eot' // no EOT after three CAN
  | 'cancelled'; // the operator cancelled a blocking command (CAN → EOT)

export class AbecsLinkError extends Error {
  override name = 'AbecsLinkError';
  constructor(
    readonly code: AbecsLinkErrorCode,
    message?: string,
  ) {
    super(message ?? code);
  }
}

export class PeerAbecsTerminal {
  /** NTM messages received, in order. */
  readonly notifications: string[] = [];
  /** Link events seen/sent: 'ACK', 'NAK' received; 'NAK-sent', 'CAN', 'EOT'. */
  readonly linkLog: string[] = [];

  private readonly reader: ByteReader;
  private queue: Promise<unknown> = Promise.resolve();
  private inCommand = false;
  private cancelRequested: (() => void) | undefined;
  private ksec: Buffer | undefined;
  private readonly t: Required<TerminalTimings>;

  private constructor(
    private readonly port: SerialPort,
    timings: TerminalTimings,
  ) {
    this.reader = new ByteReader(port);
    this.t = {
      ackTimeoutMs: timings.ackTimeoutMs ?? 2000,
      responseTimeoutMs: timings.responseTimeoutMs ?? 10_000,
      interByteTimeoutMs: timings.interByteTimeoutMs ?? 2000,
      eotTimeoutMs: timings.eotTimeoutMs ?? 2000,
      silenceMs: timings.silenceMs ?? 500,
    };
  }

  /** Opens the port at 19200 8N1 and sends CAN first (§2.2.2.3: "sempre inicie ... enviando um «CAN»"). */
  static async open(path: string, timings: TerminalTimings = {}): Promise<PeerAbecsTerminal> {
    const port = await openSerial(path);
    const terminal = new PeerAbecsTerminal(port, timings);
    try {
      await terminal.abort();
    } catch (e) {
      await terminal.close();
      throw e;
    }
    return terminal;
  }

  /** True while "Comunicação Segura" is active (after openSecure, until CLO/CLX). */
  get secure(): boolean {
    return this.ksec !== undefined;
  }

  /**
   * Sends one command: PKTDATA = CMD_ID + one CMD_LEN/CMD_BLK per buffer of `data` (§2.3.1),
   * handles ACK/NAK and retries (§2.2.2.1), waits for the response (10 s, or indefinitely for a
   * blocking command, with NTM notifications), NAKs bad responses (§2.2.2.2) and decodes it.
   */
  command(
    id: string,
    data?: Buffer | Buffer[],
    options: CommandOptions = {},
  ): Promise<TerminalResponse> {
    return this.serialize(() => this.exchange(id, data, options));
  }

  /**
   * Abort (§2.2.2.3): CAN, up to 2 s for EOT (other bytes ignored), up to three times; then input
   * is discarded until 500 ms of silence (§2.2.3 flowchart). A command waiting for its response
   * is cancelled and rejects with AbecsLinkError('cancelled').
   */
  async abort(): Promise<void> {
    if (this.inCommand) {
      // The command in progress sends the CAN when it next waits (or as soon as it ends).
      await new Promise<void>((resolve) => {
        this.cancelRequested = resolve;
        this.reader.interrupt();
      });
      return;
    }
    await this.serialize(() => this.cancelSequence());
  }

  /**
   * Starts "Comunicação Segura" (§5.2.1) with an RSA key of 256-byte modulus: sends the secure
   * OPN and opens CRKSEC with the private exponent. Later commands go encrypted.
   */
  async openSecure(key: {
    modulus: Buffer;
    publicExponent: Buffer;
    privateExponent: Buffer;
  }): Promise<TerminalResponse> {
    this.ksec = undefined;
    const block = latin1(
      '0' +
        fieldN(key.modulus.length, 3).toString('latin1') +
        key.modulus.toString('hex').toUpperCase() +
        String(key.publicExponent.length) +
        key.publicExponent.toString('hex').toUpperCase(),
    );
    const r = await this.command('OPN', block);
    if (r.status === '000') {
      const d = r.blocks[0]?.toString('latin1') ?? '';
      const crksec = Buffer.from(d.slice(3, 3 + 512), 'hex');
      this.ksec = rsaDecryptKey(crksec, key.modulus, key.privateExponent);
    }
    return r;
  }

  /** Writes raw bytes to the line (tests: stray ACK, corrupted frames...). */
  async sendRaw(bytes: Uint8Array): Promise<void> {
    await new Promise<void>((resolve) => this.port.write(Buffer.from(bytes), () => resolve()));
  }

  /** Reads raw bytes for `ms` (tests). */
  async readRaw(ms: number): Promise<Buffer> {
    return this.serialize(async () => {
      const out: number[] = [];
      const until = Date.now() + ms;
      for (;;) {
        const left = until - Date.now();
        if (left <= 0) break;
        const b = await this.reader.read(left);
        if (b === null) break;
        if (b !== INTERRUPTED) out.push(b);
      }
      return Buffer.from(out);
    });
  }

  async close(): Promise<void> {
    this.reader.close();
    await closeSerial(this.port);
  }

  // -------------------------------------------------------------------------------------------

  private serialize<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async exchange(
    id: string,
    data: Buffer | Buffer[] | undefined,
    options: CommandOptions,
  ): Promise<TerminalResponse> {
    this.inCommand = true;
    try {
      return await this.exchangeInner(id, data, options);
    } finally {
      this.inCommand = false;
      const done = this.cancelRequested;
      if (done) {
        // The command ended before the cancel could be sent: still send CAN as asked.
        this.cancelRequested = undefined;
        await this.cancelSequence().catch(() => undefined);
        done();
      }
    }
  }

  private async exchangeInner(
    id: string,
    data: Buffer | Buffer[] | undefined,
    options: CommandOptions,
  ): Promise<TerminalResponse> {
    const blocks = data === undefined ? [] : Array.isArray(data) ? data : [data];
    let pktdata = options.raw ? Buffer.concat([latin1(id), ...blocks]) : buildCommand(id, blocks);
    // §5.2.2: once secure, every command goes encrypted except OPN.
    if (this.ksec && id !== 'OPN') pktdata = encryptPacket(this.ksec, pktdata);
    if (pktdata.length > MAX_PKTDATA) throw new AbecsFormatError('command PKTDATA too long');
    const frame = encodeFrame(pktdata);
    await this.sendWithRetries(frame);
    const blocking = options.blocking ?? BLOCKING_COMMANDS.has(id);
    const response = await this.receiveResponse(blocking, options);
    if ((response.id === 'CLO' || response.id === 'CLX') && response.status === '000')
      this.ksec = undefined;
    if (response.id === 'ERR' && response.status === '009') this.ksec = undefined;
    return response;
  }

  /** §2.2.2.1 and the "Envio de comando" flowchart of §2.2.3. */
  private async sendWithRetries(frame: Buffer): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await this.sendRaw(frame);
      const b = await this.readIgnoringInterrupt(this.t.ackTimeoutMs);
      if (b === null) throw new AbecsLinkError('no-ack', 'no ACK/NAK within 2 s');
      if (b === ACK) {
        this.linkLog.push('ACK');
        return;
      }
      if (b !== NAK) {
        throw new AbecsLinkError('unexpected-byte', `got ${b.toString(16)} instead of ACK/NAK`);
      }
      this.linkLog.push('NAK');
      if (attempt >= 3) throw new AbecsLinkError('nak', 'command refused three times (NAK)');
    }
  }

  private async readIgnoringInterrupt(timeoutMs: number): Promise<number | null> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const b = await this.reader.read(Math.max(0, until - Date.now()));
      if (b !== INTERRUPTED) return b;
    }
  }

  /** The "Recepção de resposta" flowchart of §2.2.3, with NTM handling (§2.3.3). */
  private async receiveResponse(
    blocking: boolean,
    options: CommandOptions,
  ): Promise<TerminalResponse> {
    let bad = 0;
    const limit = blocking ? options.timeoutMs : (options.timeoutMs ?? this.t.responseTimeoutMs);
    const deadline = limit === undefined ? undefined : Date.now() + limit;
    for (;;) {
      if (this.cancelRequested) return await this.cancelWhileWaiting();
      const left = deadline === undefined ? undefined : Math.max(0, deadline - Date.now());
      const b = await this.reader.read(left);
      if (b === INTERRUPTED) continue;
      if (b === null) {
        if (blocking) return await this.cancelWhileWaiting(); // operator gives up: CAN
        throw new AbecsLinkError('timeout', 'no response within the time limit');
      }
      if (b !== SYN) continue; // anything else is ignored while waiting for a packet
      const pktdata = await this.readPacketBody();
      if (pktdata === undefined) {
        if (++bad >= 3) throw new AbecsLinkError('bad-response', 'three bad response packets');
        await this.reader.discardUntilSilence(this.t.silenceMs);
        this.linkLog.push('NAK-sent');
        await this.sendRaw(Buffer.of(NAK));
        continue;
      }
      const response = this.decodeResponse(pktdata);
      if (response.id === 'NTM') {
        const msg = response.blocks[0]?.toString('latin1') ?? '';
        this.notifications.push(msg);
        options.onNotification?.(msg);
        continue;
      }
      return response;
    }
  }

  private async cancelWhileWaiting(): Promise<never> {
    const done = this.cancelRequested;
    this.cancelRequested = undefined;
    try {
      await this.cancelSequence();
    } finally {
      done?.();
    }
    throw new AbecsLinkError('cancelled', 'command cancelled (CAN/EOT)');
  }

  /** Reads after SYN up to the CRC; undefined for a bad packet (CRC, size, DC3, timeout). */
  private async readPacketBody(): Promise<Buffer | undefined> {
    const data: number[] = [];
    const next = async (): Promise<number | null> =>
      this.readIgnoringInterrupt(this.t.interByteTimeoutMs);
    for (;;) {
      const b = await next();
      if (b === null) return undefined;
      if (b === ETB) break;
      if (b === DC3) {
        const e = await next();
        if (e === null) return undefined;
        data.push((e - 0x20) & 0xff);
      } else data.push(b);
      if (data.length > MAX_PKTDATA) return undefined;
    }
    const hi = await next();
    if (hi === null) return undefined;
    const lo = await next();
    if (lo === null) return undefined;
    const pktdata = Buffer.from(data);
    return ((hi << 8) | lo) === frameCrc(pktdata) ? pktdata : undefined;
  }

  private decodeResponse(raw: Buffer): TerminalResponse {
    let pktdata = raw;
    let secure = false;
    if (raw[0] === DC2 && this.ksec) {
      pktdata = decryptPacket(this.ksec, raw); // §5.2.2.2: inconsistencies are fatal (throws)
      secure = true;
    }
    const r = parseResponse(pktdata);
    const response: TerminalResponse = {
      id: r.id,
      status: r.status,
      pktdata,
      blocks: r.blocks,
      secure,
    };
    if (ABECS_TLV_COMMANDS.has(r.id) && r.status === '000') {
      try {
        response.params = parseTlvBlocks(r.blocks);
      } catch {
        /* not TLV after all: leave params undefined */
      }
    }
    return response;
  }

  private async cancelSequence(): Promise<void> {
    for (let attempt = 1; attempt <= 3; attempt++) {
      this.linkLog.push('CAN');
      await this.sendRaw(Buffer.of(CAN));
      const until = Date.now() + this.t.eotTimeoutMs;
      for (;;) {
        const left = until - Date.now();
        if (left <= 0) break;
        const b = await this.reader.read(left);
        if (b === null) break;
        if (b === EOT) {
          this.linkLog.push('EOT');
          await this.reader.discardUntilSilence(this.t.silenceMs);
          return;
        }
        // Other bytes (a response or NTM crossing the CAN) are ignored.
      }
    }
    throw new AbecsLinkError('no-eot', 'no EOT after three CAN');
  }
}

// ---------------------------------------------------------------------------------------------
// Block builders for the commands of a balance inquiry

/** Concatenates encoded TLV parameters into one CMD_BLK (§3.1.3.1). */
export function tlvBlock(...entries: Buffer[]): Buffer {
  return Buffer.concat(entries);
}

/** GIN_ACQIDX (N2), §3.2.3. */
export function ginBlock(acqIdx: number | string = '00'): Buffer {
  return fieldN(acqIdx, 2);
}

/** DSP_MSG (S32), §3.3.5: two lines of 16 columns, Latin-1. */
export function dspBlock(line1: string, line2 = ''): Buffer {
  return Buffer.concat([fieldA(line1, 16), fieldA(line2, 16)]);
}

/** CLO_MSG (S32), §3.2.6. */
export function cloBlock(line1 = '', line2 = ''): Buffer {
  return dspBlock(line1, line2);
}

/** DEX_MSGLEN (N3) + DEX_MSG (S..160), §3.3.4; "\n" becomes CR (0Dh). */
export function dexBlock(message: string): Buffer {
  const msg = latin1(message.replace(/\n/g, '\r'));
  return Buffer.concat([fieldN(msg.length, 3), msg]);
}

/** CEX parameters, §3.3.1: SPE_CEXOPT (A6), SPE_TIMEOUT (X1, seconds), SPE_PANMASK (N4). */
export function cexBlock(p: { options: string; timeoutSec?: number; panMask?: string }): Buffer {
  const entries = [tlv(SPE.CEXOPT, p.options)];
  if (p.timeoutSec !== undefined) entries.push(tlv(SPE.TIMEOUT, Buffer.of(p.timeoutSec)));
  if (p.panMask !== undefined) entries.push(tlv(SPE.PANMASK, p.panMask));
  return tlvBlock(...entries);
}

/** GTK parameters, §3.3.12 (SPE_TRACKS N4 "PAN, track 1, track 2, track 3"). Empty when nothing is given. */
export function gtkBlock(
  p: {
    tracks?: string;
    method?: string;
    keyIndex?: string;
    workingKey?: Buffer;
    openDigits?: string;
    iv?: Buffer;
  } = {},
): Buffer {
  const entries: Buffer[] = [];
  if (p.tracks !== undefined) entries.push(tlv(SPE.TRACKS, p.tracks));
  if (p.method !== undefined) entries.push(tlv(SPE.MTHDDAT, p.method));
  if (p.keyIndex !== undefined) entries.push(tlv(SPE.KEYIDX, p.keyIndex));
  if (p.workingKey !== undefined) entries.push(tlv(SPE.WKENC, p.workingKey));
  if (p.openDigits !== undefined) entries.push(tlv(SPE.OPNDIG, p.openDigits));
  if (p.iv !== undefined) entries.push(tlv(SPE.IVCBC, p.iv));
  return tlvBlock(...entries);
}

export interface GpnParams {
  /** GPN_METHOD N1: "0" MK/WK:DES, "1" MK/WK:TDES, "2" DUKPT:DES, "3" DUKPT:TDES. Default "1". */
  method?: '0' | '1' | '2' | '3';
  /** GPN_KEYIDX N2. */
  keyIndex: number;
  /** GPN_WKENC H32: working key encrypted under the MK (16 bytes or 32 hex chars). */
  workingKeyEnc?: Buffer | string;
  /** GPN_PAN (GPN_PANLEN derived); "" = PANLEN "00" (the pad uses the card it read). */
  pan: string;
  /** GPN_ENTRIES N1, fixed "1". */
  entries?: number;
  /** GPN_MIN1 N2 (≥ 04). */
  min?: number;
  /** GPN_MAX1 N2. */
  max?: number;
  /** GPN_MSG1 S32, two lines of 16. */
  message?: [string, string] | string;
}

/** GPN block, §3.3.11: METHOD, KEYIDX, WKENC, PANLEN, PAN (A19), ENTRIES, MIN1, MAX1, MSG1 (S32). */
export function gpnBlock(p: GpnParams): Buffer {
  const wk =
    p.workingKeyEnc === undefined
      ? '0'.repeat(32)
      : typeof p.workingKeyEnc === 'string'
        ? p.workingKeyEnc
        : p.workingKeyEnc.toString('hex').toUpperCase();
  const msg =
    p.message === undefined
      ? fieldA('', 32)
      : typeof p.message === 'string'
        ? fieldA(p.message, 32)
        : dspBlock(p.message[0], p.message[1]);
  return Buffer.concat([
    latin1(p.method ?? '1'),
    fieldN(p.keyIndex, 2),
    latin1(wk.padEnd(32, '0').slice(0, 32)),
    fieldN(p.pan.length, 2),
    fieldA(p.pan, 19),
    fieldN(p.entries ?? 1, 1),
    fieldN(p.min ?? 4, 2),
    fieldN(p.max ?? 12, 2),
    msg,
  ]);
}

/** GPN response, §3.3.11: GPN_PINBLK (H16) + GPN_KSN (H20). */
export function decodeGpn(r: TerminalResponse): { pinBlock: Buffer; ksn: string } {
  const d = r.blocks[0]?.toString('latin1') ?? '';
  if (d.length !== 36) throw new AbecsFormatError('GPN response block must be 36 bytes');
  return { pinBlock: Buffer.from(d.slice(0, 16), 'hex'), ksn: d.slice(16, 36) };
}

/** GIN response for GIN_ACQIDX "00", §3.2.3. */
export function decodeGin00(r: TerminalResponse): {
  maker: string;
  model: string;
  ctls: boolean;
  osVersion: string;
  specVersion: string;
  managerVersion: string;
  serialNumber: string;
} {
  const d = r.blocks[0]?.toString('latin1') ?? '';
  if (d.length !== 100) throw new AbecsFormatError('GIN "00" response block must be 100 bytes');
  return {
    maker: d.slice(0, 20).trimEnd(),
    model: d.slice(20, 39).trimEnd(),
    ctls: d[39] === 'C',
    osVersion: d.slice(40, 60).trimEnd(),
    specVersion: d.slice(60, 64).trimEnd(),
    managerVersion: d.slice(64, 80).trimEnd(),
    serialNumber: d.slice(80, 100).trimEnd(),
  };
}

/** GCX parameters, §3.7.1 (SPE_TRNDATE and SPE_TRNTIME are mandatory). */
export function gcxBlock(p: {
  date: string;
  time: string;
  amountCents?: number;
  cashbackCents?: number;
  trnType?: number;
  currency?: string;
  acqRef?: string;
  appTypes?: string[];
  aidList?: string[];
  options?: string;
  panMask?: string;
  emvData?: Buffer;
  tagList?: string[];
  timeoutSec?: number;
  message?: string;
}): Buffer {
  const e: Buffer[] = [];
  if (p.trnType !== undefined) e.push(tlv(SPE.TRNTYPE, Buffer.of(p.trnType)));
  if (p.acqRef !== undefined) e.push(tlv(SPE.ACQREF, p.acqRef));
  if (p.appTypes !== undefined) e.push(tlv(SPE.APPTYPE, p.appTypes.join('')));
  if (p.aidList !== undefined) e.push(tlv(SPE.AIDLIST, p.aidList.join('')));
  if (p.amountCents !== undefined) e.push(tlv(SPE.AMOUNT, fieldN(p.amountCents, 12)));
  if (p.cashbackCents !== undefined) e.push(tlv(SPE.CASHBACK, fieldN(p.cashbackCents, 12)));
  if (p.currency !== undefined) e.push(tlv(SPE.TRNCURR, p.currency));
  e.push(tlv(SPE.TRNDATE, p.date), tlv(SPE.TRNTIME, p.time));
  if (p.options !== undefined) e.push(tlv(SPE.GCXOPT, p.options));
  if (p.panMask !== undefined) e.push(tlv(SPE.PANMASK, p.panMask));
  if (p.emvData !== undefined) e.push(tlv(SPE.EMVDATA, p.emvData));
  if (p.tagList !== undefined) e.push(tlv(SPE.TAGLIST, Buffer.from(p.tagList.join(''), 'hex')));
  if (p.timeoutSec !== undefined) e.push(tlv(SPE.TIMEOUT, Buffer.of(p.timeoutSec)));
  if (p.message !== undefined) e.push(tlv(SPE.DSPMSG, p.message));
  return tlvBlock(...e);
}

/** GOX parameters, §3.7.3 (SPE_ACQREF, SPE_MTHDPIN, SPE_KEYIDX mandatory; SPE_WKENC for MK/WK). */
export function goxBlock(p: {
  acqRef: string;
  pinMethod: '0' | '1' | '2' | '3';
  keyIndex: string;
  workingKeyEnc?: Buffer;
  amountCents?: number;
  cashbackCents?: number;
  trnType?: number;
  options?: string;
  message?: string;
  tagList?: string[];
  timeoutSec?: number;
}): Buffer {
  const e = [tlv(SPE.ACQREF, p.acqRef), tlv(SPE.MTHDPIN, p.pinMethod), tlv(SPE.KEYIDX, p.keyIndex)];
  if (p.workingKeyEnc !== undefined) e.push(tlv(SPE.WKENC, p.workingKeyEnc));
  if (p.trnType !== undefined) e.push(tlv(SPE.TRNTYPE, Buffer.of(p.trnType)));
  if (p.amountCents !== undefined) e.push(tlv(SPE.AMOUNT, fieldN(p.amountCents, 12)));
  if (p.cashbackCents !== undefined) e.push(tlv(SPE.CASHBACK, fieldN(p.cashbackCents, 12)));
  if (p.options !== undefined) e.push(tlv(SPE.GOXOPT, p.options));
  if (p.message !== undefined) e.push(tlv(SPE.DSPMSG, p.message));
  if (p.tagList !== undefined) e.push(tlv(SPE.TAGLIST, Buffer.from(p.tagList.join(''), 'hex')));
  if (p.timeoutSec !== undefined) e.push(tlv(SPE.TIMEOUT, Buffer.of(p.timeoutSec)));
  return tlvBlock(...e);
}

/** FCX parameters, §3.7.4: SPE_FCXOPT ("0xxx" approved, "1xxx" declined, "2xxx" no answer), SPE_ARC. */
export function fcxBlock(p: {
  options: string;
  arc?: string;
  emvData?: Buffer;
  tagList?: string[];
}): Buffer {
  const e = [tlv(SPE.FCXOPT, p.options)];
  if (p.arc !== undefined) e.push(tlv(SPE.ARC, p.arc));
  if (p.emvData !== undefined) e.push(tlv(SPE.EMVDATA, p.emvData));
  if (p.tagList !== undefined) e.push(tlv(SPE.TAGLIST, Buffer.from(p.tagList.join(''), 'hex')));
  return tlvBlock(...e);
}
