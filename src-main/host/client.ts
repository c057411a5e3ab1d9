// The terminal side of the bank host link: sign-on, balance inquiry and network test over the
// UnionPay-style ISO 8583 dialect, one exchange at a time, answers matched by STAN + terminal.
import { timingSafeEqual } from 'node:crypto';
import { maskPan } from '../common';
import { CryptoError } from '../crypto/errors';
import { isKeyScheme, parseF62, type KeyScheme } from '../crypto/working-keys';
import { parseBalances, type Balance } from '../protocols/iso8583/balance';
import { cupPosFields, cupPosPackager } from '../protocols/iso8583/cup-pos';
import { dumpMessage } from '../protocols/iso8583/dump';
import { Iso8583Error } from '../protocols/iso8583/errors';
import { decodeFrameBody, encodeFrameBodyPacked, type Frame } from '../protocols/iso8583/frame';
import type { FieldValue, IsoMessage } from '../protocols/iso8583/message';
import { Iso8583Packager } from '../protocols/iso8583/packager';
import { HostChannel, type TlsPinOptions } from './channel';
import { HostError } from './errors';
import { bundleFromF62, type HostKeyStore } from './key-store';
import { lookupResponseCode, type ResponseClass } from './response-codes';
import type { TerminalStateStore } from './terminal-state';

export type { Balance } from '../protocols/iso8583/balance';

export interface BankHostOptions {
  host: string;
  port: number;
  /** TLS with a pinned certificate; plain TCP when absent. */
  tls?: TlsPinOptions;
  /** F41, 8 characters. */
  terminalId: string;
  /** F42, 15 characters. */
  merchantId: string;
  /** 10 hex digits; default 6000030000. */
  tpdu?: string;
  /** 12 BCD digits; default 603100311004. */
  header?: string;
  /** 60.3 key scheme asked for at sign-on; default 003 (double-length PIK). */
  keyScheme?: KeyScheme;
  /** 60.4 terminal reading capability: 5 contact chip, 6 contact + contactless (default). */
  readCapability?: '5' | '6';
  /** Receives working keys at sign-on and computes MACs (PIN pad or SoftwareKeyStore). */
  keys: HostKeyStore;
  /** Trace and batch numbers that survive restarts. */
  state: TerminalStateStore;
  connectTimeoutMs?: number;
  responseTimeoutMs?: number;
  /**
   * Operator number for an automatic re-sign-on (A0 / 99 / 77) when nobody signed on in this
   * process yet, e.g. after a restart with stored keys. Without it, only after signOn().
   */
  defaultOperatorNo?: string;
  /** Close an idle connection after this long (default 60 s; 0 = keep it open). */
  idleCloseMs?: number;
  /** Gets masked message dumps (PAN masked, secrets hidden) for the diagnostic log. */
  log?: (line: string) => void;
}

export interface SignOnResult {
  responseCode: string;
  batchNo: string;
  keyScheme: KeyScheme;
  /** Host date MMDD and time hhmmss from F13 / F12, when sent. */
  hostDate?: string;
  hostTime?: string;
  /** Check values (hex) of the installed keys; safe to show for diagnostics. */
  checkValues: { pik: string; mak: string; tdk?: string };
}

/** Card data as the PIN pad delivers it; the PIN block is already encrypted under the PIK. */
export interface BalanceInquiryRequest {
  pan?: string;
  track2?: string;
  track3?: string;
  /** YYMM. */
  expiry?: string;
  /** '02' swipe, '05' contact chip, '07' contactless, or the full 3 digits (e.g. '051'). */
  entryMode: string;
  cardSequence?: string;
  /** F55 TLV bytes for chip cards. */
  iccData?: Buffer;
  /** 8-byte ISO format 0 PIN block encrypted by the PIN pad. */
  pinBlock?: Buffer;
  /** Operator running the inquiry: signs on again in their name after A0 / 99 / 77. */
  operatorNo?: string;
  /**
   * Called after an automatic re-sign-on (A0 / 99 / 77) for a PIN block under the new PIK;
   * without it a PIN inquiry is not retried and the cashier asks the customer again.
   */
  requestPinBlock?: () => Promise<Buffer>;
}

export interface BalanceInquiryResult {
  approved: boolean;
  responseCode: string;
  responseClass: ResponseClass;
  messageZh: string;
  messageEn: string;
  balances: Balance[];
  ledger?: Balance;
  available?: Balance;
  /** F37 retrieval reference number. */
  rrn?: string;
  authCode?: string;
  stan: string;
  maskedPan: string;
  hostDate?: string;
  hostTime?: string;
  /** F55 of the answer (issuer authentication data, tag 91) for the chip card. */
  issuerData?: Buffer;
  /** True when the client signed on again because of A0 / 99 / 77. */
  signedOnAgain: boolean;
  /** True when this result comes from the retry after that re-sign-on. */
  retried: boolean;
}

