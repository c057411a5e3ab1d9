// Clean-room POS terminal (client side, also playing the PIN pad) for the UnionPay-style ISO 8583
// bank host link. Written only from shared/reference/cup-pos-8583.md; choices in README.md.
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import {
  FrameReader,
  decodeBody,
  encodeBody,
  encodeFrame,
  fromHex,
  hex,
  packBcd,
  parseBalances,
  splitFrame,
  swapTpdu,
  type Balance,
  type DecodedBody,
  type FieldMap,
  type FieldValue,
} from './codec.js';
import {
  desEncrypt,
  parseF62,
  pinBlockFormat0,
  unionPayEcbMac,
  type KeyScheme,
  type WorkingKeys,
} from './crypto.js';

export interface PeerPosTerminalOptions {
  host: string;
  port: number;
  tls?: { ca?: string | Buffer; rejectUnauthorized?: boolean };
  /** Terminal master key, 32 hex. */
  tmk: string;
  terminalId: string;
  merchantId: string;
  /** 10 hex digits, default '6000030000' (ID 60, destination 0003, source 0000). */
  tpdu?: string;
  /** 12 hex digits, default '603100311004'. */
  header?: string;
  /** How long to wait for each answer, default 5000 ms. */
  responseTimeoutMs?: number;
  /** Batch number used until a sign-on answer sets one, default '000001'. */
  batchNo?: string;
}

export interface PeerCard {
  pan: string;
  track2?: string;
  /** YYMM */
  expiry?: string;
  pin: string;
  /** F22, default '021' with track 2, else '051'. */
  entryMode?: string;
}

export interface PeerBalanceResult {
  responseCode: string;
  macValid: boolean;
  balances: Balance[];
  rrn?: string;
  /** The whole answer frame, LEN included. */
  raw: Buffer;
}

interface Exchange {
  frame: Buffer;
  tpdu: Buffer;
  header: Buffer;
  body: Buffer;
  message: DecodedBody;
}

