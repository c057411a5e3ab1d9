// ZT598-family EPP command codes and data layouts, shared by the driver and the emulator.
// The reference (shared/reference/pinpad-cn-epp.md) gives 31/32/35/36/37/62/63/6F; the status
// command (30h), the MAC command (41h), the RTN error values and the key echo bytes are NOT in
// it: they are this project's documented choices (see src-main/sim/pinpad/README.md).
import { EppDataError } from './errors';

export const EppCommand = {
  STATUS: 0x30,
  LOAD_MASTER_KEY: 0x31,
  LOAD_WORKING_KEY: 0x32,
  CONTROL: 0x35,
  START_PIN_ENTRY: 0x36,
  GET_PIN_BLOCK: 0x37,
  MAC: 0x41,
  LOAD_SM4_MASTER_KEY: 0x62,
  LOAD_SM4_WORKING_KEY: 0x63,
  GET_SM4_PIN_BLOCK: 0x6f,
} as const;

export const EppRtn = {
  OK: 0x60,
  /** The EPP saw a corrupt request frame (bad LRC/length/ETX): the host resends. */
  FRAME_ERROR: 0xe3,
  UNKNOWN_COMMAND: 0xe4,
  BAD_PARAMETER: 0xe5,
  KEY_MISSING: 0xe6,
  NO_PIN: 0xe7,
  INTERNAL: 0xf0,
} as const;

/** Raw bytes the EPP sends between frames during PIN entry. */
export const EppKey = {
  DIGIT: 0x2a, // '*': a digit was typed (never the digit itself)
  ENTER: 0x0d,
  CLEAR: 0x08,
  CANCEL: 0x1b,
} as const;

export const KeyUsage = { KEY_ENCRYPTING: '2', PIN: '3', MAC: '5', DATA: '6' } as const;
export type KeyUsageCode = (typeof KeyUsage)[keyof typeof KeyUsage];

export const PinFormat = { ISO0: 0x20, ISO1: 0x21, ISO2: 0x22, ISO3: 0x23, IBM3624: 0x30 } as const;

/** UnionPay ECB MAC (the POS MAC of CUP ISO 8583), with 3DES or SM4. */
export const MacAlgorithm = { TDES_ECB: '1', SM4_ECB: '2' } as const;

const ascii = (s: string) => Buffer.from(s, 'latin1');
const hex2 = (n: number) => {
  if (!Number.isInteger(n) || n < 0 || n > 0xff)
    throw new EppDataError(`key number ${n} out of range`);
  return n.toString(16).toUpperCase().padStart(2, '0');
};

function lengthCode(key: Buffer): string {
  if (key.length === 8) return '1';
  if (key.length === 16) return '2';
  if (key.length === 24) return '3';
  throw new EppDataError(`key of ${key.length} bytes: must be 8, 16 or 24`);
}

function codeLength(code: string): number {
  const length = { '1': 8, '2': 16, '3': 24 }[code];
  if (!length) throw new EppDataError(`key length code "${code}"`);
  return length;
}

function readHex(text: string, bytes: number, what: string): Buffer {
  if (text.length !== bytes * 2 || !/^[0-9A-Fa-f]*$/.test(text))
    throw new EppDataError(`${what} is not ${bytes} hex bytes`);
  return Buffer.from(text, 'hex');
}

// --- 31h / 62h load master key --------------------------------------------------------------

export interface MasterKeyLoad {
  index: number;
  key: Buffer;
}

export function masterKeyData({ index, key }: MasterKeyLoad): Buffer {
  return ascii(hex2(index) + '0' + lengthCode(key) + key.toString('hex').toUpperCase());
}

export function decodeMasterKeyData(data: Buffer): MasterKeyLoad {
  const text = data.toString('latin1');
  const index = parseInt(text.slice(0, 2), 16);
  if (Number.isNaN(index)) throw new EppDataError('master key number');
  const length = codeLength(text[3] ?? '');
  return { index, key: readHex(text.slice(4), length, 'master key') };
}

