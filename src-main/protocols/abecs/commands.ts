// Field layouts of the ABECS commands this application uses, shared by the driver (host side)
// and the emulator (device side), so both sides read one description of each command.
import { Pp, Spe } from './constants';
import { AbecsMessageError, ascii, tlvBlocks, tlvFromBlocks, type TlvParam } from './message';

// --- text helpers --------------------------------------------------------------------------

/** Latin-1 only: anything else (e.g. Chinese) becomes '?', since the pad cannot draw it. */
export function toLatin1(text: string): string {
  return Array.from(text, (ch) => (ch.charCodeAt(0) <= 0xff && ch.length === 1 ? ch : '?')).join(
    '',
  );
}

function fixed(text: string, width: number): string {
  return toLatin1(text).slice(0, width).padEnd(width, ' ');
}

function field(block: Buffer, at: number, width: number): string {
  if (at + width > block.length) {
    throw new AbecsMessageError(
      'TRUNCATED',
      `field at ${at} needs ${width} bytes, block has ${block.length}`,
    );
  }
  return block.subarray(at, at + width).toString('latin1');
}

// --- GIN -----------------------------------------------------------------------------------

export interface GinInfo {
  maker: string;
  model: string;
  contactless: boolean;
  osVersion: string;
  specVersion: string;
  managerVersion: string;
  serialNumber: string;
}

const GIN_WIDTHS = [20, 19, 1, 20, 4, 16, 20] as const;
export const GIN_INFO_LENGTH = GIN_WIDTHS.reduce((a, b) => a + b, 0);

/** GIN with ACQIDX 00: general pad information. */
export function ginRequestBlocks(): Buffer[] {
  return [ascii('00')];
}

export function encodeGinInfo(info: GinInfo): Buffer {
  return ascii(
    fixed(info.maker, 20) +
      fixed(info.model, 19) +
      (info.contactless ? 'C' : ' ') +
      fixed(info.osVersion, 20) +
      fixed(info.specVersion, 4) +
      fixed(info.managerVersion, 16) +
      fixed(info.serialNumber, 20),
  );
}

export function decodeGinInfo(block: Buffer): GinInfo {
  const parts: string[] = [];
  let at = 0;
  for (const width of GIN_WIDTHS) {
    parts.push(field(block, at, width));
    at += width;
  }
  const [maker, model, ctls, os, spec, manager, serial] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  return {
    maker: maker.trim(),
    model: model.trim(),
    contactless: ctls === 'C',
    osVersion: os.trim(),
    specVersion: spec.trim(),
    managerVersion: manager.trim(),
    serialNumber: serial.trim(),
  };
}

// --- DSP / DEX / CLO -------------------------------------------------------------------------

export const DISPLAY_COLS = 16;

/** DSP / CLO block: two lines of 16 Latin-1 characters. */
export function displayBlock(line1: string, line2 = ''): Buffer {
  return ascii(fixed(line1, DISPLAY_COLS) + fixed(line2, DISPLAY_COLS));
}

export function decodeDisplayBlock(block: Buffer): [string, string] {
  const text = block.toString('latin1').padEnd(32, ' ');
  return [text.slice(0, 16).trimEnd(), text.slice(16, 32).trimEnd()];
}

/** DEX block: 3-digit text length + text (line breaks as 0Dh), at most 160 characters. */
export function dexBlock(text: string): Buffer {
  const clean = toLatin1(text).replace(/\r?\n/g, '\r').slice(0, 160);
  return ascii(String(clean.length).padStart(3, '0') + clean);
}

export function decodeDexBlock(block: Buffer): string {
  const length = Number(field(block, 0, 3));
  if (!Number.isInteger(length))
    throw new AbecsMessageError('BAD_FIELD', 'DEX length is not numeric');
  return field(block, 3, length);
}

// --- CEX -----------------------------------------------------------------------------------

export interface CexOptions {
  keys: boolean;
  magstripe: boolean;
  chip: 'ignore' | 'insert' | 'remove';
  contactless: boolean;
  /** Cardholder inactivity timeout in seconds (1-255); pad default when absent. */
  timeoutSec?: number;
}