interface Exchange {
  request: IsoMessage;
  response: IsoMessage;
  responseHeader: string;
  responsePacked: Buffer;
}

const DEFAULT_TPDU = '6000030000';
const DEFAULT_HEADER = '603100311004';

function str(m: IsoMessage, n: number): string | undefined {
  const v = m.fields.get(n);
  return typeof v === 'string' ? v : undefined;
}

function badRequest(what: string): HostError {
  return new HostError('HOST_BAD_REQUEST', what);
}

export class BankHostClient {
  private readonly channel: HostChannel;
  private readonly tpdu: string;
  private readonly header: string;
  private readonly scheme: KeyScheme;
  private queue: Promise<unknown> = Promise.resolve();
  private lastOperator: string | undefined;
  private mustSignOn = false;
  private closed = false;

  constructor(private readonly opts: BankHostOptions) {
    if (!/^[\x20-\x7e]{1,8}$/.test(opts.terminalId)) throw badRequest('terminal id');
    if (!/^[\x20-\x7e]{1,15}$/.test(opts.merchantId)) throw badRequest('merchant id');
    this.tpdu = opts.tpdu ?? DEFAULT_TPDU;
    this.header = opts.header ?? DEFAULT_HEADER;
    this.scheme = opts.keyScheme ?? '003';
    this.channel = new HostChannel({
      host: opts.host,
      port: opts.port,
      ...(opts.tls ? { tls: opts.tls } : {}),
      connectTimeoutMs: opts.connectTimeoutMs ?? 10_000,
      ...(opts.idleCloseMs !== undefined ? { idleCloseMs: opts.idleCloseMs } : {}),
    });
  }

  /** True while a connection to the host is open (for the status bar). */
  get online(): boolean {
    return this.channel.connected;
  }

  /** True once a sign-on succeeded in this process and no host asked for a new one. */
  get signedOn(): boolean {
    return this.lastOperator !== undefined && !this.mustSignOn;
  }

  /** 0800 / 0810: downloads working keys (installed through `keys`) and the batch number. */
  signOn(operatorNo: string): Promise<SignOnResult> {
    return this.serial(() => this.doSignOn(operatorNo));
  }

  /**
   * 0200 / 0210 with processing code 310000. On A0 / 99 / 77 it signs on again and retries
   * once; new keys make the first PIN block useless, so a PIN inquiry is retried only when
   * `requestPinBlock` can get a fresh block (the PIN pad asks the customer again).
   */
  balanceInquiry(req: BalanceInquiryRequest): Promise<BalanceInquiryResult> {
    return this.serial(async () => {
      const fields = this.inquiryFields(req);
      let result = await this.inquireOnce(fields, req, false);
      const operator = req.operatorNo ?? this.lastOperator ?? this.opts.defaultOperatorNo;
      if (result.responseClass === 'sign-on-again' && operator) {
        await this.doSignOn(operator);
        if (req.pinBlock === undefined) {
          result = { ...(await this.inquireOnce(fields, req, true)), retried: true };
        } else if (req.requestPinBlock) {
          const block = await req.requestPinBlock();
          const retryReq = { ...req, pinBlock: block };
          const again = await this.inquireOnce(this.inquiryFields(retryReq), retryReq, true);
          result = { ...again, retried: true };
        } else {
          result = { ...result, signedOnAgain: true };
        }
      }
      if (this.mustSignOn && this.lastOperator) {
        // The host asked for a new sign-on in the answer header: do it now, for next time.
        await this.doSignOn(this.lastOperator).catch(() => undefined);
      }
      return result;
    });
  }

