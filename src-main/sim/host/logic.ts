// What the simulated acquirer host answers, message by message. No sockets here: bytes of one
// request frame body in, bytes of one answer frame body out.
import { randomBytes } from 'node:crypto';
import { tdesDecryptEcb } from '../../crypto/des';
import { hostMac } from '../../crypto/mac';
import { pinFromFormat0 } from '../../crypto/pin-block';
import { buildF62, isKeyScheme, type KeyScheme } from '../../crypto/working-keys';
import { formatBalance } from '../../protocols/iso8583/balance';
import { cupPosPackager } from '../../protocols/iso8583/cup-pos';
import { decodeFrameBody, encodeFrameBodyPacked, swapTpdu } from '../../protocols/iso8583/frame';
import type { FieldValue, IsoMessage } from '../../protocols/iso8583/message';
import type { HostSimConfig, SimCard } from './config';
import type { HostSimFaults } from './faults';

interface TerminalSession {
  scheme: KeyScheme;
  pik: Buffer;
  mak: Buffer;
  batch: string;
}

export interface SimStats {
  signOns: number;
  inquiries: number;
  approved: number;
  declined: number;
  macErrors: number;
  echoes: number;
  badFrames: number;
}

/** The answer to one request: a frame body, or nothing (the connection should close). */
export type SimAnswer = { body: Buffer } | { close: true };

const DIGITS6 = /^\d{6}$/;

function str(m: IsoMessage, n: number): string | undefined {
  const v = m.fields.get(n);
  return typeof v === 'string' ? v : undefined;
}

export class SimulatedHost {
  readonly stats: SimStats = {
    signOns: 0,
    inquiries: 0,
    approved: 0,
    declined: 0,
    macErrors: 0,
    echoes: 0,
    badFrames: 0,
  };
  private readonly sessions = new Map<string, TerminalSession>();
  private readonly pinTries = new Map<string, number>();
  private readonly cards = new Map<string, SimCard>();
  private readonly tmk: Buffer;
  private rrnCounter = 0;

  constructor(
    private readonly config: HostSimConfig,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.tmk = Buffer.from(config.tmk, 'hex');
    for (const card of config.cards) this.cards.set(card.pan, card);
  }

  /** Moves a terminal to another batch, so its next request is answered 77. */
  setBatch(terminalId: string, batch: string): void {
    const s = this.sessions.get(terminalId.trimEnd());
    if (s) s.batch = batch;
  }

  /** Forgets a terminal's keys, so its next MACed request is answered A0. */
  forgetKeys(terminalId: string): void {
    this.sessions.delete(terminalId.trimEnd());
  }

  resetPinTries(): void {
    this.pinTries.clear();
  }

  handle(body: Buffer, faults?: HostSimFaults): SimAnswer {
    try {
      return this.answer(body, faults);
    } catch {
      // Whatever a terminal sends, the simulator keeps serving: this connection just closes.
      this.stats.badFrames++;
      return { close: true };
    }
  }

  private answer(body: Buffer, faults?: HostSimFaults): SimAnswer {
    let frame;
    try {
      frame = decodeFrameBody(body, cupPosPackager);
    } catch {
      // A frame we cannot read has no trace number to answer to.
      this.stats.badFrames++;
      return { close: true };
    }
    const req = frame.message;
    const terminalId = (str(req, 41) ?? '').trimEnd();
    let answer: { fields: Map<number, FieldValue>; mac: Buffer | undefined };
    switch (req.mti) {
      case '0800':
        answer = this.signOn(req, terminalId, faults);
        break;
      case '0820':
        answer = this.echo(req, terminalId, faults);
        break;
      case '0200':
        // The MAC block is read from the received bytes: MTI up to the last field before 64.
        answer = this.inquiry(req, terminalId, body.subarray(11, body.length - 8), faults);
        break;
      default:
        answer = { fields: this.echoFields(req, [11, 41, 42]), mac: undefined };
        this.finish(answer.fields, '12');
    }
    if (faults?.wrongStan) {
      const stan = Number(str(req, 11) ?? '0');
      answer.fields.set(11, ((stan % 999_999) + 1).toString().padStart(6, '0'));
    }
    const mti = req.mti.slice(0, 2) + String(Number(req.mti[2]) + 1) + req.mti[3];
    const message: IsoMessage = { mti, fields: answer.fields };
    const mak = answer.mac;
    let packed = mak
      ? cupPosPackager.packWithMac(message, (mab) => hostMac(this.config.macAlgorithm, mak, mab))
      : cupPosPackager.pack(message);
    if (faults?.badMac && mak) {
      packed = Buffer.from(packed);
      packed[packed.length - 1] ^= 0x01;
    }
    // Answer header: the request's, with the processing requirement nibble cleared.
    const requirement = faults?.requireSignOn ? '3' : '0';
    const header = frame.header.slice(0, 5) + requirement + frame.header.slice(6);
    return { body: encodeFrameBodyPacked(swapTpdu(frame.tpdu), header, packed) };
  }

