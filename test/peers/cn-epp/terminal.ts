// Clean-room host (terminal) side of the ZT598-family EPP link, written only from
// shared/reference/pinpad-cn-epp.md and test/peers/cn-epp/DEVICE-PROFILE.md.
import { SerialPort } from 'serialport';
import {
  CMD,
  FrameParser,
  KEY_BYTE,
  MAX_LEN,
  RTN,
  encodeFrame,
  hex2,
  isUpperHex,
} from './codec.js';
import type { FrameEvent } from './codec.js';
import { panDigits12 } from './crypto.js';

/** A non-60h answer to a command the caller expected to succeed. */
export class PeerEppError extends Error {
  constructor(
    readonly cmd: number,
    readonly rtn: number,
  ) {
    super(`EPP answered ${hex2(cmd)}h with RTN ${hex2(rtn)}h`);
    this.name = 'PeerEppError';
  }
}

type Frame = { code: number; data: Buffer };

interface Waiter {
  resolve(frame: Frame): void;
  reject(err: Error): void;
}

const ascii = (text: string): Buffer => Buffer.from(text, 'ascii');
const LENGTH_CODE: Record<number, string> = { 16: '1', 32: '2', 48: '3' };

export class PeerEppTerminal {
  /** How many times a request answered E3h is sent again before E3h is returned. */
  maxResends = 3;
  /** Every frame written, in order (after any test damage). */
  readonly sent: Buffer[] = [];
  /** How many resends E3h answers caused. */
  resends = 0;

  private readonly parser: FrameParser;
  private waiter: Waiter | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly keys: number[] = [];
  private keyArrived: (() => void) | undefined;
  private damageBudget = 0;
  private closed = false;

  private constructor(private readonly port: SerialPort) {
    this.parser = new FrameParser((event) => this.onFrameEvent(event));
    port.on('data', (chunk: Buffer) => this.parser.push(chunk));
  }

  static async open(path: string): Promise<PeerEppTerminal> {
    const port = new SerialPort({
      path,
      baudRate: 9600,
      dataBits: 8,
      parity: 'none',
      stopBits: 1,
      autoOpen: false,
    });
    await new Promise<void>((resolve, reject) =>
      port.open((err) => (err ? reject(err) : resolve())),
    );
    return new PeerEppTerminal(port);
  }

  /** Test hook: the next `count` frames go out with a wrong LRC (the EPP should answer E3h). */
  damageNextFrames(count: number): void {
    this.damageBudget = count;
  }

  /** Sends one request and waits for its response; resends while the EPP answers E3h. */
  request(
    cmd: number,
    data: Buffer = Buffer.alloc(0),
    timeoutMs = 5000,
  ): Promise<{ rtn: number; data: Buffer }> {
    if (1 + data.length > MAX_LEN)
      return Promise.reject(new RangeError('request too long for one frame'));
    const frame = encodeFrame(cmd, data);
    const run = async () => {
      for (let attempt = 0; ; attempt++) {
        const response = await this.exchange(frame, timeoutMs);
        if (response.code === RTN.DAMAGED_FRAME && attempt < this.maxResends) {
          this.resends++;
          continue;
        }
        return { rtn: response.code, data: response.data };
      }
    };
    const result = this.chain.then(run, run);
    this.chain = result.catch(() => undefined);
    return result;
  }

  /** 36h then collects the raw key bytes until ENTER/CANCEL/timeout (timeout: 35h 5032). */
  async enterPin(
    timeoutMs = 30_000,
  ): Promise<{ outcome: 'entered' | 'cancelled' | 'timeout'; digitsSeen: number }> {
    this.keys.length = 0;
    await this.expectOk(CMD.START_PIN_ENTRY, ascii('00012'));
    const deadline = Date.now() + timeoutMs;
    let digitsSeen = 0;
    for (;;) {
      const byte = await this.nextKeyByte(deadline);
      if (byte === undefined) {
        await this.cancelPinEntry();
        return { outcome: 'timeout', digitsSeen };
      }
      if (byte === KEY_BYTE.DIGIT) digitsSeen++;
      else if (byte === KEY_BYTE.CLEAR) digitsSeen = 0;
      else if (byte === KEY_BYTE.ENTER) return { outcome: 'entered', digitsSeen };
      else if (byte === KEY_BYTE.CANCEL) return { outcome: 'cancelled', digitsSeen };
      // any other byte between frames is noise
    }
  }