function str(v: FieldValue | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function bcdDate(d: Date): Buffer {
  const s = `${String(d.getFullYear() % 100).padStart(2, '0')}${String(d.getMonth() + 1).padStart(2, '0')}${String(d.getDate()).padStart(2, '0')}`;
  return packBcd(s);
}

function tlv(tag: string, value: Buffer): Buffer {
  if (value.length > 127) throw new Error('short-form TLV only');
  return Buffer.concat([fromHex(tag), Buffer.from([value.length]), value]);
}

/** Synthetic F55 for a chip read, with the tags the reference lists (9C = 31 balance inquiry). */
function chipData(): Buffer {
  return Buffer.concat([
    tlv('9F26', randomBytes(8)),
    tlv('9F27', fromHex('80')),
    tlv('9F10', fromHex('07010103A00000010A010000000000')),
    tlv('9F37', randomBytes(4)),
    tlv('9F36', fromHex('0001')),
    tlv('95', fromHex('0000000000')),
    tlv('9A', bcdDate(new Date())),
    tlv('9C', fromHex('31')),
    tlv('9F02', fromHex('000000000000')),
    tlv('5F2A', fromHex('0156')),
    tlv('82', fromHex('7C00')),
    tlv('9F1A', fromHex('0156')),
    tlv('9F03', fromHex('000000000000')),
    tlv('9F33', fromHex('E0E1C8')),
    tlv('9F34', fromHex('020300')),
    tlv('9F35', fromHex('22')),
    tlv('9F1E', Buffer.from('PEERPOS1', 'ascii')),
  ]);
}

export class PeerPosTerminal {
  private readonly reader = new FrameReader();
  private readonly tmk: Buffer;
  private readonly tpdu: Buffer;
  private readonly header: Buffer;
  private readonly timeoutMs: number;
  private trace = 0;
  private batch: string;
  private keys: (WorkingKeys & { scheme: KeyScheme }) | undefined;
  private corruptMac = false;
  private waiter:
    | { resolve: (frame: Buffer) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }
    | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  /** Every frame this terminal sent, LEN included, in order. */
  readonly sent: Buffer[] = [];

  private constructor(
    private readonly socket: net.Socket,
    private readonly options: PeerPosTerminalOptions,
  ) {
    this.tmk = fromHex(options.tmk);
    if (this.tmk.length !== 16) throw new Error('tmk must be 32 hex digits');
    this.tpdu = fromHex(options.tpdu ?? '6000030000');
    this.header = fromHex(options.header ?? '603100311004');
    if (this.tpdu.length !== 5 || this.header.length !== 6) throw new Error('bad TPDU or header');
    this.timeoutMs = options.responseTimeoutMs ?? 5000;
    this.batch = options.batchNo ?? '000001';
    if (!/^\d{6}$/.test(this.batch)) throw new Error('batch number is n6');
    socket.on('data', (chunk: Buffer) => {
      for (const frame of this.reader.push(chunk)) this.onFrame(frame);
    });
    socket.on('error', (e) => this.fail(e));
    socket.on('close', () => this.fail(new Error('connection closed by the host')));
  }

  static connect(options: PeerPosTerminalOptions): Promise<PeerPosTerminal> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`connect to ${options.host}:${options.port} timed out`));
      }, 5000);
      const done = (): void => {
        clearTimeout(timer);
        socket.off('error', onError);
        try {
          resolve(new PeerPosTerminal(socket, options));
        } catch (e) {
          socket.destroy();
          reject(e as Error);
        }
      };
      const onError = (e: Error): void => {
        clearTimeout(timer);
        socket.destroy();
        reject(e);
      };
      const socket: net.Socket = options.tls
        ? tls.connect(
            {
              host: options.host,
              port: options.port,
              ca: options.tls.ca,
              rejectUnauthorized: options.tls.rejectUnauthorized ?? true,
            },
            done,
          )
        : net.connect({ host: options.host, port: options.port }, done);
      socket.once('error', onError);
    });
  }

  /** 0800 sign-on; decrypts the working keys of the 0810 and verifies their check values. */
  signOn(
    operatorNo: string,
    keyScheme: KeyScheme = '003',
  ): Promise<{ responseCode: string; pik: string; mak: string; batchNo: string }> {
    return this.serial(async () => {
      const trace = this.nextTrace();
      const fields: FieldMap = {
        11: trace,
        41: this.options.terminalId,
        42: this.options.merchantId,
        60: `00${this.batch}${keyScheme}`,
        63: operatorNo.padEnd(3, ' '),
      };
      const answer = await this.exchange('0800', fields, false);
      const f = answer.message.fields;
      this.expect(answer, '0810', trace);
      const responseCode = str(f[39]) ?? '';
      const batchNo = (str(f[60]) ?? '').slice(2, 8);
      if (responseCode !== '00') return { responseCode, pik: '', mak: '', batchNo };
      const f62 = f[62];
      if (!Buffer.isBuffer(f62)) throw new Error('0810 approved without F62');
      const parsed = parseF62(keyScheme, f62, this.tmk);
      if (!parsed.checkValuesMatch)
        throw new Error('0810 F62: a working-key check value does not match');
      this.keys = { pik: parsed.pik, mak: parsed.mak, tdk: parsed.tdk, scheme: keyScheme };
      if (/^\d{6}$/.test(batchNo)) this.batch = batchNo;
      return { responseCode, pik: hex(parsed.pik), mak: hex(parsed.mak), batchNo };
    });
  }

  /** 0200 balance inquiry (processing code 310000), PIN encrypted as ISO 9564 format 0 under the PIK. */
  balanceInquiry(card: PeerCard): Promise<PeerBalanceResult> {
    return this.serial(async () => {
      const keys = this.keys;
      if (!keys) throw new Error('sign on first (no working keys)');
      const entryMode = card.entryMode ?? (card.track2 ? '021' : '051');
      if (!/^\d{3}$/.test(entryMode)) throw new Error('entry mode is n3');
      const chip = entryMode.startsWith('05') || entryMode.startsWith('07');
      const withPin = entryMode[2] !== '2';
      const trace = this.nextTrace();
      const fields: FieldMap = { 3: '310000', 11: trace, 22: entryMode, 25: '00' };
      if (chip || !card.track2) fields[2] = card.pan;
      if (card.expiry) fields[14] = card.expiry;
      if (chip) fields[23] = '001';
      if (withPin) fields[26] = '06';
      if (card.track2) fields[35] = card.track2;
      fields[41] = this.options.terminalId;
      fields[42] = this.options.merchantId;
      fields[49] = '156';
      if (withPin) {
        fields[52] = desEncrypt(keys.pik, pinBlockFormat0(card.pin, card.pan));
        fields[53] = keys.scheme === '001' ? '2000000000000000' : '2600000000000000';
      }
      if (chip) fields[55] = chipData();
      const capability = entryMode.startsWith('07') ? '6' : '5';
      fields[60] = `01${this.batch}000${capability}0`;
      const answer = await this.exchange('0200', fields, true);
      this.expect(answer, '0210', trace);
      const f = answer.message.fields;
      const mac = f[64];
      const macOffset = answer.message.offsets[64];
      const macValid =
        Buffer.isBuffer(mac) &&
        macOffset !== undefined &&
        unionPayEcbMac(keys.mak, answer.body.subarray(0, macOffset)).equals(mac);
      const f54 = str(f[54]);
      return {
        responseCode: str(f[39]) ?? '',
        macValid,
        balances: f54 ? parseBalances(f54) : [],
        rrn: str(f[37]),
        raw: answer.frame,
      };
    });
  }

  /** 0820 echo test (60.1 '00', 60.3 '301'). */
  networkTest(): Promise<{ responseCode: string }> {
    return this.serial(async () => {
      const trace = this.nextTrace();
      const answer = await this.exchange(
        '0820',
        {
          11: trace,
          41: this.options.terminalId,
          42: this.options.merchantId,
          60: `00${this.batch}301`,
        },
        false,
      );
      this.expect(answer, '0830', trace);
      return { responseCode: str(answer.message.fields[39]) ?? '' };
    });
  }

  /** Test hook: the next MAC this terminal sends is wrong (one bit flipped). */
  corruptNextMac(): void {
    this.corruptMac = true;
  }

  /** Test hook: use these working keys without signing on (hex; scheme default '003'). */
  setWorkingKeys(keys: { pik: string; mak: string; keyScheme?: KeyScheme }): void {
    this.keys = { pik: fromHex(keys.pik), mak: fromHex(keys.mak), scheme: keys.keyScheme ?? '003' };
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.destroyed) {
        resolve();
        return;
      }
      this.socket.once('close', () => resolve());
      this.socket.end();
      setTimeout(() => this.socket.destroy(), 200).unref();
    });
  }

  // ---------------------------------------------------------------------------------------------

  private nextTrace(): string {
    this.trace = (this.trace % 999_999) + 1;
    return String(this.trace).padStart(6, '0');
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async exchange(mti: string, fields: FieldMap, withMac: boolean): Promise<Exchange> {
    let body: Buffer;
    if (withMac) {
      const keys = this.keys;
      if (!keys) throw new Error('no MAK');
      body = encodeBody({ mti, fields: { ...fields, 64: Buffer.alloc(8) } });
      const macStart = body.length - 8;
      const mac = unionPayEcbMac(keys.mak, body.subarray(0, macStart));
      if (this.corruptMac) {
        mac[0]! ^= 0x01;
        this.corruptMac = false;
      }
      mac.copy(body, macStart);
    } else {
      body = encodeBody({ mti, fields });
    }
    const frame = encodeFrame({ tpdu: this.tpdu, header: this.header, body });
    const answer = await this.roundTrip(frame);
    const parts = splitFrame(answer);
    if (!parts.tpdu.equals(swapTpdu(this.tpdu))) {
      throw new Error(
        `answer TPDU ${hex(parts.tpdu)} is not the request TPDU ${hex(this.tpdu)} swapped`,
      );
    }
    return { frame: answer, ...parts, message: decodeBody(parts.body) };
  }

  private expect(answer: Exchange, mti: string, trace: string): void {
    if (answer.message.mti !== mti) throw new Error(`expected ${mti}, got ${answer.message.mti}`);
    const f11 = answer.message.fields[11];
    if (f11 !== trace) throw new Error(`answer F11 ${String(f11)} does not match trace ${trace}`);
  }

  private roundTrip(frame: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      if (this.socket.destroyed) {
        reject(new Error('connection is closed'));
        return;
      }
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new Error(`no answer within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.waiter = { resolve, reject, timer };
      this.sent.push(frame);
      this.socket.write(frame);
    });
  }

  private onFrame(frame: Buffer): void {
    const w = this.waiter;
    if (!w) return; // unsolicited or late: ignored
    this.waiter = undefined;
    clearTimeout(w.timer);
    w.resolve(frame);
  }

  private fail(e: Error): void {
    const w = this.waiter;
    if (!w) return;
    this.waiter = undefined;
    clearTimeout(w.timer);
    w.reject(e);
  }
}
