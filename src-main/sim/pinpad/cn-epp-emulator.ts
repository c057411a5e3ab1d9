// Device side of the ZT598-family EPP: key loading with check values, 3DES and SM4 PIN blocks,
// PIN entry with raw key echo bytes between frames, cancel, MAC inside the pad.
import {
  keyCheckValue,
  pinBlockFormat0,
  sm4DecryptEcb,
  sm4EncryptEcb,
  tdesDecryptEcb,
  tdesEncryptEcb,
  unionPayEcbMac,
  unionPayEcbMacSm4,
} from '../../crypto';
import {
  EppCommand,
  EppFrameParser,
  EppKey,
  EppRtn,
  KeyUsage,
  MacAlgorithm,
  PinFormat,
  decodeControl,
  decodeMacRequest,
  decodeMasterKeyData,
  decodePinBlockRequest,
  decodeSm4WorkingKeyData,
  decodeWorkingKeyData,
  encodeEppFrame,
  kcvHex,
  pinBlockResponseData,
  statusResponseData,
  type EppStatus,
  type KeyUsageCode,
} from '../../protocols/cn-epp';
import { EmulatorBase, type EmulatorOptionsBase } from './base';
import { sm4PinField } from './sm4-pin-block';

export const CN_EPP_EMULATOR_STATUS: EppStatus = {
  maker: 'CASHIER TRAINING',
  model: 'ZT598-EMU',
  serialNumber: 'EPP0000000000001',
  firmware: 'EMU 1.00',
};

const PROMPT_TIMEOUT_MS = 60_000;
/** A request still incomplete this long after its STX is dropped, unanswered (profile "Link"). */
const FRAME_TIMEOUT_MS = 1500;

interface StoredKey {
  key: Buffer;
  usage: KeyUsageCode;
  algorithm: '3des' | 'sm4';
}

export interface CnEppEmulatorOptions extends EmulatorOptionsBase {
  status?: EppStatus;
}

type Reply = { rtn: number; data?: Buffer };

export class CnEppEmulator extends EmulatorBase {
  readonly protocol = 'cn-epp' as const;
  private readonly parser = new EppFrameParser();
  private readonly status: EppStatus;
  private readonly tdesMasters = new Map<number, Buffer>();
  private readonly sm4Masters = new Map<number, Buffer>();
  private readonly workingKeys = new Map<number, StoredKey>();
  private minPin = 4;
  private maxPin = 12;
  /** PIN typed at the last completed entry; kept until the next entry, cancel or erase. */
  private enteredPin: string | undefined;
  private frameTimer: NodeJS.Timeout | undefined;

  constructor(options: CnEppEmulatorOptions) {
    super(options, 9600);
    this.status = options.status ?? CN_EPP_EMULATOR_STATUS;
    for (const [slot, key] of this.masterKeys) {
      this.tdesMasters.set(slot, key);
      if (key.length === 16) this.sm4Masters.set(slot, key);
    }
  }

  protected resetProtocol(): void {
    this.stopFrameTimer();
    this.parser.reset();
    this.enteredPin = undefined;
  }

  protected onBytes(chunk: Buffer): void {
    // The 1.5 s runs from the frame's STX, not from its latest byte: a frame that keeps trickling
    // in is still dropped. A frame ending in this chunk ends the clock; one starting in it
    // (after another ended, or from idle) starts a new one.
    let frameEnded = false;
    for (const event of this.parser.push(chunk)) {
      if (event.type === 'bad-frame') {
        frameEnded = true;
        this.emit('link', { kind: 'frame-error' });
        void this.reply({ rtn: EppRtn.FRAME_ERROR });
      } else if (event.type === 'frame') {
        frameEnded = true;
        this.onFrame(event.code, event.data);
      }
      // Bytes outside frames from the host mean nothing to the EPP.
    }
    if (frameEnded || !this.parser.inFrame) this.stopFrameTimer();
    if (this.parser.inFrame && !this.frameTimer) {
      this.frameTimer = setTimeout(() => {
        this.frameTimer = undefined;
        this.parser.reset();
      }, FRAME_TIMEOUT_MS);
      this.frameTimer.unref();
    }
  }

  private stopFrameTimer(): void {
    if (this.frameTimer) clearTimeout(this.frameTimer);
    this.frameTimer = undefined;
  }

  private onFrame(code: number, data: Buffer): void {
    if (this.takeFault('noAck') || this.takeFault('noResponse')) {
      this.emit('link', { kind: 'ignored' });
      return;
    }
    const name = code.toString(16).toUpperCase().padStart(2, '0');
    this.emit('command', { name });
    if (this.unplugIfAsked(name)) return;
    let reply: Reply;
    try {
      reply = this.handle(code, data);
    } catch {
      reply = { rtn: EppRtn.BAD_PARAMETER };
    }
    void this.reply(reply);
  }

  private async reply({ rtn, data }: Reply): Promise<void> {
    const frame = encodeEppFrame(rtn, data ?? Buffer.alloc(0));
    if (this.takeFault('corruptCheck'))
      frame[frame.length - 1] = frame[frame.length - 1] === 0x30 ? 0x31 : 0x30;
    await this.send(frame);
  }