export function cexParams(options: CexOptions): TlvParam[] {
  const chip = options.chip === 'insert' ? '1' : options.chip === 'remove' ? '2' : '0';
  const opt = `${options.keys ? 1 : 0}${options.magstripe ? 1 : 0}${chip}${options.contactless ? 1 : 0}00`;
  const params: TlvParam[] = [{ id: Spe.CEXOPT, value: ascii(opt) }];
  if (options.timeoutSec !== undefined) {
    params.push({
      id: Spe.TIMEOUT,
      value: Buffer.of(Math.max(1, Math.min(255, options.timeoutSec))),
    });
  }
  return params;
}

export function decodeCexOptions(params: Map<number, Buffer>): CexOptions {
  const opt = params.get(Spe.CEXOPT)?.toString('latin1');
  if (!opt || !/^[01][01][012][01]\d\d$/.test(opt)) {
    throw new AbecsMessageError('BAD_FIELD', 'SPE_CEXOPT missing or invalid');
  }
  const timeout = params.get(Spe.TIMEOUT);
  const options: CexOptions = {
    keys: opt[0] === '1',
    magstripe: opt[1] === '1',
    chip: opt[2] === '1' ? 'insert' : opt[2] === '2' ? 'remove' : 'ignore',
    contactless: opt[3] === '1',
  };
  if (timeout && timeout.length > 0) options.timeoutSec = timeout[0]!;
  return options;
}

// --- track 2 nibbles (PP_TRACK2) ------------------------------------------------------------

const TRACK_SYMBOLS = '0123456789:;<=>?';

/** One symbol per nibble, left aligned, padded with Fh. Sentinels are not included. */
export function encodeTrackNibbles(track: string): Buffer {
  const nibbles = Array.from(track, (ch) => {
    const v = TRACK_SYMBOLS.indexOf(ch);
    if (v < 0)
      throw new AbecsMessageError('BAD_FIELD', 'track 2 holds a character outside 0-9 : ; < = > ?');
    return v;
  });
  if (nibbles.length % 2) nibbles.push(0xf);
  const out = Buffer.alloc(nibbles.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = (nibbles[2 * i]! << 4) | nibbles[2 * i + 1]!;
  return out;
}

export function decodeTrackNibbles(data: Buffer): string {
  let text = '';
  for (const byte of data) text += TRACK_SYMBOLS[byte >> 4]! + TRACK_SYMBOLS[byte & 0xf]!;
  return text.replace(/\?+$/, '');
}

// --- GTK (spec 2.12 §6.5.12) and incomplete tracks (§5.4.1) -----------------------------------

/** SPE_TRACKS: four position flags, left to right: PAN, track 1, track 2, track 3. */
export interface TrackRequest {
  pan: boolean;
  track1: boolean;
  track2: boolean;
  track3: boolean;
}

/** Track 2 only: this application never asks for track 1 or 3, nor the chip PAN. */
export const TRACK2_ONLY: TrackRequest = { pan: false, track1: false, track2: true, track3: false };

export function gtkParams(want: TrackRequest = TRACK2_ONLY): TlvParam[] {
  const flag = (on: boolean) => (on ? '1' : '0');
  const value = flag(want.pan) + flag(want.track1) + flag(want.track2) + flag(want.track3);
  return [{ id: Spe.TRACKS, value: ascii(value) }];
}

/**
 * The pad's reading of SPE_TRACKS: absent means everything it knows; any length is accepted, and
 * a position missing or other than "1" counts as "0" (§6.5.12).
 */
export function decodeTrackRequest(value: Buffer | undefined): TrackRequest {
  if (value === undefined) return { pan: true, track1: true, track2: true, track3: true };
  const text = value.toString('latin1');
  return {
    pan: text[0] === '1',
    track1: text[1] === '1',
    track2: text[2] === '1',
    track3: text[3] === '1',
  };
}

/** SPE_PANMASK "eedd": digits left open on the left (ee) and on the right (dd). */
export interface PanMask {
  left: number;
  right: number;
}

export function panMaskParam(mask: PanMask): TlvParam {
  const two = (n: number) => String(n).padStart(2, '0');
  return { id: Spe.PANMASK, value: ascii(two(mask.left) + two(mask.right)) };
}

export function decodePanMask(value: Buffer | undefined): PanMask | undefined {
  const m = value ? /^(\d{2})(\d{2})$/.exec(value.toString('latin1')) : null;
  return m ? { left: Number(m[1]), right: Number(m[2]) } : undefined;
}

/**
 * PP_TRK2INC: track 2 truncated seven positions after the "=" separator (or its first 19
 * positions when there is none), in clear unless a PAN mask was asked for (§5.4.1).
 */
export function incompleteTrack2(track2: string, mask?: PanMask): string {
  const separator = track2.indexOf('=');
  const truncated = separator >= 0 ? track2.slice(0, separator + 8) : track2.slice(0, 19);
  return mask ? maskLeadingPan(truncated, mask) : truncated;
}

/**
 * §5.4.1 masking: the PAN is the first run of digits from the left (spaces inside it are
 * skipped and not counted); all but `left` and `right` digits become "*". No masking when the
 * two together reach the number of PAN digits.
 */
export function maskLeadingPan(text: string, mask: PanMask): string {
  const chars = [...text];
  const start = chars.findIndex((ch) => ch >= '0' && ch <= '9');
  if (start < 0) return text;
  const positions: number[] = [];
  for (let i = start; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch >= '0' && ch <= '9') positions.push(i);
    else if (ch !== ' ') break;
  }
  if (mask.left + mask.right >= positions.length) return text;
  for (const at of positions.slice(mask.left, positions.length - mask.right)) chars[at] = '*';
  return chars.join('');
}