  async loadMasterKey(index: number, keyHex: string): Promise<string> {
    return this.loadMaster(CMD.LOAD_MASTER_KEY, index, keyHex);
  }

  /** Peer extra: 62h, SM4 master key (16 bytes, length code 2). */
  async loadSm4MasterKey(index: number, keyHex: string): Promise<string> {
    if (keyHex.length !== 32) throw new RangeError('an SM4 key is 16 bytes');
    return this.loadMaster(CMD.LOAD_SM4_MASTER_KEY, index, keyHex);
  }

  async loadWorkingKey(
    masterIndex: number,
    workingIndex: number,
    usage: '2' | '3' | '5' | '6',
    encryptedHex: string,
  ): Promise<string> {
    const key = encryptedHex.toUpperCase();
    const code = LENGTH_CODE[key.length];
    if (code === undefined || !isUpperHex(key)) throw new RangeError('key must be 8/16/24 bytes');
    const data = hex2(masterIndex) + hex2(workingIndex) + usage + code + key;
    return this.expectKcv(CMD.LOAD_WORKING_KEY, data);
  }

  /** Peer extra: 63h, SM4 working key (16 bytes encrypted under the SM4 master key). */
  async loadSm4WorkingKey(
    masterIndex: number,
    workingIndex: number,
    usage: '2' | '3' | '5' | '6',
    encryptedHex: string,
  ): Promise<string> {
    const key = encryptedHex.toUpperCase();
    if (!isUpperHex(key, 32)) throw new RangeError('an SM4 key is 16 bytes');
    const data = usage + '0' + hex2(masterIndex) + hex2(workingIndex) + key;
    return this.expectKcv(CMD.LOAD_SM4_WORKING_KEY, data);
  }

  /** 37h, ISO 9564 format 0: the 8-byte encrypted PIN block. */
  async pinBlock(keyIndex: number, pan: string): Promise<Buffer> {
    return this.getPinBlock(CMD.GET_PIN_BLOCK, keyIndex, pan, 16);
  }

  /** Peer extra: 6Fh, the 16-byte SM4 PIN block. */
  async sm4PinBlock(keyIndex: number, pan: string): Promise<Buffer> {
    return this.getPinBlock(CMD.GET_SM4_PIN_BLOCK, keyIndex, pan, 32);
  }

  /** 41h: the 8 MAC bytes for ISO 8583 field 64 (8 ASCII characters). */
  async mac(keyIndex: number, data: Buffer, algorithm: '1' | '2' = '1'): Promise<Buffer> {
    const request = hex2(keyIndex) + algorithm + data.toString('hex').toUpperCase();
    const answer = (await this.expectOk(CMD.MAC, ascii(request))).toString('latin1');
    if (!isUpperHex(answer, 16)) throw new Error(`41h answer is not 16 hex: ${answer}`);
    return Buffer.from(answer, 'hex');
  }

  async status(): Promise<{ maker: string; model: string; serial: string; firmware: string }> {
    const fields = (await this.expectOk(CMD.STATUS)).toString('latin1').split(';');
    const [maker, model, serial, firmware] = fields;
    if (fields.length !== 4 || maker === undefined || model === undefined) {
      throw new Error('30h answer is not four ;-separated fields');
    }
    return { maker, model, serial: serial as string, firmware: firmware as string };
  }

  /** Peer extra: 35h 54nn / 55nn. */
  async setPinLength(kind: 'min' | 'max', digits: number): Promise<void> {
    await this.expectOk(
      CMD.CONTROL,
      ascii((kind === 'min' ? '54' : '55') + String(digits).padStart(2, '0')),
    );
  }

