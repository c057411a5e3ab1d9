// Field layouts of the ABECS commands this application uses, shared by the driver (host side)
// and the emulator (device side), so both sides read one description of each command.
import { Pp, Spe } from './constants';
import { AbecsMessageError } from './errors';
import { ascii, tlvBlocks, tlvFromBlocks, type TlvParam } from './message';

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
      'ABECS_TRUNCATED',
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

/** The pad's reading of DSP_MSG / CLO_MSG (§6.5.5): bytes below 20h are spaces, 32 at most. */
export function decodeDisplayBlock(block: Buffer): [string, string] {
  const text = Array.from(block.toString('latin1'), (ch) => (ch < ' ' ? ' ' : ch))
    .join('')
    .padEnd(32, ' ');
  return [text.slice(0, 16).trimEnd(), text.slice(16, 32).trimEnd()];
}

/** DEX block: 3-digit text length + text (line breaks as 0Dh), at most 160 characters. */
export function dexBlock(text: string): Buffer {
  const clean = toLatin1(text).replace(/\r?\n/g, '\r').slice(0, 160);
  return ascii(String(clean.length).padStart(3, '0') + clean);
}

/**
 * The pad's reading of a DEX block (§6.5.4): DEX_MSGLEN must match DEX_MSG and be at most 160
 * (ST_INVPARM otherwise); any byte below 20h in the text is a line break, returned as CR.
 */