// --- GPN -----------------------------------------------------------------------------------

export interface GpnRequest {
  /** 1 = MK/WK 3DES, 3 = DUKPT 3DES. */
  method: 1 | 3;
  keyIndex: number;
  /** Working key encrypted under the master key at keyIndex, 32 hex chars (zeros for DUKPT). */
  workingKeyHex: string;
  pan: string;
  minDigits: number;
  maxDigits: number;
  message: string;
}

export function gpnBlock(req: GpnRequest): Buffer {
  if (!/^[0-9A-Fa-f]{32}$/.test(req.workingKeyHex)) {
    throw new AbecsMessageError('BAD_FIELD', 'working key must be 32 hex characters');
  }
  if (!/^\d{0,19}$/.test(req.pan))
    throw new AbecsMessageError('BAD_FIELD', 'PAN must be up to 19 digits');
  if (req.minDigits < 4 || req.maxDigits > 12 || req.minDigits > req.maxDigits) {
    throw new AbecsMessageError('BAD_FIELD', 'PIN length must be within 4-12');
  }
  const two = (n: number) => String(n).padStart(2, '0');
  return ascii(
    String(req.method) +
      two(req.keyIndex) +
      req.workingKeyHex.toUpperCase() +
      two(req.pan.length) +
      req.pan.padEnd(19, ' ') +
      '1' +
      two(req.minDigits) +
      two(req.maxDigits) +
      fixed(req.message, 32),
  );
}

export function decodeGpnBlock(block: Buffer): GpnRequest {
  const method = Number(field(block, 0, 1));
  if (method !== 1 && method !== 3)
    throw new AbecsMessageError('BAD_FIELD', `GPN method ${method}`);
  const panLength = Number(field(block, 35, 2));
  const entries = field(block, 56, 1);
  if (!Number.isInteger(panLength) || panLength > 19 || entries !== '1') {
    throw new AbecsMessageError('BAD_FIELD', 'GPN PAN length or entries invalid');
  }
  return {
    method,
    keyIndex: Number(field(block, 1, 2)),
    workingKeyHex: field(block, 3, 32),
    pan: field(block, 37, 19).slice(0, panLength),
    minDigits: Number(field(block, 57, 2)),
    maxDigits: Number(field(block, 59, 2)),
    message: field(block, 61, 32).trimEnd(),
  };
}

