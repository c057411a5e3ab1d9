// ABECS link framing: SYN | escaped PKTDATA | ETB | CRC16 (high byte first), plus the single
// control bytes exchanged outside frames. Pure: bytes in, events out; timers live in the drivers.
import { crc16Xmodem } from './crc';
import { AbecsFrameError } from './errors';

export const SYN = 0x16;
export const ETB = 0x17;
export const DC3 = 0x13;
export const ACK = 0x06;
export const NAK = 0x15;
export const EOT = 0x04;
export const CAN = 0x18;

/** Largest unescaped PKTDATA a frame may carry (spec 2.2). */
export const MAX_PKTDATA = 2049;

const ESCAPED = new Set([DC3, SYN, ETB]);

/** CRC over the unescaped PKTDATA followed by ETB, as the spec defines it. */
export function frameCrc(pktdata: Uint8Array): number {
  return crc16Xmodem(Uint8Array.of(ETB), crc16Xmodem(pktdata));
}

export function escapePktData(pktdata: Uint8Array): Buffer {
  const out: number[] = [];
  for (const byte of pktdata) {
    if (ESCAPED.has(byte)) out.push(DC3, byte + 0x20);
    else out.push(byte);
  }
  return Buffer.from(out);
}

/** Builds a complete frame around unescaped PKTDATA. */
export function encodeFrame(pktdata: Uint8Array): Buffer {
  if (pktdata.length === 0)
    throw new AbecsFrameError('ABECS_FRAME_EMPTY', 'ABECS frame without PKTDATA');
  if (pktdata.length > MAX_PKTDATA) {
    throw new AbecsFrameError(
      'ABECS_FRAME_TOO_LONG',
      `PKTDATA of ${pktdata.length} bytes exceeds ${MAX_PKTDATA}`,
    );
  }
  const crc = frameCrc(pktdata);
  return Buffer.concat([
    Buffer.of(SYN),
    escapePktData(pktdata),
    Buffer.of(ETB, (crc >> 8) & 0xff, crc & 0xff),
  ]);
}

export type BadFrameReason = 'crc' | 'escape' | 'too-long' | 'interrupted';

export type AbecsFrameEvent =
  | { type: 'frame'; data: Buffer }
  | { type: 'ack' }
  | { type: 'nak' }
  | { type: 'eot' }
  | { type: 'can' }
  /** A frame arrived but cannot be trusted; the receiver answers NAK (device) or waits and NAKs (host). */
  | { type: 'bad-frame'; reason: BadFrameReason }
  /** Bytes outside any frame that are not control bytes (line noise, a stray device). */
  | { type: 'garbage'; bytes: Buffer };

// 'skip*' swallow the rest of a corrupt frame (up to its ETB and CRC) so its bytes are not
// mistaken for control bytes; a SYN or reset() ends the skipping early.
type State = 'idle' | 'data' | 'escape' | 'crc1' | 'crc2' | 'skip' | 'skip-crc1' | 'skip-crc2';

/**
 * Streaming parser: feed it chunks exactly as the port delivers them. Control bytes are only
 * meaningful between frames; inside PKTDATA they are ordinary data (TLV lengths contain 06h).
 */
export class AbecsFrameParser {
  private state: State = 'idle';
  private data: number[] = [];
  private crcHigh = 0;
  private garbage: number[] = [];

  /** True while a frame has started but not ended: the driver's inter-byte timer applies. */
  get inFrame(): boolean {
    return this.state !== 'idle';
  }

  /** Drops a half-received frame (inter-byte timeout). */
  reset(): void {
    this.state = 'idle';
    this.data = [];
  }

  push(chunk: Uint8Array): AbecsFrameEvent[] {
    const events: AbecsFrameEvent[] = [];
    for (const byte of chunk) this.step(byte, events);
    this.flushGarbage(events);
    return events;
  }

  private step(byte: number, events: AbecsFrameEvent[]): void {
    switch (this.state) {
      case 'idle':
        return this.idle(byte, events);
      case 'data':
        if (byte === SYN) {
          events.push({ type: 'bad-frame', reason: 'interrupted' });
          this.startFrame();
        } else if (byte === DC3) {
          this.state = 'escape';
        } else if (byte === ETB) {
          this.state = 'crc1';
        } else {
          this.append(byte, events);
        }
        return;
      case 'escape':
        if (byte === 0x33 || byte === 0x36 || byte === 0x37) {
          this.state = 'data';
          this.append(byte - 0x20, events);
        } else {
          // Unknown escape: the frame is corrupt; resynchronise on the next SYN.
          events.push({ type: 'bad-frame', reason: 'escape' });
          this.data = [];
          if (byte === SYN) this.startFrame();
          else this.state = byte === ETB ? 'skip-crc1' : 'skip';
        }
        return;
      case 'skip':
        if (byte === SYN) this.startFrame();
        else if (byte === ETB) this.state = 'skip-crc1';
        return;
      case 'skip-crc1':
        this.state = 'skip-crc2';
        return;
      case 'skip-crc2':
        this.state = 'idle';
        return;
      case 'crc1':
        this.crcHigh = byte;
        this.state = 'crc2';
        return;
      case 'crc2': {
        const received = (this.crcHigh << 8) | byte;
        const data = Buffer.from(this.data);
        this.reset();
        if (frameCrc(data) === received) events.push({ type: 'frame', data });
        else events.push({ type: 'bad-frame', reason: 'crc' });
        return;
      }
    }
  }

  private idle(byte: number, events: AbecsFrameEvent[]): void {
    if (byte === SYN) {
      this.flushGarbage(events);
      this.startFrame();
      return;
    }
    const control =
      byte === ACK
        ? 'ack'
        : byte === NAK
          ? 'nak'
          : byte === EOT
            ? 'eot'
            : byte === CAN
              ? 'can'
              : undefined;
    if (control) {
      this.flushGarbage(events);
      events.push({ type: control });
      return;
    }
    this.garbage.push(byte);
  }

  private startFrame(): void {
    this.state = 'data';
    this.data = [];
  }

  private append(byte: number, events: AbecsFrameEvent[]): void {
    if (this.data.length >= MAX_PKTDATA) {
      events.push({ type: 'bad-frame', reason: 'too-long' });
      this.data = [];
      this.state = 'skip';
      return;
    }
    this.data.push(byte);
  }

  private flushGarbage(events: AbecsFrameEvent[]): void {
    if (this.garbage.length === 0) return;
    events.push({ type: 'garbage', bytes: Buffer.from(this.garbage) });
    this.garbage = [];
  }
}
