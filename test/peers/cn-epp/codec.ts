// Clean-room codec for the ZT598-family EPP link, written only from
// shared/reference/pinpad-cn-epp.md ("Framing") and test/peers/cn-epp/DEVICE-PROFILE.md ("Link",
// "PIN entry"). Pure except for the optional frame timer of FrameParser.

export const STX = 0x02;
export const ETX = 0x03;

/** Command bytes (reference "Commands"; 30h and 41h are DEVICE-PROFILE choices). */
export const CMD = {
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

/** RTN bytes (DEVICE-PROFILE "Link": 60h success, E3h..E7h errors, all choices). */
export const RTN = {
  OK: 0x60,
  DAMAGED_FRAME: 0xe3,
  UNKNOWN_COMMAND: 0xe4,
  BAD_PARAMETER: 0xe5,
  KEY_MISSING: 0xe6,
  NO_PIN: 0xe7,
} as const;

/** Raw key bytes sent between frames during PIN entry (DEVICE-PROFILE "PIN entry"). */
export const KEY_BYTE = {
  DIGIT: 0x2a,
  CLEAR: 0x08,
  ENTER: 0x0d,
  CANCEL: 0x1b,
} as const;

/** A request frame not complete this long after its STX is discarded (DEVICE-PROFILE "Link"). */
export const FRAME_TIMEOUT_MS = 1500;

/** The largest LEN the 7-character form "000" + 4 digits can carry. */
export const MAX_LEN = 9999;

/** XOR of every byte given (the caller passes LEN..ETX inclusive). */
export function xorAll(bytes: Uint8Array): number {
  let x = 0;
  for (const b of bytes) x ^= b;
  return x;
}

/** The LRC as the 2 uppercase ASCII hex characters that end a frame. */
export function lrcChars(lenThroughEtx: Uint8Array): Buffer {
  return Buffer.from(xorAll(lenThroughEtx).toString(16).toUpperCase().padStart(2, '0'), 'ascii');
}

/** LEN characters: 3 digits up to 999, "000" + 4 digits over 999 (reference line 8). */
export function lenChars(len: number): Buffer {
  if (!Number.isInteger(len) || len < 1 || len > MAX_LEN) {
    throw new RangeError(`frame LEN ${len} out of range 1..${MAX_LEN}`);
  }
  const text = len <= 999 ? String(len).padStart(3, '0') : '000' + String(len).padStart(4, '0');
  return Buffer.from(text, 'ascii');
}

/** Encodes `STX | LEN | code | data | ETX | LRC` where code is a CMD (request) or RTN (response). */
export function encodeFrame(code: number, data: Uint8Array = Buffer.alloc(0)): Buffer {
  if (!Number.isInteger(code) || code < 0 || code > 0xff) throw new RangeError(`bad code ${code}`);
  const body = Buffer.concat([
    lenChars(1 + data.length),
    Buffer.from([code]),
    data,
    Buffer.from([ETX]),
  ]);
  return Buffer.concat([Buffer.from([STX]), body, lrcChars(body)]);
}

export type FrameEvent =
  /** An intact frame: its CMD/RTN byte, its DATA and every byte of it as received. */
  | { type: 'frame'; code: number; data: Buffer; raw: Buffer }
  /** A damaged frame (bad LEN, missing ETX, bad LRC): the EPP answers E3h. */
  | { type: 'damaged'; reason: 'bad LEN' | 'missing ETX' | 'bad LRC'; code?: number; raw: Buffer }
  /** A frame still incomplete FRAME_TIMEOUT_MS after its STX, discarded. */
  | { type: 'expired'; raw: Buffer }
  /** A byte outside any frame (key bytes during PIN entry; noise otherwise). */
  | { type: 'byte'; byte: number };

type State =
  | { kind: 'idle' }
  | { kind: 'len'; raw: number[] }
  | { kind: 'body'; raw: number[]; len: number; bodyStart: number }
  | { kind: 'etx'; raw: number[]; bodyStart: number; len: number }
  | { kind: 'lrc'; raw: number[]; bodyStart: number; len: number };

const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const UPPER_HEX = /^[0-9A-F]{2}$/;

/**
 * Streaming frame parser for either direction. Bytes outside frames are reported one by one.
 * A damaged frame is reported and the parser goes back to hunting for STX; when the byte that
 * showed the damage (a non-digit in LEN, a non-ETX after the body) is not part of the frame it is
 * examined again as the possible start of the next frame.
 */
export class FrameParser {
  private state: State = { kind: 'idle' };
  private timer: NodeJS.Timeout | undefined;

  /** frameTimeoutMs 0 disables the timer (pure use, e.g. byte-level tests). */
  constructor(
    private readonly onEvent: (event: FrameEvent) => void,
    private readonly frameTimeoutMs: number = FRAME_TIMEOUT_MS,
  ) {}

  push(chunk: Uint8Array): void {
    for (const b of chunk) this.step(b);
  }

  /** Stops the frame timer; pending bytes are dropped. */
  reset(): void {
    this.clearTimer();
    this.state = { kind: 'idle' };
  }

  private clearTimer(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  private finish(event: FrameEvent): void {
    this.clearTimer();
    this.state = { kind: 'idle' };
    this.onEvent(event);
  }

  private step(b: number): void {
    const s = this.state;
    switch (s.kind) {
      case 'idle':
        if (b === STX) {
          this.state = { kind: 'len', raw: [b] };
          if (this.frameTimeoutMs > 0) {
            this.timer = setTimeout(() => {
              this.timer = undefined;
              if (this.state.kind === 'idle') return;
              const raw = Buffer.from(this.state.raw);
              this.state = { kind: 'idle' };
              this.onEvent({ type: 'expired', raw });
            }, this.frameTimeoutMs);
            this.timer.unref?.();
          }
        } else {
          this.onEvent({ type: 'byte', byte: b });
        }
        return;
      case 'len': {
        if (b < DIGIT_0 || b > DIGIT_9) {
          this.finish({ type: 'damaged', reason: 'bad LEN', raw: Buffer.from(s.raw) });
          this.step(b);
          return;
        }
        s.raw.push(b);
        const digits = Buffer.from(s.raw.slice(1)).toString('ascii');
        if (digits.length === 3 && digits !== '000') {
          this.state = { kind: 'body', raw: s.raw, len: Number(digits), bodyStart: s.raw.length };
        } else if (digits.length === 7) {
          const len = Number(digits.slice(3));
          // The 7-character form is only for LEN over 999 (reference line 8).
          if (len <= 999) {
            this.finish({ type: 'damaged', reason: 'bad LEN', raw: Buffer.from(s.raw) });
          } else {
            this.state = { kind: 'body', raw: s.raw, len, bodyStart: s.raw.length };
          }
        }
        return;
      }
      case 'body':
        s.raw.push(b);
        if (s.raw.length - s.bodyStart === s.len) {
          this.state = { kind: 'etx', raw: s.raw, bodyStart: s.bodyStart, len: s.len };
        }
        return;
      case 'etx':
        if (b !== ETX) {
          this.finish({
            type: 'damaged',
            reason: 'missing ETX',
            code: s.raw[s.bodyStart],
            raw: Buffer.from(s.raw),
          });
          this.step(b);
          return;
        }
        s.raw.push(b);
        this.state = { kind: 'lrc', raw: s.raw, bodyStart: s.bodyStart, len: s.len };
        return;
      case 'lrc': {
        s.raw.push(b);
        const etxAt = s.bodyStart + s.len;
        if (s.raw.length < etxAt + 3) return;
        const raw = Buffer.from(s.raw);
        const given = raw.subarray(etxAt + 1).toString('latin1');
        const expected = lrcChars(raw.subarray(1, etxAt + 1)).toString('ascii');
        const code = raw[s.bodyStart] as number;
        if (!UPPER_HEX.test(given) || given !== expected) {
          this.finish({ type: 'damaged', reason: 'bad LRC', code, raw });
        } else {
          const data = Buffer.from(raw.subarray(s.bodyStart + 1, etxAt));
          this.finish({ type: 'frame', code, data, raw });
        }
        return;
      }
    }
  }
}

/** Runs the parser over complete bytes without a timer; an unfinished tail is not reported. */
export function decodeStream(bytes: Uint8Array): FrameEvent[] {
  const events: FrameEvent[] = [];
  const parser = new FrameParser((e) => events.push(e), 0);
  parser.push(bytes);
  return events;
}

/** Parses exactly one intact frame (nothing before or after it), or throws. */
export function parseFrame(bytes: Uint8Array): { code: number; data: Buffer } {
  const events = decodeStream(bytes);
  const [only] = events;
  if (events.length !== 1 || only === undefined || only.type !== 'frame') {
    throw new Error(`not exactly one intact frame: ${JSON.stringify(events.map((e) => e.type))}`);
  }
  if (only.raw.length !== bytes.length) throw new Error('incomplete frame');
  return { code: only.code, data: only.data };
}

export function hex2(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 0xff) throw new RangeError(`key number ${n} not 0..255`);
  return n.toString(16).toUpperCase().padStart(2, '0');
}

/** Uppercase hex characters only, even length ("hex" in DEVICE-PROFILE "Commands"). */
export function isUpperHex(text: string, length?: number): boolean {
  return /^([0-9A-F]{2})*$/.test(text) && (length === undefined || text.length === length);
}