  private echoFields(req: IsoMessage, numbers: number[]): Map<number, FieldValue> {
    const out = new Map<number, FieldValue>();
    for (const n of numbers) {
      const v = req.fields.get(n);
      if (v !== undefined) out.set(n, v);
    }
    return out;
  }

  private finish(fields: Map<number, FieldValue>, code: string): void {
    const t = this.now();
    const p2 = (n: number) => n.toString().padStart(2, '0');
    fields.set(12, `${p2(t.getHours())}${p2(t.getMinutes())}${p2(t.getSeconds())}`);
    fields.set(13, `${p2(t.getMonth() + 1)}${p2(t.getDate())}`);
    fields.set(39, code);
  }

  private rrn(): string {
    const t = this.now();
    const p2 = (n: number) => n.toString().padStart(2, '0');
    this.rrnCounter = (this.rrnCounter + 1) % 1_000_000;
    return `${p2(t.getHours())}${p2(t.getMinutes())}${p2(t.getSeconds())}${this.rrnCounter
      .toString()
      .padStart(6, '0')}`;
  }

  private terminalAllowed(terminalId: string): boolean {
    return !this.config.terminals || this.config.terminals.includes(terminalId);
  }

  private signOn(req: IsoMessage, terminalId: string, faults?: HostSimFaults) {
    const fields = this.echoFields(req, [11, 41, 42]);
    fields.set(32, this.config.acquirerId);
    fields.set(37, this.rrn());
    const f60 = str(req, 60) ?? '';
    const code = faults?.forceResponseCode ?? this.signOnCode(req, terminalId, f60);
    this.finish(fields, code);
    if (code !== '00') return { fields, mac: undefined };
    this.stats.signOns++;
    const asked = f60.slice(8, 11);
    const scheme: KeyScheme = isKeyScheme(asked) ? asked : this.config.keyScheme;
    const previous = this.sessions.get(terminalId);
    const requestBatch = f60.slice(2, 8);
    const batch = previous?.batch ?? (requestBatch === '000000' ? '000001' : requestBatch);
    const session: TerminalSession = {
      scheme,
      pik: randomBytes(scheme === '001' ? 8 : 16),
      mak: randomBytes(8),
      batch,
    };
    const tdk = scheme === '004' ? randomBytes(16) : undefined;
    this.sessions.set(terminalId, session);
    fields.set(60, `00${batch}${scheme}`);
    fields.set(
      62,
      buildF62(
        tdk
          ? { scheme, pik: session.pik, mak: session.mak, tdk }
          : { scheme, pik: session.pik, mak: session.mak },
        this.tmk,
      ),
    );
    return { fields, mac: undefined };
  }

  private signOnCode(req: IsoMessage, terminalId: string, f60: string): string {
    if (!this.terminalAllowed(terminalId)) return '97';
    if (!/^\d{11}$/.test(f60) || !DIGITS6.test(str(req, 11) ?? '')) return '30';
    return '00';
  }