export interface GpnResult {
  pinBlockHex: string;
  ksnHex: string;
}

export function gpnResultBlock(result: GpnResult): Buffer {
  return ascii(
    result.pinBlockHex.toUpperCase().padEnd(16, '0') + result.ksnHex.toUpperCase().padEnd(20, '0'),
  );
}

export function decodeGpnResult(block: Buffer): GpnResult {
  const pinBlockHex = field(block, 0, 16);
  const ksnHex = field(block, 16, 20);
  if (!/^[0-9A-F]{16}$/i.test(pinBlockHex) || !/^[0-9A-F]{20}$/i.test(ksnHex)) {
    throw new AbecsMessageError('BAD_FIELD', 'GPN result is not hexadecimal');
  }
  return { pinBlockHex: pinBlockHex.toUpperCase(), ksnHex: ksnHex.toUpperCase() };
}

// --- GCX / GOX / FCX (chip) -----------------------------------------------------------------

export interface GcxRequest {
  transactionType: number;
  acquirer: string;
  amountCents: number;
  currency: string;
  date: string;
  time: string;
  timeoutSec?: number;
}

function n(value: number, width: number): Buffer {
  return ascii(String(value).padStart(width, '0'));
}

export function gcxParams(req: GcxRequest): TlvParam[] {
  const params: TlvParam[] = [
    { id: Spe.TRNTYPE, value: Buffer.of(req.transactionType) },
    { id: Spe.ACQREF, value: ascii(req.acquirer) },
    { id: Spe.APPTYPE, value: ascii('99') },
    { id: Spe.AMOUNT, value: n(req.amountCents, 12) },
    { id: Spe.TRNCURR, value: ascii(req.currency) },
    { id: Spe.TRNDATE, value: ascii(req.date) },
    { id: Spe.TRNTIME, value: ascii(req.time) },
    { id: Spe.GCXOPT, value: ascii('00000') },
    panMaskParam({ left: 6, right: 4 }),
  ];
  if (req.timeoutSec !== undefined)
    params.push({ id: Spe.TIMEOUT, value: Buffer.of(req.timeoutSec) });
  return params;
}

export interface GcxResult {
  cardType: string;
  pan: string;
  panSequence?: string;
  track2?: string;
  expiry?: string;
  label?: string;
}

export function gcxResultParams(result: GcxResult): TlvParam[] {
  const params: TlvParam[] = [
    { id: Pp.CARDTYPE, value: ascii(result.cardType) },
    { id: Pp.PAN, value: ascii(result.pan) },
  ];
  if (result.panSequence) params.push({ id: Pp.PANSEQNO, value: ascii(result.panSequence) });
  if (result.track2) params.push({ id: Pp.TRACK2, value: encodeTrackNibbles(result.track2) });
  if (result.expiry) params.push({ id: Pp.CARDEXP, value: ascii(result.expiry) });
  if (result.label) params.push({ id: Pp.LABEL, value: ascii(result.label) });
  return params;
}

export function decodeGcxResult(blocks: readonly Buffer[]): GcxResult {
  const p = tlvFromBlocks(blocks);
  const cardType = p.get(Pp.CARDTYPE)?.toString('latin1');
  const pan = p.get(Pp.PAN)?.toString('latin1');
  if (!cardType || !pan)
    throw new AbecsMessageError('BAD_FIELD', 'GCX response without card type or PAN');
  const result: GcxResult = { cardType, pan };
  const seq = p.get(Pp.PANSEQNO);
  if (seq) result.panSequence = seq.toString('latin1');
  const track2 = p.get(Pp.TRACK2);
  if (track2) result.track2 = decodeTrackNibbles(track2);
  const exp = p.get(Pp.CARDEXP);
  if (exp) result.expiry = exp.toString('latin1');
  const label = p.get(Pp.LABEL);
  if (label) result.label = label.toString('latin1');
  return result;
}

