// ABECS exchange rules on top of a serial link (spec 2.2): frame out, ACK/NAK within 2 s (a NAK
// sends it again, 3 tries; silence is an error), response in 10 s (non-blocking) or whenever
// the cardholder is done (blocking), NTM notifications while waiting, NAK after 500 ms of
// silence for a damaged response (3 times), CAN/EOT abort with 3 tries, 2 s inter-byte timeout
// inside a frame.
import {
  AbecsFrameParser,
  CAN,
  decodeResponse,
  encodeFrame,
  NAK,
  type AbecsFrameEvent,
  type AbecsResponse,
} from '../../../protocols/abecs';
import type { SerialLink } from '../../serial/link';
import type { SerialError } from '../../serial/errors';
import { PinpadError, toPinpadError } from '../errors';
import { ReceiveQueue } from '../queue';

export const ACK_TIMEOUT_MS = 2000;
export const EOT_TIMEOUT_MS = 2000;
export const RESPONSE_TIMEOUT_MS = 10_000;
export const INTER_BYTE_TIMEOUT_MS = 2000;
export const NAK_SILENCE_MS = 500;
export const MAX_TRIES = 3;

type Item = AbecsFrameEvent | { type: 'lost'; error: SerialError } | { type: 'data' };

export interface ExchangeOptions {
  blocking: boolean;
  signal: AbortSignal;
  onNotification?: (response: AbecsResponse) => void;
}

export interface LinkTimings {
  ackTimeoutMs?: number;
  responseTimeoutMs?: number;
}

export class AbecsLink {
  private readonly parser = new AbecsFrameParser();
  private readonly received = new ReceiveQueue<Item>();
  private interByte: NodeJS.Timeout | undefined;
  private readonly ackTimeoutMs: number;
  private readonly responseTimeoutMs: number;

  constructor(
    private readonly serial: SerialLink,
    timings: LinkTimings = {},
  ) {
    this.ackTimeoutMs = timings.ackTimeoutMs ?? ACK_TIMEOUT_MS;
    this.responseTimeoutMs = timings.responseTimeoutMs ?? RESPONSE_TIMEOUT_MS;
    serial.on('data', (chunk) => this.onData(chunk));
    serial.on('lost', (error) => {
      this.parser.reset();
      this.received.push({ type: 'lost', error });
    });
  }

  /** Forget anything received before now (e.g. a late answer to an aborted command). */
  flush(): void {
    this.received.clear();
  }

  /** CAN, then up to 2 s for EOT; 3 tries. Resolves once the pad confirmed the abort. */
  async abort(): Promise<void> {
    for (let attempt = 1; attempt <= MAX_TRIES; attempt++) {
      this.flush();
      this.parser.reset();
      await this.write(Buffer.of(CAN));
      const deadline = Date.now() + EOT_TIMEOUT_MS;
      for (;;) {
        const item = await this.next(deadline - Date.now());
        if (!item) break;
        if (item.type === 'eot') return;
      }
    }
    throw new PinpadError('NO_RESPONSE', 'no EOT after CAN, 3 tries');
  }

  async exchange(pktdata: Buffer, options: ExchangeOptions): Promise<AbecsResponse> {
    const commandId = pktdata.subarray(0, 3).toString('latin1');
    const frame = encodeFrame(pktdata);
    this.flush();
    await this.sendWithAck(frame, options.signal);

    let naks = 0;
    let deadline = options.blocking ? Infinity : Date.now() + this.responseTimeoutMs;
    for (;;) {
      const item = await this.next(deadline - Date.now(), options.signal);
      if (!item) throw new PinpadError('NO_RESPONSE', `no ${commandId} response in time`);
      if (item.type === 'frame') {
        let response: AbecsResponse;
        try {
          response = decodeResponse(item.data);
        } catch (err) {
          throw new PinpadError('PROTOCOL', {
            detail: `undecodable response: ${(err as Error).message}`,
            cause: err,
          });
        }
        if (response.id === 'NTM') {
          options.onNotification?.(response);
          continue;
        }
        // A late answer to an earlier, abandoned command: not ours, keep waiting.
        if (response.id !== commandId && response.id !== 'ERR') continue;
        return response;
      }
      if (item.type === 'bad-frame') {
        if (++naks > MAX_TRIES)
          throw new PinpadError('PROTOCOL', `response still damaged after ${MAX_TRIES} NAKs`);
        await this.quiet(NAK_SILENCE_MS, options.signal);
        this.parser.reset();
        await this.write(Buffer.of(NAK));
        // The pad did answer in time; its resent answer gets a fresh limit.
        if (!options.blocking) deadline = Date.now() + this.responseTimeoutMs;
      }
      // ACK, EOT, garbage: not meaningful while waiting for a response; keep waiting.
    }
  }

  /**
   * §2.2.2.1: 2 s for ACK or NAK; NAK sends the command again, up to 3 tries. Silence is not a
   * NAK: "O não recebimento de algum desses bytes aborta a comunicação."
   */
  private async sendWithAck(frame: Buffer, signal: AbortSignal): Promise<void> {
    for (let attempt = 1; attempt <= MAX_TRIES; attempt++) {
      await this.write(frame);
      const deadline = Date.now() + this.ackTimeoutMs;
      for (;;) {
        const item = await this.next(deadline - Date.now(), signal);
        if (!item) {
          throw new PinpadError('NO_RESPONSE', `no ACK or NAK within ${this.ackTimeoutMs} ms`);
        }
        if (item.type === 'ack') return;
        if (item.type === 'nak') break;
      }
    }
    throw new PinpadError('NO_RESPONSE', `command refused with NAK ${MAX_TRIES} times`);
  }

  private async write(data: Buffer): Promise<void> {
    try {
      await this.serial.write(data);
    } catch (err) {
      throw toPinpadError(err);
    }
  }

  private onData(chunk: Buffer): void {
    if (this.interByte) clearTimeout(this.interByte);
    this.interByte = undefined;
    this.received.push({ type: 'data' });
    for (const event of this.parser.push(chunk)) this.received.push(event);
    if (this.parser.inFrame) {
      this.interByte = setTimeout(() => {
        this.parser.reset();
        this.received.push({ type: 'bad-frame', reason: 'interrupted' });
      }, INTER_BYTE_TIMEOUT_MS);
    }
  }

  /** Next meaningful item, or undefined when `timeoutMs` passes. Raw 'data' markers are skipped. */
  private async next(
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<AbecsFrameEvent | undefined> {
    for (;;) {
      const item = await this.received.take(timeoutMs, signal);
      if (!item) return undefined;
      if (item.type === 'lost') throw toPinpadError(item.error);
      if (item.type !== 'data') return item;
    }
  }

  /** Waits until `ms` pass with no bytes received (the spec's discard-then-NAK rule). */
  private async quiet(ms: number, signal: AbortSignal): Promise<void> {
    for (;;) {
      const item = await this.received.take(ms, signal);
      if (!item) return;
      if (item.type === 'lost') throw toPinpadError(item.error);
    }
  }
}
