// Chinese EPP (ZT598 family) driver: the device-neutral Pinpad interface over STX/LEN/LRC
// frames. An EPP has no card reader and no display; key presses come back as raw bytes.
import {
  Control,
  EppCommand,
  EppDataError,
  EppFrameParser,
  EppKey,
  EppRtn,
  KeyUsage,
  MacAlgorithm,
  PinFormat,
  decodePinBlockResponse,
  decodeStatusResponse,
  encodeEppFrame,
  isSuccessCode,
  macRequestData,
  masterKeyData,
  pan12Of,
  pinBlockRequestData,
  sm4WorkingKeyData,
  startPinEntryData,
  workingKeyData,
  type EppFrameEvent,
} from '../../../protocols/cn-epp';
import type { SerialError } from '../../serial/errors';
import { PinpadBase } from '../base';
import type { CallScope } from '../call';
import { PinpadError, toPinpadError } from '../errors';
import { ReceiveQueue } from '../queue';
import type {
  CallOptions,
  CardOutcome,
  ChipFinishOptions,
  ChipOnlineOptions,
  ChipOnlineOutcome,
  GetPinOptions,
  KeyLoad,
  KeyLoadResult,
  MacOptions,
  PinOutcome,
  Pinpad,
  PinpadCapabilities,
  PinpadInfo,
  WaitForCardOptions,
} from '../types';

export const CN_EPP_BAUD_RATE = 9600;
/** No card reader, no display; keys are loaded from the PC and the PIN block and MAC made inside. */
export const CN_EPP_CAPABILITIES: Readonly<PinpadCapabilities> = {
  magstripe: false,
  chip: false,
  contactless: false,
  keyLoading: true,
  sm4: true,
  mac: true,
  chineseDisplay: false,
  keyEcho: true,
};
/** Per-try wait for an answer frame. */
export const EPP_RESPONSE_TIMEOUT_MS = 3000;
export const EPP_MAX_TRIES = 3;

type Item = EppFrameEvent | { type: 'lost'; error: SerialError };

export interface CnEppPinpadOptions {
  path: string;
  responseTimeoutMs?: number;
  pollMs?: number;
}

export class CnEppPinpad extends PinpadBase implements Pinpad {
  readonly protocol = 'cn-epp' as const;
  private readonly parser = new EppFrameParser();
  private readonly responseTimeoutMs: number;
  private readonly received = new ReceiveQueue<Item>();

  constructor(options: CnEppPinpadOptions) {
    super(options.path, CN_EPP_BAUD_RATE, options.pollMs);
    this.responseTimeoutMs = options.responseTimeoutMs ?? EPP_RESPONSE_TIMEOUT_MS;
    this.serial.on('data', (chunk) => {
      for (const event of this.parser.push(chunk)) this.received.push(event);
    });
    this.serial.on('lost', (error) => {
      this.parser.reset();
      this.received.push({ type: 'lost', error });
    });
  }

  async close(): Promise<void> {
    if (!this.opened) return;
    this.opened = false;
    await this.serial.close();
    this.setHealth('disconnected');
  }

  info(options?: CallOptions): Promise<PinpadInfo> {
    return this.run(options, 10_000, (scope) => this.identify(scope));
  }

  /** The EPP has no display: prompts belong on the PC screen. Resolves without doing anything. */
  async showMessage(): Promise<void> {
    this.ensureOpen();
  }

  waitForCard(options: WaitForCardOptions = {}): Promise<CardOutcome> {
    void options;
    return Promise.reject(new PinpadError('NOT_SUPPORTED', 'an EPP has no card reader'));
  }

  chipGoOnline(options: ChipOnlineOptions): Promise<ChipOnlineOutcome> {
    void options;
    return Promise.reject(new PinpadError('NOT_SUPPORTED', 'an EPP has no chip reader'));
  }

  chipFinish(options: ChipFinishOptions): Promise<void> {
    void options;
    return Promise.reject(new PinpadError('NOT_SUPPORTED', 'an EPP has no chip reader'));
  }