  private handle(code: number, data: Buffer): Reply {
    switch (code) {
      case EppCommand.STATUS:
        return {
          rtn: EppRtn.OK,
          data: statusResponseData({
            ...this.status,
            serialNumber: this.serialNumber ?? this.status.serialNumber,
          }),
        };
      case EppCommand.LOAD_MASTER_KEY: {
        const { index, key } = decodeMasterKeyData(data);
        this.tdesMasters.set(index, key);
        return { rtn: EppRtn.OK, data: kcvHex(keyCheckValue(key, '3des')) };
      }
      case EppCommand.LOAD_SM4_MASTER_KEY: {
        const { index, key } = decodeMasterKeyData(data);
        if (key.length !== 16) return { rtn: EppRtn.BAD_PARAMETER };
        this.sm4Masters.set(index, key);
        return { rtn: EppRtn.OK, data: kcvHex(keyCheckValue(key, 'sm4')) };
      }
      case EppCommand.LOAD_WORKING_KEY: {
        const w = decodeWorkingKeyData(data);
        const master = this.tdesMasters.get(w.masterIndex);
        if (!master) return { rtn: EppRtn.KEY_MISSING };
        const key = tdesDecryptEcb(master, w.encryptedKey);
        this.workingKeys.set(w.workingIndex, { key, usage: w.usage, algorithm: '3des' });
        return { rtn: EppRtn.OK, data: kcvHex(keyCheckValue(key, '3des')) };
      }
      case EppCommand.LOAD_SM4_WORKING_KEY: {
        const w = decodeSm4WorkingKeyData(data);
        const master = this.sm4Masters.get(w.masterIndex);
        if (!master) return { rtn: EppRtn.KEY_MISSING };
        const key = sm4DecryptEcb(master, w.encryptedKey);
        this.workingKeys.set(w.workingIndex, { key, usage: w.usage, algorithm: 'sm4' });
        return { rtn: EppRtn.OK, data: kcvHex(keyCheckValue(key, 'sm4')) };
      }
      case EppCommand.CONTROL: {
        const action = decodeControl(data);
        if (action.kind === 'min' || action.kind === 'max') {
          if (action.value < 4 || action.value > 12) return { rtn: EppRtn.BAD_PARAMETER };
          if (action.kind === 'min') this.minPin = action.value;
          else this.maxPin = action.value;
        } else if (action.kind === 'cancel') {
          this.abortPrompt();
          this.enteredPin = undefined;
        } else {
          this.tdesMasters.clear();
          this.sm4Masters.clear();
          this.workingKeys.clear();
          this.enteredPin = undefined;
        }
        return { rtn: EppRtn.OK };
      }
      case EppCommand.START_PIN_ENTRY:
        this.enteredPin = undefined;
        this.abortPrompt();
        // Answer first, then the key bytes follow outside frames.
        setImmediate(() => void this.runPinEntry());
        return { rtn: EppRtn.OK };
      case EppCommand.GET_PIN_BLOCK:
      case EppCommand.GET_SM4_PIN_BLOCK: {
        const sm4 = code === EppCommand.GET_SM4_PIN_BLOCK;
        const req = decodePinBlockRequest(data);
        if (req.format !== PinFormat.ISO0) return { rtn: EppRtn.BAD_PARAMETER };
        const wk = this.workingKeys.get(req.keyIndex);
        if (!wk || wk.usage !== KeyUsage.PIN || wk.algorithm !== (sm4 ? 'sm4' : '3des'))
          return { rtn: EppRtn.KEY_MISSING };
        if (!this.enteredPin) return { rtn: EppRtn.NO_PIN };
        // ISO 9564 format 0 takes the 12 digits left of the check digit; any check digit will do.
        const pan = req.pan12 + '0';
        const block = sm4
          ? sm4EncryptEcb(wk.key, sm4PinField(this.enteredPin, pan))
          : tdesEncryptEcb(wk.key, pinBlockFormat0(this.enteredPin, pan));
        return { rtn: EppRtn.OK, data: pinBlockResponseData(req, block) };
      }
      case EppCommand.MAC: {
        const req = decodeMacRequest(data);
        const wk = this.workingKeys.get(req.keyIndex);
        const sm4 = req.algorithm === MacAlgorithm.SM4_ECB;
        if (!wk || wk.usage !== KeyUsage.MAC || wk.algorithm !== (sm4 ? 'sm4' : '3des'))
          return { rtn: EppRtn.KEY_MISSING };
        const mac = sm4 ? unionPayEcbMacSm4(wk.key, req.data) : unionPayEcbMac(wk.key, req.data);
        return { rtn: EppRtn.OK, data: Buffer.from(mac.toString('hex').toUpperCase(), 'latin1') };
      }
      default:
        return { rtn: EppRtn.UNKNOWN_COMMAND };
    }
  }

  private async runPinEntry(): Promise<void> {
    this.setDisplay('', '');
    let shown = 0;
    const result = await this.collectPin(this.minPin, this.maxPin, PROMPT_TIMEOUT_MS, (digits) => {
      if (digits > shown) void this.send(Buffer.of(EppKey.DIGIT));
      else if (digits === 0) void this.send(Buffer.of(EppKey.CLEAR));
      // Otherwise a digit beyond the maximum: ignored, no byte (profile "PIN entry").
      shown = digits;
      this.setDisplay('', '*'.repeat(digits));
    });
    if (result.kind === 'pin') {
      this.enteredPin = result.pin;
      await this.send(Buffer.of(EppKey.ENTER));
    } else if (result.kind === 'cancel') {
      await this.send(Buffer.of(EppKey.CANCEL));
    }
    // timeout / aborted: the EPP says nothing; the host decides.
  }
}