export function decodeDexBlock(block: Buffer): string {
  const lll = field(block, 0, 3);
  const length = Number(lll);
  if (!/^\d{3}$/.test(lll) || length > 160 || block.length !== 3 + length) {
    throw new AbecsMessageError(
      'ABECS_BAD_FIELD',
      'DEX_MSGLEN does not match DEX_MSG or exceeds 160',
    );
  }
  return Array.from(field(block, 3, length), (ch) => (ch < ' ' ? '\r' : ch)).join('');
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

/**
 * The pad's reading of CEX (§6.5.1): SPE_CEXOPT of any length, a position missing or out of its
 * range counting as "0" (ignore that event). The caller answers ST_MANDAT when it is absent.
 */
export function decodeCexOptions(params: Map<number, Buffer>): CexOptions {
  const raw = params.get(Spe.CEXOPT);
  if (!raw) throw new AbecsMessageError('ABECS_BAD_FIELD', 'SPE_CEXOPT missing');
  const text = raw.toString('latin1');
  const at = (i: number, allowed: string) =>
    text[i] !== undefined && allowed.includes(text[i]!) ? text[i]! : '0';
  const opt = at(0, '01') + at(1, '01') + at(2, '012') + at(3, '01');
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
      throw new AbecsMessageError(
        'ABECS_BAD_FIELD',
        'track 2 holds a character outside 0-9 : ; < = > ?',
      );
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

/** Track 2 only ("0010"): after a swipe at CEX, where there is no chip PAN to ask for. */
export const TRACK2_ONLY: TrackRequest = { pan: false, track1: false, track2: true, track3: false };

/**
 * PAN and track 2 ("1010"): after GCX, whose PP_PAN may be masked (SPE_PANMASK) and which returns
 * only the incomplete track (PP_TRK2INC); PP_ENCPAN comes only for a chip card (§3.3.12).
 */
export const PAN_AND_TRACK2: TrackRequest = {
  pan: true,
  track1: false,
  track2: true,
  track3: false,
};

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

export interface GtkResult {
  /** PP_ENCPAN in clear: one digit per nibble, F filler (chip cards after GCX only). */
  pan?: string;
  /** PP_TRACK2 in clear: one symbol per nibble, F filler. */
  track2?: string;
}

/** GTK answer for clear tracks (no SPE_MTHDDAT): what the pad has of what was asked. */
export function gtkResultParams(result: GtkResult): TlvParam[] {
  const params: TlvParam[] = [];
  if (result.pan) params.push({ id: Pp.ENCPAN, value: encodeTrackNibbles(result.pan) });
  if (result.track2) params.push({ id: Pp.TRACK2, value: encodeTrackNibbles(result.track2) });
  return params;
}

export function decodeGtkResult(blocks: readonly Buffer[]): GtkResult {
  const p = tlvFromBlocks(blocks);
  const result: GtkResult = {};
  const pan = p.get(Pp.ENCPAN);
  if (pan) {
    const digits = decodeTrackNibbles(pan);
    if (!/^\d{1,19}$/.test(digits))
      throw new AbecsMessageError('ABECS_BAD_FIELD', 'PP_ENCPAN is not a clear PAN');
    result.pan = digits;
  }
  const track2 = p.get(Pp.TRACK2);
  if (track2) result.track2 = decodeTrackNibbles(track2);
  return result;
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

// --- GPN (spec 2.12 §3.3.11, §6.5.11) --------------------------------------------------------

export const GPN_BLOCK_LENGTH = 93;

export interface GpnRequest {
  /** GPN_METHOD: 0 = MK/WK DES, 1 = MK/WK 3DES, 2 = DUKPT DES, 3 = DUKPT 3DES. */
  method: 0 | 1 | 2 | 3;
  keyIndex: number;
  /** Working key encrypted under the master key at keyIndex, 32 hex chars (zeros for DUKPT). */
  workingKeyHex: string;
  /** "" (PANLEN "00": the card read by CEX/GCX) or 2-19 digits. */
  pan: string;
  minDigits: number;
  maxDigits: number;
  message: string;
}

export function gpnBlock(req: GpnRequest): Buffer {
  if (!/^[0-9A-Fa-f]{32}$/.test(req.workingKeyHex)) {
    throw new AbecsMessageError('ABECS_BAD_FIELD', 'working key must be 32 hex characters');
  }
  if (!/^(\d{2,19})?$/.test(req.pan))
    throw new AbecsMessageError('ABECS_BAD_FIELD', 'PAN must be empty or 2 to 19 digits');
  if (req.minDigits < 4 || req.maxDigits > 12 || req.minDigits > req.maxDigits) {
    throw new AbecsMessageError('ABECS_BAD_FIELD', 'PIN length must be within 4-12');
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

/**
 * The pad's reading of a GPN block, with the format checks that answer ST_INVPARM (§3.3.11,
 * §6.5.11): 93 bytes, METHOD 0-3, KEYIDX and lengths numeric, WKENC hexadecimal, PANLEN "00" or
 * "02"-"19" with that many digits, ENTRIES "1", MIN1 at least "04", MAX1 at least MIN1.
 */
export function decodeGpnBlock(block: Buffer): GpnRequest {
  const bad = (why: string) => new AbecsMessageError('ABECS_BAD_FIELD', `GPN ${why}`);
  if (block.length !== GPN_BLOCK_LENGTH) throw bad(`block of ${block.length} bytes, not 93`);
  const method = Number(field(block, 0, 1));
  if (method !== 0 && method !== 1 && method !== 2 && method !== 3) throw bad('method');
  const keyIndex = field(block, 1, 2);
  const workingKeyHex = field(block, 3, 32);
  const panLength = field(block, 35, 2);
  const panField = field(block, 37, 19);
  const [min, max] = [field(block, 57, 2), field(block, 59, 2)];
  if (!/^\d\d$/.test(keyIndex)) throw bad('key index');
  if (!/^[0-9A-Fa-f]{32}$/.test(workingKeyHex)) throw bad('working key');
  if (!/^(00|0[2-9]|1\d)$/.test(panLength)) throw bad('PAN length');
  const pan = panField.slice(0, Number(panLength));
  if (!/^\d*$/.test(pan)) throw bad('PAN');
  if (field(block, 56, 1) !== '1') throw bad('entries');
  if (!/^\d\d$/.test(min) || !/^\d\d$/.test(max) || Number(min) < 4 || Number(max) < Number(min))
    throw bad('PIN lengths');
  return {
    method,
    keyIndex: Number(keyIndex),
    workingKeyHex,
    pan,
    minDigits: Number(min),
    maxDigits: Number(max),
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
    throw new AbecsMessageError('ABECS_BAD_FIELD', 'GPN result is not hexadecimal');
  }
  return { pinBlockHex: pinBlockHex.toUpperCase(), ksnHex: ksnHex.toUpperCase() };
}

// --- GCX / GOX / FCX (chip, spec 2.12 §3.7) -------------------------------------------------

export interface GcxRequest {
  transactionType: number;
  acquirer: string;
  amountCents: number;
  currency: string;
  /** AAMMDD and HHMMSS: the only mandatory parameters (§3.7.1). */
  date: string;
  time: string;
  /** SPE_GCXOPT "1xxxx": also wait for a contactless card. */
  contactless?: boolean;
  timeoutSec?: number;
}

function n(value: number, width: number): Buffer {
  return ascii(String(value).padStart(width, '0'));
}

/**
 * GCX parameters. No SPE_APPTYPE (its values are "01"-"98" and select AID table records by
 * T1_APPTYPE; absent = any). SPE_PANMASK "0604" masks PP_PAN and PP_TRK2INC (§5.4.1): the full
 * PAN and track 2 come from GTK afterwards.
 */
export function gcxParams(req: GcxRequest): TlvParam[] {
  const params: TlvParam[] = [
    { id: Spe.TRNTYPE, value: Buffer.of(req.transactionType) },
    { id: Spe.ACQREF, value: ascii(req.acquirer) },
    { id: Spe.AMOUNT, value: n(req.amountCents, 12) },
    { id: Spe.TRNCURR, value: ascii(req.currency) },
    { id: Spe.TRNDATE, value: ascii(req.date) },
    { id: Spe.TRNTIME, value: ascii(req.time) },
    { id: Spe.GCXOPT, value: ascii(`${req.contactless ? 1 : 0}0000`) },
    panMaskParam({ left: 6, right: 4 }),
  ];
  if (req.timeoutSec !== undefined)
    params.push({ id: Spe.TIMEOUT, value: Buffer.of(req.timeoutSec) });
  return params;
}

/** GCX answer (§3.7.1, §6.9.1.1-3). There is no full track or clear PAN here: see GTK. */
export interface GcxResult {
  /** PP_CARDTYPE: "00" magnetic, "03" ICC EMV, "05" CTLS magstripe, "06" CTLS EMV. */
  cardType: string;
  /** PP_ICCSTAT, magnetic cards only: "0" fine, "1" fallback error, "2" application missing. */
  iccStatus?: string;
  /** PP_AIDTABINFO: TAB_ACQ + TAB_RECIDX + T1_APPTYPE records (A6 each), chip cards only. */
  aidTableInfo?: string;
  /** PP_PAN (chip cards), masked when the command carried SPE_PANMASK. */
  pan?: string;
  /** PP_PANSEQNO (chip cards; "00" when the card has none). */
  panSequence?: string;
  /** PP_TRK2INC: track 2 cut seven positions after "=", masked like PP_PAN (§5.4.1). */
  track2Incomplete?: string;
  cardholderName?: string;
  label?: string;
  issuerCountry?: string;
  /** PP_CARDEXP, AAMMDD. */
  expiry?: string;
  emvData?: Buffer;
}

export function gcxResultParams(result: GcxResult): TlvParam[] {
  const params: TlvParam[] = [{ id: Pp.CARDTYPE, value: ascii(result.cardType) }];
  const text: Array<[number, string | undefined]> = [
    [Pp.ICCSTAT, result.iccStatus],
    [Pp.AIDTABINFO, result.aidTableInfo],
    [Pp.PAN, result.pan],
    [Pp.PANSEQNO, result.panSequence],
    [Pp.TRK2INC, result.track2Incomplete],
    [Pp.CHNAME, result.cardholderName],
    [Pp.LABEL, result.label],
    [Pp.ISSCNTRY, result.issuerCountry],
    [Pp.CARDEXP, result.expiry],
  ];
  for (const [id, value] of text) if (value !== undefined) params.push({ id, value: ascii(value) });
  if (result.emvData) params.push({ id: Pp.EMVDATA, value: result.emvData });
  return params;
}

const CHIP_CARD_TYPES = new Set(['03', '06']);

export function decodeGcxResult(blocks: readonly Buffer[]): GcxResult {
  const p = tlvFromBlocks(blocks);
  const text = (id: number) => p.get(id)?.toString('latin1');
  const cardType = text(Pp.CARDTYPE);
  if (!cardType || !/^\d\d$/.test(cardType))
    throw new AbecsMessageError('ABECS_BAD_FIELD', 'GCX response without PP_CARDTYPE');
  const result: GcxResult = { cardType };
  const fields: Array<[keyof GcxResult, number]> = [
    ['iccStatus', Pp.ICCSTAT],
    ['aidTableInfo', Pp.AIDTABINFO],
    ['pan', Pp.PAN],
    ['panSequence', Pp.PANSEQNO],
    ['track2Incomplete', Pp.TRK2INC],
    ['cardholderName', Pp.CHNAME],
    ['label', Pp.LABEL],
    ['issuerCountry', Pp.ISSCNTRY],
    ['expiry', Pp.CARDEXP],
  ];
  for (const [key, id] of fields) {
    const value = text(id);
    if (value !== undefined) (result as unknown as Record<string, string>)[key] = value;
  }
  const emv = p.get(Pp.EMVDATA);
  if (emv) result.emvData = emv;
  // PP_PAN is mandatory for an EMV card (§3.7.1): "o SPE finalizará a operação com erro fatal".
  if (CHIP_CARD_TYPES.has(cardType) && !result.pan)
    throw new AbecsMessageError(
      'ABECS_BAD_FIELD',
      `GCX response for card type ${cardType} without PP_PAN`,
    );
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
  if (!result) throw new AbecsMessageError('ABECS_BAD_FIELD', 'GOX response without PP_GOXRES');
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
  // §3.1.3.2 lists PP_FCXRES as 8058h, but the §3.7.4 example answers its 3-digit result under
  // 8056h (PP_GOXRES, N6): a pad built from the example is read too.
  const goxres = p.get(Pp.GOXRES);
  const result = (p.get(Pp.FCXRES) ?? (goxres?.length === 3 ? goxres : undefined))?.toString(
    'latin1',
  );
  if (!result) throw new AbecsMessageError('ABECS_BAD_FIELD', 'FCX response without PP_FCXRES');
  return { result, emvData: p.get(Pp.EMVDATA) ?? Buffer.alloc(0) };
}

export { tlvBlocks };