// --- 32h / 63h load working key -------------------------------------------------------------

export interface WorkingKeyLoad {
  masterIndex: number;
  workingIndex: number;
  usage: KeyUsageCode;
  /** Working key encrypted under the master key. */
  encryptedKey: Buffer;
}

export function workingKeyData(w: WorkingKeyLoad): Buffer {
  return ascii(
    hex2(w.masterIndex) +
      hex2(w.workingIndex) +
      w.usage +
      lengthCode(w.encryptedKey) +
      w.encryptedKey.toString('hex').toUpperCase(),
  );
}

export function decodeWorkingKeyData(data: Buffer): WorkingKeyLoad {
  const text = data.toString('latin1');
  const masterIndex = parseInt(text.slice(0, 2), 16);
  const workingIndex = parseInt(text.slice(2, 4), 16);
  const usage = text[4] as KeyUsageCode;
  if (Number.isNaN(masterIndex) || Number.isNaN(workingIndex) || !'2356'.includes(usage ?? 'x')) {
    throw new EppDataError('working key header');
  }
  return {
    masterIndex,
    workingIndex,
    usage,
    encryptedKey: readHex(text.slice(6), codeLength(text[5] ?? ''), 'working key'),
  };
}

/** 63h: usage + mode '0' + master no + working no + 32 hex (SM4 keys are always 16 bytes). */
export function sm4WorkingKeyData(w: WorkingKeyLoad): Buffer {
  if (w.encryptedKey.length !== 16) throw new EppDataError('SM4 working key must be 16 bytes');
  return ascii(
    w.usage +
      '0' +
      hex2(w.masterIndex) +
      hex2(w.workingIndex) +
      w.encryptedKey.toString('hex').toUpperCase(),
  );
}

export function decodeSm4WorkingKeyData(data: Buffer): WorkingKeyLoad {
  const text = data.toString('latin1');
  const usage = text[0] as KeyUsageCode;
  const masterIndex = parseInt(text.slice(2, 4), 16);
  const workingIndex = parseInt(text.slice(4, 6), 16);
  if (Number.isNaN(masterIndex) || Number.isNaN(workingIndex) || !'2356'.includes(usage ?? 'x')) {
    throw new EppDataError('SM4 working key header');
  }
  return {
    masterIndex,
    workingIndex,
    usage,
    encryptedKey: readHex(text.slice(6), 16, 'SM4 working key'),
  };
}

// --- 35h control ----------------------------------------------------------------------------

export const Control = {
  minPinLength: (n: number) => ascii('54' + String(n).padStart(2, '0')),
  maxPinLength: (n: number) => ascii('55' + String(n).padStart(2, '0')),
  cancelInput: () => ascii('5032'),
  eraseAllKeys: () => ascii('5031'),
};

export type ControlAction =
  | { kind: 'min'; value: number }
  | { kind: 'max'; value: number }
  | { kind: 'cancel' }
  | { kind: 'erase' };

export function decodeControl(data: Buffer): ControlAction {
  const text = data.toString('latin1');
  if (text === '5032') return { kind: 'cancel' };
  if (text === '5031') return { kind: 'erase' };
  const m = /^(54|55)(\d{2})$/.exec(text);
  if (!m) throw new EppDataError(`control "${text}"`);
  return { kind: m[1] === '54' ? 'min' : 'max', value: Number(m[2]) };
}

// --- 36h start PIN entry --------------------------------------------------------------------

export function startPinEntryData(): Buffer {
  return ascii('0001' + '2');
}

// --- 37h / 6Fh PIN block --------------------------------------------------------------------

export interface PinBlockRequest {
  /** Working PIN key number, sent as 2 hex characters (the reference example uses 31h). */
  keyIndex: number;
  format: number;
  /** The 12 PAN digits left of the check digit (ISO 9564 format 0). */
  pan12: string;
}