  /** 0820 / 0830 echo test (60.3 = 301) for diagnostics. */
  networkTest(): Promise<{ latencyMs: number; responseCode: string }> {
    return this.serial(async () => {
      const started = performance.now();
      const ex = await this.roundTrip('0820', { 60: `00${this.opts.state.batchNo()}301` }, false);
      return {
        latencyMs: Math.round((performance.now() - started) * 10) / 10,
        responseCode: str(ex.response, 39) ?? '',
      };
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.channel.close();
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    // Work queued before close() must not open a new connection afterwards.
    const guarded = (): Promise<T> =>
      this.closed ? Promise.reject(new HostError('HOST_CLOSED')) : fn();
    const run = this.queue.then(guarded, guarded);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async doSignOn(operatorNo: string): Promise<SignOnResult> {
    if (!/^\d{1,8}$/.test(operatorNo)) throw badRequest('operator number');
    // F63 is ans..3: short operator numbers are space-padded, long ones keep their last 3.
    const f63 = operatorNo.length <= 3 ? operatorNo.padEnd(3, ' ') : operatorNo.slice(-3);
    const batch = this.opts.state.batchNo();
    const ex = await this.roundTrip('0800', { 60: `00${batch}${this.scheme}`, 63: f63 }, false);
    const code = str(ex.response, 39) ?? '';
    if (code !== '00') {
      throw new HostError('HOST_SIGN_ON_FAILED', {
        detail: `response code ${code}`,
        responseCode: code,
      });
    }
    const f60 = str(ex.response, 60) ?? '';
    const f62 = ex.response.fields.get(62);
    const scheme = f60.slice(8, 11);
    if (!/^\d{8}/.test(f60) || !isKeyScheme(scheme) || !Buffer.isBuffer(f62)) {
      throw new HostError('HOST_BAD_FRAME', 'sign-on answer lacks batch, key scheme or keys');
    }
    let parsed;
    try {
      parsed = parseF62(f62, scheme);
    } catch (e) {
      if (e instanceof CryptoError) {
        throw new HostError('HOST_KEYS_REFUSED', { detail: e.message, cause: e });
      }
      throw e;
    }
    try {
      await this.opts.keys.installWorkingKeys(bundleFromF62(parsed));
    } catch (e) {
      if (e instanceof CryptoError) {
        throw new HostError('HOST_KEYS_REFUSED', { detail: e.message, cause: e });
      }
      throw e;
    }
    const batchNo = f60.slice(2, 8);
    this.opts.state.setBatchNo(batchNo);
    this.lastOperator = operatorNo;
    this.mustSignOn = false;
    const result: SignOnResult = {
      responseCode: code,
      batchNo,
      keyScheme: scheme,
      checkValues: {
        pik: parsed.pik.checkValue.toString('hex').toUpperCase(),
        mak: parsed.mak.checkValue.toString('hex').toUpperCase(),
      },
    };
    if (parsed.tdk) result.checkValues.tdk = parsed.tdk.checkValue.toString('hex').toUpperCase();
    const date = str(ex.response, 13);
    const time = str(ex.response, 12);
    if (date) result.hostDate = date;
    if (time) result.hostTime = time;
    return result;
  }

  private inquiryFields(req: BalanceInquiryRequest): Record<number, FieldValue> {
    const f: Record<number, FieldValue> = { 3: '310000' };
    if (req.pan !== undefined) {
      if (!/^\d{13,19}$/.test(req.pan)) throw badRequest('card number');
      f[2] = req.pan;
    }
    if (req.track2 !== undefined) {
      if (!/^\d{12,19}=[\d=]{0,20}$/.test(req.track2) || req.track2.length > 37) {
        throw badRequest('track 2');
      }
      f[35] = req.track2;
    }
    if (req.track3 !== undefined) {
      if (!/^[\d=]{1,104}$/.test(req.track3)) throw badRequest('track 3');
      f[36] = req.track3;
    }
    if (f[2] === undefined && f[35] === undefined) throw badRequest('card number or track 2');
    if (req.expiry !== undefined) {
      if (!/^\d{4}$/.test(req.expiry)) throw badRequest('expiry');
      f[14] = req.expiry;
    }
    let entry = req.entryMode;
    if (/^\d{2}$/.test(entry)) entry += req.pinBlock ? '1' : '2';
    if (!/^\d{3}$/.test(entry)) throw badRequest('entry mode');
    f[22] = entry;
    // A swiped card's PAN travels in track 2; F2 is for chip, contactless and keyed entry.
    if (entry.startsWith('02') && f[35] !== undefined) delete f[2];
    if (req.cardSequence !== undefined) {
      if (!/^\d{1,3}$/.test(req.cardSequence)) throw badRequest('card sequence number');
      f[23] = req.cardSequence.padStart(3, '0');
    }
    f[25] = '00';
    if (req.pinBlock !== undefined) {
      if (req.pinBlock.length !== 8) throw badRequest('PIN block');
      f[26] = '12';
      f[52] = req.pinBlock;
      // 53.1 = 2: PIN block with PAN (ISO format 0); 53.2 = 6: double-length PIK.
      f[53] = `2${this.scheme === '001' ? '0' : '6'}00000000000000`;
    }
    f[49] = '156';
    if (req.iccData !== undefined) {
      if (req.iccData.length > 255) throw badRequest('chip data');
      f[55] = req.iccData;
    }
    return f;
  }

  private async inquireOnce(
    base: Record<number, FieldValue>,
    req: BalanceInquiryRequest,
    signedOnAgain: boolean,
  ): Promise<BalanceInquiryResult> {
    const batch = this.opts.state.batchNo();
    const fields = { ...base, 60: `01${batch}000${this.opts.readCapability ?? '6'}0` };
    const ex = await this.roundTrip('0200', fields, true);
    const code = str(ex.response, 39) ?? '';
    await this.verifyResponseMac(ex, code);
    const info = lookupResponseCode(code);
    const approved = code === '00';
    let balances: Balance[] = [];
    const f54 = str(ex.response, 54);
    if (approved && f54) {
      try {
        balances = parseBalances(f54);
      } catch (e) {
        if (e instanceof Iso8583Error) {
          throw new HostError('HOST_BAD_FRAME', { detail: e.message, cause: e });
        }
        throw e;
      }
    }
    const panSource = req.pan ?? req.track2?.split('=')[0] ?? '';
    const result: BalanceInquiryResult = {
      approved,
      responseCode: code,
      responseClass: info.class,
      messageZh: info.zh,
      messageEn: info.en,
      balances,
      stan: str(ex.request, 11)!,
      maskedPan: maskPan(panSource),
      signedOnAgain,
      retried: false,
    };
    const ledger = balances.find((b) => b.kind === 'ledger');
    const available = balances.find((b) => b.kind === 'available');
    if (ledger) result.ledger = ledger;
    if (available) result.available = available;
    const rrn = str(ex.response, 37);
    const auth = str(ex.response, 38);
    const date = str(ex.response, 13);
    const time = str(ex.response, 12);
    const f55 = ex.response.fields.get(55);
    if (rrn) result.rrn = rrn;
    if (auth) result.authCode = auth.trim();
    if (date) result.hostDate = date;
    if (time) result.hostTime = time;
    if (Buffer.isBuffer(f55)) result.issuerData = f55;
    return result;
  }

  private async verifyResponseMac(ex: Exchange, code: string): Promise<void> {
    const mac = ex.response.fields.get(64);
    if (!Buffer.isBuffer(mac)) {
      // A host cannot MAC an answer it could not verify (A0) and often skips it on declines;
      // an approval without a MAC is never trusted.
      if (code === '00') throw new HostError('HOST_BAD_MAC', 'approval without a MAC');
      return;
    }
    const expected = await this.opts.keys.calculateMac(Iso8583Packager.macBlock(ex.responsePacked));
    if (expected.length !== mac.length || !timingSafeEqual(expected, mac)) {
      throw new HostError('HOST_BAD_MAC', { responseCode: code });
    }
  }

  private async roundTrip(
    mti: string,
    extra: Record<number, FieldValue>,
    withMac: boolean,
  ): Promise<Exchange> {
    const stan = this.opts.state.nextStan();
    const fields = new Map<number, FieldValue>();
    for (const [k, v] of Object.entries(extra)) fields.set(Number(k), v);
    fields.set(11, stan);
    fields.set(41, this.opts.terminalId.padEnd(8, ' '));
    fields.set(42, this.opts.merchantId.padEnd(15, ' '));
    const request: IsoMessage = { mti, fields };
    let packed: Buffer;
    try {
      if (withMac) fields.set(64, Buffer.alloc(8));
      packed = cupPosPackager.pack(request);
    } catch (e) {
      if (e instanceof Iso8583Error) throw badRequest(e.message);
      throw e;
    }
    if (withMac) {
      let mac: Buffer;
      try {
        mac = await this.opts.keys.calculateMac(Iso8583Packager.macBlock(packed));
      } catch (e) {
        if (e instanceof HostError) throw e;
        throw new HostError('HOST_NOT_SIGNED_ON', (e as Error).message);
      }
      mac.copy(packed, packed.length - 8);
      fields.set(64, mac);
    }
    this.log('>>', request);
    const body = await this.channel.exchange(
      encodeFrameBodyPacked(this.tpdu, this.header, packed),
      this.opts.responseTimeoutMs ?? 30_000,
    );
    let frame: Frame;
    try {
      frame = decodeFrameBody(body, cupPosPackager);
    } catch (e) {
      this.channel.close();
      if (e instanceof Iso8583Error) {
        throw new HostError('HOST_BAD_FRAME', { detail: e.message, cause: e });
      }
      throw e;
    }
    const response = frame.message;
    this.log('<<', response);
    const expectedMti = mti.slice(0, 2) + String(Number(mti[2]) + 1) + mti[3];
    const sameTerminal = (str(response, 41) ?? '').trimEnd() === this.opts.terminalId.trimEnd();
    if (response.mti !== expectedMti || str(response, 11) !== stan || !sameTerminal) {
      // The stream no longer lines up with our requests: start over on a fresh connection.
      this.channel.close();
      throw new HostError(
        'HOST_MISMATCHED_RESPONSE',
        `expected ${expectedMti} with our trace number and terminal`,
      );
    }
    // Header processing requirement 3 = the host wants a new sign-on.
    if (frame.header[5] === '3') this.mustSignOn = true;
    return { request, response, responseHeader: frame.header, responsePacked: body.subarray(11) };
  }

  private log(direction: string, m: IsoMessage): void {
    if (this.opts.log) this.opts.log(`${direction} ${dumpMessage(m, cupPosFields)}`);
  }
}