  /** Peer extra: 35h 5032. */
  async cancelPinEntry(): Promise<void> {
    await this.expectOk(CMD.CONTROL, ascii('5032'));
  }

  /** Peer extra: 35h 5031. */
  async eraseAllKeys(): Promise<void> {
    await this.expectOk(CMD.CONTROL, ascii('5031'));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.parser.reset();
    this.waiter?.reject(new Error('terminal closed'));
    this.waiter = undefined;
    this.keyArrived?.();
    if (!this.port.isOpen) return;
    await new Promise<void>((resolve) => {
      const guard = setTimeout(resolve, 2000);
      this.port.close(() => {
        clearTimeout(guard);
        resolve();
      });
    });
  }

  // ---- internals -----------------------------------------------------------------------------

  private async loadMaster(cmd: number, index: number, keyHex: string): Promise<string> {
    const key = keyHex.toUpperCase();
    const code = LENGTH_CODE[key.length];
    if (code === undefined || !isUpperHex(key)) throw new RangeError('key must be 8/16/24 bytes');
    return this.expectKcv(cmd, hex2(index) + '0' + code + key);
  }

  private async getPinBlock(
    cmd: number,
    keyIndex: number,
    pan: string,
    blockHexLength: number,
  ): Promise<Buffer> {
    const request = Buffer.concat([
      ascii(hex2(keyIndex)),
      Buffer.from([0x20]),
      ascii(panDigits12(pan)),
    ]);
    const answer = (await this.expectOk(cmd, request)).toString('latin1');
    const echo = hex2(keyIndex) + '20';
    const block = answer.slice(4);
    if (!answer.startsWith(echo) || !isUpperHex(block, blockHexLength)) {
      throw new Error(`${hex2(cmd)}h answer malformed: ${answer}`);
    }
    return Buffer.from(block, 'hex');
  }

  private async expectKcv(cmd: number, data: string): Promise<string> {
    const kcv = (await this.expectOk(cmd, ascii(data))).toString('latin1');
    if (!isUpperHex(kcv, 8)) throw new Error(`${hex2(cmd)}h answer is not an 8-hex KCV: ${kcv}`);
    return kcv;
  }

  private async expectOk(cmd: number, data?: Buffer): Promise<Buffer> {
    const response = await this.request(cmd, data);
    if (response.rtn !== RTN.OK) throw new PeerEppError(cmd, response.rtn);
    return response.data;
  }

  private exchange(frame: Buffer, timeoutMs: number): Promise<Frame> {
    if (this.closed) return Promise.reject(new Error('terminal closed'));
    return new Promise<Frame>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new Error(`no response within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiter = {
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      let out = frame;
      if (this.damageBudget > 0) {
        this.damageBudget--;
        out = Buffer.from(frame);
        const last = out.length - 1;
        out[last] = out[last] === 0x30 ? 0x31 : 0x30; // a wrong LRC character
      }
      this.sent.push(out);
      this.port.write(out);
    });
  }

  private onFrameEvent(event: FrameEvent): void {
    const waiter = this.waiter;
    switch (event.type) {
      case 'frame':
        if (waiter) {
          this.waiter = undefined;
          waiter.resolve({ code: event.code, data: event.data });
        }
        return;
      case 'damaged':
        if (waiter) {
          this.waiter = undefined;
          waiter.reject(new Error(`damaged response frame (${event.reason})`));
        }
        return;
      case 'expired':
        return;
      case 'byte':
        this.keys.push(event.byte);
        this.keyArrived?.();
        return;
    }
  }

  private async nextKeyByte(deadline: number): Promise<number | undefined> {
    for (;;) {
      const byte = this.keys.shift();
      if (byte !== undefined) return byte;
      const left = deadline - Date.now();
      if (left <= 0 || this.closed) return undefined;
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          if (this.keyArrived === done) this.keyArrived = undefined;
          resolve();
        };
        const timer = setTimeout(done, left);
        this.keyArrived = done;
      });
    }
  }
}
