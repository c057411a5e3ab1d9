// ZT598-family EPP framing:
//   STX | LEN | CMD (request) or RTN (response) | DATA | ETX | LRC
// LEN is ASCII decimal counting CMD/RTN + DATA (not ETX, per the reference example): 3 digits, or "000" + 4 digits above 999.
// LRC is the XOR of every byte from LEN through ETX, sent as 2 ASCII hex characters.
// Between frames the EPP sends raw key bytes during PIN entry; the parser reports them as 'key'.
import { EppFrameError } from './errors';

export const STX = 0x02;
export const ETX = 0x03;

/** Largest CMD + DATA the 7-character length can describe. */
export const MAX_BODY = 9999;

export function lrc(bytes: Uint8Array): number {
  let x = 0;
  for (const b of bytes) x ^= b;
  return x;
}

function lengthField(bodyLength: number): string {
  if (bodyLength > MAX_BODY)
    throw new EppFrameError('EPP_FRAME_TOO_LONG', `EPP frame body of ${bodyLength} bytes`);
  return bodyLength <= 999
    ? String(bodyLength).padStart(3, '0')
    : '000' + String(bodyLength).padStart(4, '0');
}

/** Frames one request (code = command byte) or response (code = RTN byte). */
export function encodeEppFrame(code: number, data: Uint8Array = new Uint8Array(0)): Buffer {
  if (!Number.isInteger(code) || code < 0 || code > 0xff)
    throw new EppFrameError('EPP_BAD_CODE', `code ${code}`);
  const checked = Buffer.concat([
    Buffer.from(lengthField(data.length + 1), 'latin1'),
    Buffer.of(code),
    data,
    Buffer.of(ETX),
  ]);
  const check = lrc(checked).toString(16).toUpperCase().padStart(2, '0');
  return Buffer.concat([Buffer.of(STX), checked, Buffer.from(check, 'latin1')]);
}

/** RTN 60h-9Fh is success; E3h-FFh are error codes. */
export function isSuccessCode(rtn: number): boolean {
  return rtn >= 0x60 && rtn <= 0x9f;
}

export type EppFrameEvent =
  | { type: 'frame'; code: number; data: Buffer }
  | { type: 'bad-frame'; reason: 'lrc' | 'length' | 'etx' }
  /** A byte outside any frame: a key press echo during PIN entry, or line noise. */
  | { type: 'key'; byte: number };

type State = 'idle' | 'len' | 'body' | 'etx' | 'lrc';

/** Streaming parser: push chunks as they arrive, get whole frames and out-of-frame bytes. */
export class EppFrameParser {
  private state: State = 'idle';
  private lenText = '';
  private bodyLength = 0;
  private body: number[] = [];
  private lrcText = '';

  get inFrame(): boolean {
    return this.state !== 'idle';
  }

  reset(): void {
    this.state = 'idle';
    this.lenText = '';
    this.body = [];
    this.lrcText = '';
  }

  push(chunk: Uint8Array): EppFrameEvent[] {
    const events: EppFrameEvent[] = [];
    for (const byte of chunk) this.step(byte, events);
    return events;
  }

  private step(byte: number, events: EppFrameEvent[]): void {
    switch (this.state) {
      case 'idle':
        if (byte === STX) {
          this.reset();
          this.state = 'len';
        } else {
          events.push({ type: 'key', byte });
        }
        return;
      case 'len': {
        if (byte < 0x30 || byte > 0x39) {
          events.push({ type: 'bad-frame', reason: 'length' });
          this.reset();
          if (byte === STX) this.state = 'len';
          return;
        }
        this.lenText += String.fromCharCode(byte);
        const long = this.lenText.startsWith('000');
        if ((!long && this.lenText.length === 3) || (long && this.lenText.length === 7)) {
          this.bodyLength = Number(this.lenText);
          if (this.bodyLength < 1) {
            events.push({ type: 'bad-frame', reason: 'length' });
            this.reset();
            return;
          }
          this.state = 'body';
        }
        return;
      }
      case 'body':
        this.body.push(byte);
        if (this.body.length === this.bodyLength) this.state = 'etx';
        return;
      case 'etx':
        if (byte !== ETX) {
          events.push({ type: 'bad-frame', reason: 'etx' });
          this.reset();
          return;
        }
        this.state = 'lrc';
        return;
      case 'lrc': {
        this.lrcText += String.fromCharCode(byte);
        if (this.lrcText.length < 2) return;
        const expected = lrc(
          Buffer.concat([
            Buffer.from(this.lenText, 'latin1'),
            Buffer.from(this.body),
            Buffer.of(ETX),
          ]),
        );
        const received = /^[0-9A-Fa-f]{2}$/.test(this.lrcText) ? parseInt(this.lrcText, 16) : -1;
        const body = Buffer.from(this.body);
        this.reset();
        if (received !== expected) {
          events.push({ type: 'bad-frame', reason: 'lrc' });
          return;
        }
        events.push({ type: 'frame', code: body[0]!, data: Buffer.from(body.subarray(1)) });
        return;
      }
    }
  }
}