/** 12 rightmost PAN digits excluding the check digit, as ISO 9564 format 0 uses. */
export function pan12Of(pan: string): string {
  const digits = pan.replace(/\D/g, '');
  return digits.slice(0, -1).slice(-12).padStart(12, '0');
}

export function pinBlockRequestData(r: PinBlockRequest): Buffer {
  if (!/^\d{12}$/.test(r.pan12)) throw new EppDataError('PAN must be 12 digits');
  return Buffer.concat([ascii(hex2(r.keyIndex)), Buffer.of(r.format), ascii(r.pan12)]);
}

export function decodePinBlockRequest(data: Buffer): PinBlockRequest {
  if (data.length !== 15) throw new EppDataError('PIN block request must be 15 bytes');
  const keyIndex = parseInt(data.subarray(0, 2).toString('latin1'), 16);
  const pan12 = data.subarray(3).toString('latin1');
  if (!/^\d{12}$/.test(pan12) || Number.isNaN(keyIndex))
    throw new EppDataError('PIN block request fields');
  return { keyIndex, format: data[2]!, pan12 };
}

/** 37h answer: 4 header characters (key number and format, hex) + the 8-byte PIN block in hex. */
export function pinBlockResponseData(r: PinBlockRequest, block: Buffer): Buffer {
  return ascii(hex2(r.keyIndex) + hex2(r.format) + block.toString('hex').toUpperCase());
}

export function decodePinBlockResponse(data: Buffer, bytes: 8 | 16): Buffer {
  const text = data.toString('latin1');
  // 37h: exactly 20 characters, the block in 4-19 (reference). 6Fh: 32 hex characters
  // (reference), or key number + format + 32 (device profile). Any other length is not a block.
  const lengths = bytes === 8 ? [20] : [32, 36];
  if (!lengths.includes(text.length)) {
    throw new EppDataError(`PIN block answer of ${text.length} characters`);
  }
  return readHex(text.slice(text.length - bytes * 2), bytes, 'PIN block');
}

// --- 41h MAC (project choice) ---------------------------------------------------------------

export interface MacRequest {
  keyIndex: number;
  algorithm: (typeof MacAlgorithm)[keyof typeof MacAlgorithm];
  data: Buffer;
}

export function macRequestData(r: MacRequest): Buffer {
  return ascii(hex2(r.keyIndex) + r.algorithm + r.data.toString('hex').toUpperCase());
}

export function decodeMacRequest(data: Buffer): MacRequest {
  const text = data.toString('latin1');
  const keyIndex = parseInt(text.slice(0, 2), 16);
  const algorithm = text[2] as MacRequest['algorithm'];
  const body = text.slice(3);
  if (
    Number.isNaN(keyIndex) ||
    (algorithm !== '1' && algorithm !== '2') ||
    body.length % 2 ||
    !/^[0-9A-Fa-f]*$/.test(body)
  ) {
    throw new EppDataError('MAC request fields');
  }
  return { keyIndex, algorithm, data: Buffer.from(body, 'hex') };
}

// --- 30h status (project choice) -------------------------------------------------------------

export interface EppStatus {
  maker: string;
  model: string;
  serialNumber: string;
  firmware: string;
}

export function statusResponseData(s: EppStatus): Buffer {
  return ascii(
    [s.maker, s.model, s.serialNumber, s.firmware].map((f) => f.replace(/;/g, ',')).join(';'),
  );
}

export function decodeStatusResponse(data: Buffer): EppStatus {
  const [maker, model, serialNumber, firmware] = data.toString('latin1').split(';');
  if (firmware === undefined) throw new EppDataError('status answer has fewer than 4 fields');
  return { maker: maker!, model: model!, serialNumber: serialNumber!, firmware };
}

export function kcvHex(kcv: Buffer): Buffer {
  return ascii(kcv.toString('hex').toUpperCase());
}