  loadKeys(options: KeyLoad): Promise<KeyLoadResult> {
    return this.run(options, 15_000, async (scope) => {
      const sm4 = options.algorithm === 'sm4';
      const result: KeyLoadResult = { workingKcvs: [] };
      if (options.master) {
        const m = options.master;
        const data = await this.command(
          scope,
          sm4 ? EppCommand.LOAD_SM4_MASTER_KEY : EppCommand.LOAD_MASTER_KEY,
          masterKeyData(m),
        );
        result.masterKcv = checkKcv(data, m.expectedKcv, 'master key');
      }
      for (const w of options.working ?? []) {
        const load = {
          masterIndex: w.masterIndex,
          workingIndex: w.index,
          usage:
            w.usage === 'pin' ? KeyUsage.PIN : w.usage === 'mac' ? KeyUsage.MAC : KeyUsage.DATA,
          encryptedKey: w.encryptedKey,
        };
        const data = await this.command(
          scope,
          sm4 ? EppCommand.LOAD_SM4_WORKING_KEY : EppCommand.LOAD_WORKING_KEY,
          sm4 ? sm4WorkingKeyData(load) : workingKeyData(load),
        );
        result.workingKcvs.push(checkKcv(data, w.expectedKcv, `${w.usage} working key`));
      }
      return result;
    });
  }

  getPin(options: GetPinOptions): Promise<PinOutcome> {
    const key = options.key;
    if (key.scheme !== 'mkwk' || key.workingKeyIndex === undefined) {
      return Promise.reject(
        new PinpadError('BAD_ARGUMENT', 'the EPP needs a loaded working PIN key (workingKeyIndex)'),
      );
    }
    return this.run<PinOutcome>(
      options,
      60_000,
      async (scope) => {
        await this.command(scope, EppCommand.CONTROL, Control.minPinLength(options.minLength ?? 4));
        await this.command(
          scope,
          EppCommand.CONTROL,
          Control.maxPinLength(options.maxLength ?? 12),
        );
        await this.command(scope, EppCommand.START_PIN_ENTRY, startPinEntryData());
        let digits = 0;
        this.emit('keypress', { digits });
        for (;;) {
          const item = await this.next(Infinity, scope.signal);
          if (!item || item.type !== 'key') continue;
          if (item.byte === EppKey.DIGIT) digits++;
          else if (item.byte === EppKey.CLEAR) digits = 0;
          else if (item.byte === EppKey.CANCEL) return { outcome: 'cancelled', by: 'cardholder' };
          else if (item.byte === EppKey.ENTER) break;
          else continue;
          this.emit('keypress', { digits });
        }
        const sm4 = key.algorithm === 'sm4';
        const data = await this.command(
          scope,
          sm4 ? EppCommand.GET_SM4_PIN_BLOCK : EppCommand.GET_PIN_BLOCK,
          pinBlockRequestData({
            keyIndex: key.workingKeyIndex!,
            format: PinFormat.ISO0,
            pan12: pan12Of(options.card.pan),
          }),
        );
        return {
          outcome: 'pin',
          pinBlock: decoded(() => decodePinBlockResponse(data, sm4 ? 16 : 8)),
        };
      },
      (reason) => this.stopOutcome(reason),
    );
  }

  computeMac(options: MacOptions): Promise<Buffer> {
    return this.run(options, 10_000, async (scope) => {
      const data = await this.command(
        scope,
        EppCommand.MAC,
        macRequestData({
          keyIndex: options.keyIndex,
          algorithm: options.algorithm === 'sm4' ? MacAlgorithm.SM4_ECB : MacAlgorithm.TDES_ECB,
          data: options.data,
        }),
      );
      // The 8 MAC characters of F64, written as 16 hex characters (device profile, row 41h).
      const text = data.toString('latin1');
      if (!/^[0-9A-F]{16}$/i.test(text))
        throw new PinpadError('PROTOCOL', 'MAC answer is not 16 hexadecimal characters');
      return Buffer.from(text, 'hex');
    });
  }

  // --- internals ---------------------------------------------------------------------------

  protected async restartSession(signal: AbortSignal): Promise<void> {
    // Stop any PIN entry left running, then make sure the pad answers.
    await this.exchange(EppCommand.CONTROL, Control.cancelInput(), signal);
  }

  protected async abortDevice(signal: AbortSignal): Promise<void> {
    await this.exchange(EppCommand.CONTROL, Control.cancelInput(), signal);
  }