  private echo(req: IsoMessage, terminalId: string, faults?: HostSimFaults) {
    this.stats.echoes++;
    const fields = this.echoFields(req, [11, 41, 42, 60]);
    const code = faults?.forceResponseCode ?? (this.terminalAllowed(terminalId) ? '00' : '97');
    this.finish(fields, code);
    return { fields, mac: undefined };
  }

  private inquiry(req: IsoMessage, terminalId: string, mab: Buffer, faults?: HostSimFaults) {
    this.stats.inquiries++;
    const fields = this.echoFields(req, [2, 3, 11, 14, 22, 23, 25, 26, 41, 42, 49, 53, 60]);
    fields.set(32, this.config.acquirerId);
    fields.set(37, this.rrn());
    const session = this.sessions.get(terminalId);
    const verdict = faults?.forceResponseCode
      ? { code: faults.forceResponseCode }
      : this.decide(req, terminalId, session, mab);
    this.finish(fields, verdict.code);
    if (verdict.code === 'A0') this.stats.macErrors++;
    if (verdict.code === '00' && verdict.card) {
      this.stats.approved++;
      const c = verdict.card;
      const entry = (amountTypeCode: string, signedFen: number) =>
        formatBalance({
          accountType: c.accountType,
          amountTypeCode,
          currency: c.currency,
          signedFen,
        });
      fields.set(54, entry('01', c.ledgerFen) + entry('02', c.availableFen));
      fields.set(44, `${this.config.issuerId.padEnd(11)}${this.config.acquirerId.padEnd(11)}`);
      if (req.fields.has(55)) {
        // Issuer authentication data (tag 91) for the chip card's second GENERATE AC.
        fields.set(
          55,
          Buffer.concat([Buffer.from([0x91, 0x0a]), randomBytes(8), Buffer.from('3030', 'hex')]),
        );
      }
    } else {
      this.stats.declined++;
    }
    // A0 means we could not trust the terminal's keys, so the answer carries no MAC.
    const mac = session && verdict.code !== 'A0' ? session.mak : undefined;
    return { fields, mac };
  }

  private decide(
    req: IsoMessage,
    terminalId: string,
    session: TerminalSession | undefined,
    mab: Buffer,
  ): { code: string; card?: SimCard } {
    if (!this.terminalAllowed(terminalId)) return { code: '97' };
    const mac = req.fields.get(64);
    if (!session || !Buffer.isBuffer(mac)) return { code: 'A0' };
    const expected = hostMac(this.config.macAlgorithm, session.mak, mab);
    if (!expected.equals(mac)) return { code: 'A0' };
    if (str(req, 3) !== '310000') return { code: '40' };
    const f60 = str(req, 60) ?? '';
    if (f60.slice(2, 8) !== session.batch) return { code: '77' };
    const pan = str(req, 2) ?? (str(req, 35) ?? '').split('=')[0] ?? '';
    const card = this.cards.get(pan);
    if (!card) return { code: '14' };
    if (card.status === 'lost') return { code: '41' };
    if (card.status === 'stolen') return { code: '43' };
    if (card.status === 'restricted') return { code: '62' };
    if (card.status === 'expired' || this.isExpired(card.expiry)) return { code: '54' };
    const tries = this.pinTries.get(pan) ?? 0;
    if (tries >= this.config.maxPinTries) return { code: '75' };
    const block = req.fields.get(52);
    if (!Buffer.isBuffer(block)) return { code: '55' };
    let pin: string;
    try {
      pin = pinFromFormat0(tdesDecryptEcb(session.pik, block), pan);
    } catch {
      return { code: '99' };
    }
    if (pin !== card.pin) {
      const now = tries + 1;
      this.pinTries.set(pan, now);
      return { code: now >= this.config.maxPinTries ? '75' : '55' };
    }
    this.pinTries.delete(pan);
    return { code: '00', card };
  }

  private isExpired(yymm: string): boolean {
    const t = this.now();
    const current = (t.getFullYear() % 100) * 100 + t.getMonth() + 1;
    return Number(yymm) < current;
  }
}