export interface GoxRequest {
  transactionType: number;
  acquirer: string;
  amountCents: number;
  currency: string;
  method: 1 | 3;
  keyIndex: number;
  /** Working key under the master key (16 bytes), MK/WK only. */
  workingKey?: Buffer;
  message: string;
  tagList: Buffer;
  timeoutSec?: number;
}

export function goxParams(req: GoxRequest): TlvParam[] {
  const params: TlvParam[] = [
    { id: Spe.ACQREF, value: ascii(req.acquirer) },
    { id: Spe.TRNTYPE, value: Buffer.of(req.transactionType) },
    { id: Spe.AMOUNT, value: n(req.amountCents, 12) },
    { id: Spe.TRNCURR, value: ascii(req.currency) },
    { id: Spe.GOXOPT, value: ascii('01000') },
    { id: Spe.MTHDPIN, value: ascii(String(req.method)) },
    { id: Spe.KEYIDX, value: n(req.keyIndex, 2) },
    { id: Spe.DSPMSG, value: ascii(toLatin1(req.message)) },
    { id: Spe.TAGLIST, value: req.tagList },
  ];
  if (req.workingKey) params.push({ id: Spe.WKENC, value: req.workingKey });
  if (req.timeoutSec !== undefined)
    params.push({ id: Spe.TIMEOUT, value: Buffer.of(req.timeoutSec) });
  return params;
}

export interface GoxResult {
  /** PP_GOXRES, e.g. "202000": online approval required, PIN captured for online verification. */
  result: string;
  pinBlock?: Buffer;
  ksn?: Buffer;
  emvData: Buffer;
}

export function goxResultParams(result: GoxResult): TlvParam[] {
  const params: TlvParam[] = [{ id: Pp.GOXRES, value: ascii(result.result) }];
  if (result.pinBlock) params.push({ id: Pp.PINBLK, value: result.pinBlock });
  if (result.ksn) params.push({ id: Pp.KSN, value: result.ksn });
  params.push({ id: Pp.EMVDATA, value: result.emvData });
  return params;
}

export function decodeGoxResult(blocks: readonly Buffer[]): GoxResult {
  const p = tlvFromBlocks(blocks);
  const result = p.get(Pp.GOXRES)?.toString('latin1');
  if (!result) throw new AbecsMessageError('BAD_FIELD', 'GOX response without PP_GOXRES');
  const out: GoxResult = { result, emvData: p.get(Pp.EMVDATA) ?? Buffer.alloc(0) };
  const pin = p.get(Pp.PINBLK);
  if (pin) out.pinBlock = pin;
  const ksn = p.get(Pp.KSN);
  if (ksn) out.ksn = ksn;
  return out;
}

export interface FcxRequest {
  /** "0" approved, "1" declined, "2" could not go online. */
  outcome: '0' | '1' | '2';
  /** Authorization response code from the host (field 39), two characters. */
  arc: string;
  /** Issuer data from the host (e.g. tags 91, 71, 72) as EMV TLV. */
  issuerData: Buffer;
  tagList: Buffer;
}

export function fcxParams(req: FcxRequest): TlvParam[] {
  return [
    { id: Spe.FCXOPT, value: ascii(`${req.outcome}000`) },
    { id: Spe.ARC, value: ascii(req.arc.padEnd(2, ' ').slice(0, 2)) },
    { id: Spe.EMVDATA, value: req.issuerData },
    { id: Spe.TAGLIST, value: req.tagList },
  ];
}

export interface FcxResult {
  result: string;
  emvData: Buffer;
}

export function fcxResultParams(result: FcxResult): TlvParam[] {
  return [
    { id: Pp.FCXRES, value: ascii(result.result) },
    { id: Pp.EMVDATA, value: result.emvData },
  ];
}

export function decodeFcxResult(blocks: readonly Buffer[]): FcxResult {
  const p = tlvFromBlocks(blocks);
  const result = p.get(Pp.FCXRES)?.toString('latin1');
  if (!result) throw new AbecsMessageError('BAD_FIELD', 'FCX response without PP_FCXRES');
  return { result, emvData: p.get(Pp.EMVDATA) ?? Buffer.alloc(0) };
}

export { tlvBlocks };