  protected async readInfo(scope: CallScope): Promise<PinpadInfo> {
    const answer = await this.command(scope, EppCommand.STATUS, Buffer.alloc(0));
    const status = decoded(() => decodeStatusResponse(answer));
    return {
      protocol: 'cn-epp',
      maker: status.maker,
      model: status.model,
      serialNumber: status.serialNumber,
      firmware: status.firmware,
      capabilities: { ...CN_EPP_CAPABILITIES },
    };
  }

  private async command(scope: CallScope, code: number, data: Buffer): Promise<Buffer> {
    const { rtn, data: answer } = await this.exchange(code, data, scope.signal);
    if (isSuccessCode(rtn)) return answer;
    const hex = rtn.toString(16).toUpperCase();
    if (rtn === EppRtn.KEY_MISSING) {
      throw new PinpadError('KEY_MISSING', { detail: `EPP RTN ${hex}`, details: { rtn } });
    }
    throw new PinpadError('DEVICE_ERROR', {
      detail: `EPP command ${code.toString(16)} RTN ${hex}`,
      details: { command: code, rtn },
    });
  }

  /**
   * Sends one request and waits for its answer. A damaged answer or a FRAME_ERROR answer
   * (the EPP saw a damaged request) makes the driver send again, at most 3 times.
   */
  private async exchange(
    code: number,
    data: Buffer,
    signal: AbortSignal,
  ): Promise<{ rtn: number; data: Buffer }> {
    const frame = encodeEppFrame(code, data);
    // Anything queued is stale (key bytes of an earlier entry, a loss already reported).
    this.received.clear();
    let lastProblem = 'no answer';
    for (let attempt = 1; attempt <= EPP_MAX_TRIES; attempt++) {
      try {
        await this.serial.write(frame);
      } catch (err) {
        throw toPinpadError(err);
      }
      const deadline = Date.now() + this.responseTimeoutMs;
      for (;;) {
        const item = await this.next(deadline - Date.now(), signal);
        if (!item) {
          lastProblem = 'no answer';
          break;
        }
        if (item.type === 'bad-frame') {
          lastProblem = `damaged answer (${item.reason})`;
          // Let the rest of the damaged frame drain before asking again.
          await this.settle(100, signal);
          this.parser.reset();
          break;
        }
        if (item.type === 'frame') {
          if (item.code === EppRtn.FRAME_ERROR) {
            lastProblem = 'EPP reported a damaged request';
            break;
          }
          return { rtn: item.code, data: item.data };
        }
        // Key bytes left over from an earlier entry: not an answer.
      }
    }
    throw new PinpadError(
      lastProblem === 'no answer' ? 'NO_RESPONSE' : 'PROTOCOL',
      `${lastProblem} after ${EPP_MAX_TRIES} tries`,
    );
  }

  private async settle(ms: number, signal: AbortSignal): Promise<void> {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      const item = await this.next(end - Date.now(), signal);
      if (!item) return;
    }
  }

  /** The next frame or key byte, or undefined when `timeoutMs` passes; a lost port throws. */
  private async next(timeoutMs: number, signal: AbortSignal): Promise<EppFrameEvent | undefined> {
    const item = await this.received.take(timeoutMs, signal);
    if (item?.type === 'lost') throw toPinpadError(item.error);
    return item;
  }
}

/** An answer whose data does not have the documented shape is a PROTOCOL error. */
function decoded<T>(decode: () => T): T {
  try {
    return decode();
  } catch (err) {
    if (err instanceof EppDataError) {
      throw new PinpadError('PROTOCOL', { detail: err.message, cause: err });
    }
    throw err;
  }
}

function checkKcv(data: Buffer, expected: Buffer | undefined, what: string): Buffer {
  const text = data.toString('latin1');
  if (!/^([0-9A-F]{2})+$/i.test(text))
    throw new PinpadError('PROTOCOL', `${what} check value is not hexadecimal`);
  const kcv = Buffer.from(text, 'hex');
  if (expected && !kcv.subarray(0, expected.length).equals(expected)) {
    throw new PinpadError('KCV_MISMATCH', what);
  }
  return kcv;
}
