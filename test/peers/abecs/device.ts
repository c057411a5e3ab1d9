// DEVICE SIDE of the clean-room ABECS 2.12 peer: a PIN pad that follows the specification, on
// the device end of a serial port. Link level per §2.2 and the pad's flowchart in §6.2.1;
// commands per chapter 3 (formats) and chapter 6 (internal processing). See README.md.
import { createHash, randomBytes } from 'node:crypto';
import type { SerialPort } from 'serialport';
import {
  ACK,
  AbecsFormatError,
  CAN,
  DC2,
  DC3,
  EOT,
  ETB,
  MAX_PKTDATA,
  NAK,
  SYN,
  buildResponse,
  encodeFrame,
  fieldA,
  fieldN,
  fieldX,
  frameCrc,
  isDigits,
  latin1,
  packTlvBlocks,
  parseTlvEntries,
  splitBlocks,
  tlv,
} from './codec.js';
import { pinBlockFormat0, tdesDecryptEcb, tdesEncryptCbc, tdesEncryptEcb } from './crypto.js';
import {
  CARD_ONLY_TAGS,
  PROTECTED_TAGS,
  aidMatches,
  bcd,
  encodeBerTlv,
  parseBerTlv,
  parseTableRecord,
  parseTagList,
  splitTlrRecords,
  type TableRecord,
} from './emv.js';
import { PP, SPE, ST } from './ids.js';
import { decryptPacket, encryptPacket, rsaEncryptKey } from './secure.js';
import { ByteReader, PortClosedError, closeSerial, openSerial } from './serial.js';
import {
  incompleteTrack1,
  incompleteTrack2,
  incompleteTrack3,
  maskPan,
  packNibbles,
  panFromTracks,
} from './tracks.js';

export interface PeerCard {
  /** e.g. '6222020200112233446' */
  pan: string;
  /** YYMM */
  expiry: string;
  /** default '101' */
  serviceCode?: string;
  /** Track 1 without sentinels, e.g. 'B6222020200112233446^ZHANG/SAN^30121010000000000'. */
  track1?: string;
  /** Track 2 without sentinels, e.g. '6222020200112233446=30121010000000000'. */
  track2: string;
  /** Track 3 without sentinels (optional, rarely present). */
  track3?: string;
  cardholderName?: string;
  /** The card also has an EMV chip: it is inserted (not swiped) when ICC is accepted. */
  emv?: PeerEmvCard;
}

/** A simulated EMV chip application (one application, contact only). */
export interface PeerEmvCard {
  /** ADF name / AID (tags 4F, 84), hex, e.g. 'A0000000041010'. */
  aid: string;
  /** Application Label (tag 50); default 'CREDITO'. */
  label?: string;
  /** Application PAN Sequence Number (tag 5F34), N2; PP_PANSEQNO is "00" when absent. */
  panSequenceNumber?: string;
  /** Issuer Country Code (tag 5F28), N3, e.g. '076'. */
  issuerCountry?: string;
  /** What Cardholder Verification asks for at GOX; default 'online-pin'. */
  cvm?: 'online-pin' | 'signature' | 'no-cvm';
  /** The card's answer to the 1st GENERATE AC; default 'arqc' (go online). */
  firstAc?: 'arqc' | 'tc' | 'aac';
  /** Other card objects (tag hex -> value hex), e.g. { '9F07': 'FF00', DF55: '1122334455667788' }. */
  tags?: Record<string, string>;
}

export interface PeerPadInfo {
  /** GIN_MNAME A20 / PP_MNNAME. */
  maker?: string;
  /** GIN_MODEL A19 / PP_MODEL, "name;memory". */
  model?: string;
  /** GIN_SERNUM A20 / PP_SERNUM. */
  serialNumber?: string;
  /** GIN_SOVER A20 / PP_SOVER. */
  osVersion?: string;
  /** GIN_SPECVER A4 / PP_SPECVER; the spec fixes "2.12". */
  specVersion?: string;
  /** GIN_MANVER A16 / PP_MANVERS, "VVV.VV AAMMDD". */
  managerVersion?: string;
  /** GIN_APPVERS A13 / PP_APPVERS, "VVV.VV AAMMDD". */
  appVersion?: string;
  /** PP_GENVERS, "VVV.VV AAMMDD". */
  extensionVersion?: string;
  /** GIN_KRNLVER / PP_KRNLVER. */
  kernelVersion?: string;
  /** PP_PARTNBR (returned by GIX only when set). */
  partNumber?: string;
  /**
   * Report CTLS support (GIN_CTLSSUP "C", PP_CAPAB "1…"). No contactless card is ever presented
   * to this peer, so a CEX asking for CTLS then ends with PP_EVENT "93" after 2 minutes (§6.5.1).
   */
  contactless?: boolean;
}

export interface PeerAbecsPadOptions {
  /** Device end of a serial port (socat pty), opened at 19200 8N1. */
  path: string;
  /** MK:TDES:PIN index -> 32 hex chars (double-length 3DES), "factory-injected". */
  masterKeys: Record<number, string>;
  /** MK:TDES:DAT index -> 32 hex chars, used by GTK's SPE_MTHDDAT "10"/"11" (none by default). */
  dataMasterKeys?: Record<number, string>;
  /** Swiped automatically when a CEX asks for magnetic stripe events. */
  card?: PeerCard;
  /** Typed by the cardholder at every GPN, then OK/ENTER. */
  pin?: string;
  /** The cardholder presses CANCEL instead (at CEX and GPN). */
  cardholderCancels?: boolean;
  /** GIN / GIX answers. */
  info?: PeerPadInfo;
  /** How long the simulated cardholder takes to act (default 20 ms). */
  cardholderDelayMs?: number;
  /** GPN inactivity limit, §6.5.11: 1 minute (default 60 000 ms). */
  pinIdleTimeoutMs?: number;
  /** Link inter-byte timeout, §6.2.1: "Aguarda até 2s por um byte" (default 2000 ms). */
  interByteTimeoutMs?: number;
  /** CEX CTLS inactivity limit, §6.5.1: 2 minutes (default 120 000 ms; only with info.contactless). */
  ctlsIdleTimeoutMs?: number;
}

export interface ReceivedCommand {
  id: string;
  /** The PKTDATA as received (after DC3 removal; the clear CLRDATA in secure mode). */
  pktdata: Buffer;
  /** CMD_BLKn, when the LEN/BLK structure could be parsed. */
  blocks?: Buffer[];
  /** Abecs command parameters (§3.1.3.1), when the command uses them and they parsed. */
  params?: Map<number, Buffer>;
  /** Fixed-format fields of classic commands, by the spec's field names (e.g. GPN_KEYIDX). */
  fields?: Record<string, string>;
  /** The packet came encrypted (§5.2). */
  secure?: boolean;
}

export interface PeerAbecsPad {
  /** Every command received, decoded. */
  readonly received: ReadonlyArray<ReceivedCommand>;
  /** Status codes answered, in order (RSP_ID + RSP_STAT; ERR answers have id "ERR"). */
  readonly answered: ReadonlyArray<{ id: string; status: string }>;
  /** NTM notifications sent (§2.3.3). */
  readonly notifications: ReadonlyArray<string>;
  /** Blocking commands aborted by CAN or by a new command (§2.2.2.3, §6.2.1). */
  readonly aborted: ReadonlyArray<{ id: string; by: 'CAN' | 'command' }>;
  /** Link events: 'ACK', 'NAK', 'EOT' sent, 'NAK-resend' (response resent after NAK). */
  readonly linkLog: ReadonlyArray<string>;
  /** Current 2 x 16 (or free-format) display content. */
  readonly display: string;
  setCard(card: PeerCard | undefined): void;
  setPin(pin: string | undefined): void;
  setCardholderCancels(cancels: boolean): void;
  close(): Promise<void>;
}

export async function startPeerAbecsPad(options: PeerAbecsPadOptions): Promise<PeerAbecsPad> {
  const port = await openSerial(options.path);
  const pad = new Pad(port, options);
  pad.start();
  return pad;
}

// ---------------------------------------------------------------------------------------------

/** §3.1.3: "Para os Comandos Abecs, os pacotes ... podem ter até 2044 bytes". */
const MAX_ABECS_PACKET = 2044;

interface Response {
  id: string;
  status: string;
  blocks?: Buffer[];
}

class Aborted extends Error {
  override name = 'Aborted';
}

type Handler = (cmd: ReceivedCommand, signal: AbortSignal) => Response | Promise<Response>;

interface StoredCard {
  track1?: string;
  track2?: string;
  track3?: string;
  /** PAN for GPN with GPN_PANLEN "00". */
  pan?: string;
  /** PAN for GTK's PP_ENCPAN: only a chip card read by GCX has it (§3.3.12). */
  chipPan?: string;
}

/** One EMV transaction, GCX → GOX → FCX (§6.9). */
interface ChipSession {
  stage: 'gcx' | 'gox' | 'done';
  card: PeerCard & { emv: PeerEmvCard };
  /** The AID-table records that matched the selected application (§6.9.5.2). */
  records: TableRecord[];
  /** EMV data known to the "kernel": terminal, card and results (tag hex -> value). */
  kernel: Map<string, Buffer>;
  /** GCX parameters reused by GOX (SPE_TRNCURR). */
  gcxCurrency?: string;
  goxRes?: string;
  goxOpt?: string;
}

class Pad implements PeerAbecsPad {
  readonly received: ReceivedCommand[] = [];
  readonly answered: { id: string; status: string }[] = [];
  readonly notifications: string[] = [];
  readonly aborted: { id: string; by: 'CAN' | 'command' }[] = [];
  readonly linkLog: string[] = [];
  display = '';

  private readonly reader: ByteReader;
  private card: PeerCard | undefined;
  private pin: string | undefined;
  private cancels: boolean;
  private readonly delayMs: number;
  private readonly pinIdleMs: number;
  private readonly interByteMs: number;
  private readonly ctlsIdleMs: number;
  private readonly masterKeys: Map<number, Buffer>;
  private readonly dataKeys: Map<number, Buffer>;

  private closed = false;
  private loop: Promise<void> | undefined;
  private lastFrame: Buffer | undefined;
  private current: { id: string; controller: AbortController } | undefined;
  private readonly changeListeners = new Set<() => void>();

  /** Tracks kept for GTK (§6.3.4.1) and the PAN for GPN with GPN_PANLEN "00" (§6.5.11). */
  private stored: StoredCard | undefined;
  /** 'none': no successful CEX/GCX since the last reset; 'available': GTK allowed once; 'used'. */
  private gtkState: 'none' | 'available' | 'used' = 'none';
  /** KSEC while "Comunicação Segura" is active (§5.2). */
  private ksec: Buffer | undefined;
  /** A chip card sits in the ICC reader. */
  private iccInserted = false;
  /** PP_ICCSTAT for the next magnetic GCX (§6.9.1.1). */
  private lastIccStat = '0';
  /** The EMV transaction between GCX, GOX and FCX (§6.9). */
  private chip: ChipSession | undefined;
  /** EMV tables (chapter 4): committed records and versions (§4.2). */
  private tableRecords: TableRecord[] = [];
  private readonly tableVersions = new Map<string, string>();
  private generalTableVersion: string | undefined;
  /** TLI…TLE in progress (§6.7). */
  private tableLoad:
    { acq: string; version: string; records: TableRecord[]; tlrSeen: boolean } | undefined;
  /** Transaction Sequence Counter (9F41) and the card's ATC (9F36). */
  private tsc = 0;
  private atc = 0;

  private readonly handlers: Record<string, Handler> = {
    OPN: (c) => this.opn(c),
    CLO: (c) => this.clo(c),
    CLX: (c) => this.clx(c),
    GIN: (c) => this.gin(c),
    GIX: (c) => this.gix(c),
    DSP: (c) => this.dsp(c),
    DEX: (c) => this.dex(c),
    CEX: (c, s) => this.cex(c, s),
    GTK: (c) => this.gtk(c),
    GPN: (c, s) => this.gpn(c, s),
    GCX: (c, s) => this.gcx(c, s),
    GED: (c) => this.ged(c),
    GOX: (c, s) => this.gox(c, s),
    FCX: (c) => this.fcx(c),
    GTS: (c) => this.gts(c),
    TLI: (c) => this.tli(c),
    TLR: (c) => this.tlr(c),
    TLE: (c) => this.tle(c),
  };

  constructor(
    private readonly port: SerialPort,
    private readonly options: PeerAbecsPadOptions,
  ) {
    this.reader = new ByteReader(port);
    this.card = options.card;
    this.pin = options.pin;
    this.cancels = options.cardholderCancels ?? false;
    this.delayMs = options.cardholderDelayMs ?? 20;
    this.pinIdleMs = options.pinIdleTimeoutMs ?? 60_000;
    this.interByteMs = options.interByteTimeoutMs ?? 2000;
    this.ctlsIdleMs = options.ctlsIdleTimeoutMs ?? 120_000;
    this.masterKeys = keyMap(options.masterKeys);
    this.dataKeys = keyMap(options.dataMasterKeys ?? {});
  }

  start(): void {
    this.loop = this.runLink().catch((e: unknown) => {
      if (!(e instanceof PortClosedError) && !this.closed) throw e;
    });
  }

  setCard(card: PeerCard | undefined): void {
    if (card !== this.card) this.iccInserted = false; // the old card leaves the reader
    this.card = card;
    this.changed();
  }

  setPin(pin: string | undefined): void {
    this.pin = pin;
    this.changed();
  }

  setCardholderCancels(cancels: boolean): void {
    this.cancels = cancels;
    this.changed();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.current?.controller.abort();
    this.current = undefined;
    this.reader.close();
    await closeSerial(this.port);
    await this.loop;
  }

  // -------------------------------------------------------------------------------------------
  // Link level, §6.2.1

  private async runLink(): Promise<void> {
    while (!this.closed) {
      const b = await this.reader.read();
      if (b === SYN) await this.receivePacket();
      else if (b === NAK) {
        // "Reenvia última resposta (ignora NAK se não houver!)"
        if (this.lastFrame) {
          this.linkLog.push('NAK-resend');
          this.write(this.lastFrame);
        }
      } else if (b === CAN) {
        // §2.2.2.3: "o pinpad sempre responde «EOT» a um «CAN», independentemente do seu estado."
        this.abortCurrent('CAN');
        this.linkLog.push('EOT');
        this.write(Buffer.of(EOT));
      }
      // Anything else (a stray ACK, noise) is ignored while waiting for SYN.
    }
  }

  private async receivePacket(): Promise<void> {
    const data: number[] = [];
    for (;;) {
      const b = await this.reader.read(this.interByteMs);
      if (b === null) return this.rejectPacket();
      if (b === ETB) break;
      if (b === DC3) {
        const next = await this.reader.read(this.interByteMs);
        if (next === null) return this.rejectPacket();
        data.push((next - 0x20) & 0xff);
      } else data.push(b);
      if (data.length > MAX_PKTDATA) return this.rejectPacket();
    }
    const hi = await this.reader.read(this.interByteMs);
    if (hi === null) return this.rejectPacket();
    const lo = await this.reader.read(this.interByteMs);
    if (lo === null) return this.rejectPacket();
    const pktdata = Buffer.from(data);
    if (((hi << 8) | lo) !== frameCrc(pktdata)) return this.rejectPacket();
    this.linkLog.push('ACK');
    this.write(Buffer.of(ACK));
    // §6.2.1: a valid packet also aborts a blocking command in progress.
    this.abortCurrent('command');
    this.process(pktdata);
  }

  /** Bad CRC / format / timeout: discard input until 500 ms of silence, then NAK (§6.2.1). */
  private async rejectPacket(): Promise<void> {
    await this.reader.discardUntilSilence(500);
    this.linkLog.push('NAK');
    this.write(Buffer.of(NAK));
  }

  private write(bytes: Buffer): void {
    if (this.closed || !this.port.isOpen) return;
    this.port.write(bytes);
  }

  private abortCurrent(by: 'CAN' | 'command'): void {
    const op = this.current;
    if (!op) return;
    this.current = undefined;
    this.aborted.push({ id: op.id, by });
    op.controller.abort();
    // GPN, GCX and GOX clear the display when cancelled (§6.5.11, §6.9.1, §7.3.1).
    if (op.id === 'GPN' || op.id === 'GCX' || op.id === 'GOX') this.display = '';
  }

  // -------------------------------------------------------------------------------------------
  // Application level, §6.2.2

  private process(raw: Buffer): void {
    let pktdata = raw;
    let secure = false;
    if (raw[0] === DC2) {
      // §6.3.2: encrypted packet without secure communication -> ERR003; bad packet -> ERR009
      // and secure communication is switched off (the pad is then "closed").
      if (!this.ksec) {
        this.received.push({ id: '', pktdata: raw, secure: true });
        return this.send({ id: 'ERR', status: ST.NOSEC }, false);
      }
      try {
        pktdata = decryptPacket(this.ksec, raw);
        secure = true;
      } catch {
        this.received.push({ id: '', pktdata: raw, secure: true });
        this.resetSession();
        return this.send({ id: 'ERR', status: ST.ERRPKTSEC }, false);
      }
    }
    const id = pktdata.length >= 3 ? pktdata.toString('latin1', 0, 3) : '';
    const cmd: ReceivedCommand = { id, pktdata, secure };
    try {
      cmd.blocks = splitBlocks(pktdata.subarray(3));
    } catch {
      /* left undefined: handlers answer ST_INVPARM, DSP/CLO read the raw bytes */
    }
    this.received.push(cmd);
    const handler = this.handlers[id];
    if (!handler) return this.send({ id: 'ERR', status: ST.INVCALL }, secure);
    if (this.ksec && !secure) {
      // §6.3.2 / §5.2.2: a clear command while secure: ST_ERRPKTSEC, answered in clear, except
      // OPN, which is always accepted in clear.
      if (id !== 'OPN') return this.send({ id, status: ST.ERRPKTSEC }, false);
    }
    if (secure && id === 'OPN') {
      // §6.3.2 "Casos especiais": encrypted OPN -> OPN010 in clear, and the pad closes.
      this.resetSession();
      return this.send({ id, status: ST.INVCALL }, false);
    }
    const controller = new AbortController();
    let result: Response | Promise<Response>;
    try {
      result = handler(cmd, controller.signal);
    } catch (e) {
      return this.send({ id, status: statusOf(e) }, secure);
    }
    if (!(result instanceof Promise)) return this.send(result, secure);
    const op = { id, controller };
    this.current = op;
    result.then(
      (r) => {
        if (controller.signal.aborted || this.closed) return;
        if (this.current === op) this.current = undefined;
        this.send(r, secure);
      },
      (e: unknown) => {
        if (controller.signal.aborted || this.closed || e instanceof Aborted) return;
        if (this.current === op) this.current = undefined;
        this.send({ id, status: statusOf(e) }, secure);
      },
    );
  }

  private send(r: Response, secure: boolean): void {
    let pktdata = buildResponse(r.id, r.status, r.status === ST.OK ? (r.blocks ?? []) : []);
    if (ABECS_RESPONSE_LIMITED.has(r.id) && pktdata.length > MAX_ABECS_PACKET) {
      pktdata = buildResponse(r.id, ST.RSPOVRFL);
      r = { id: r.id, status: ST.RSPOVRFL };
    }
    this.answered.push({ id: r.id, status: r.status });
    // §5.2.2: responses to CLO/CLX are always clear; so are ERR and errors handled above.
    const out = secure && this.ksec ? encryptPacket(this.ksec, pktdata) : pktdata;
    this.lastFrame = encodeFrame(out);
    this.write(this.lastFrame);
  }

  /** NTM notification, §2.3.3 (only during blocking commands). */
  private notify(message: string): void {
    const text = fieldA(message, 32);
    this.notifications.push(text.toString('latin1'));
    const pktdata = buildResponse('NTM', ST.OK, [text]);
    const out = this.ksec ? encryptPacket(this.ksec, pktdata) : pktdata;
    this.lastFrame = encodeFrame(out);
    this.write(this.lastFrame);
  }

  /** What CLO/CLX do (§6.4.5): secure mode off, stored tracks erased, display left. */
  private resetSession(): void {
    this.ksec = undefined;
    this.stored = undefined;
  }

  // -------------------------------------------------------------------------------------------
  // Cardholder simulation

  private changed(): void {
    for (const l of [...this.changeListeners]) l();
  }

  /**
   * Waits for the cardholder: `check` is asked once the cardholder has had `cardholderDelayMs`
   * to act, and again on every setCard/setPin/setCardholderCancels; resolves with its first
   * non-undefined answer, or 'timeout' at `deadline`; rejects with Aborted on abort.
   */
  private waitCardholder<T>(
    signal: AbortSignal,
    deadline: number | undefined,
    check: () => T | undefined,
  ): Promise<T | 'timeout'> {
    const readyAt = Date.now() + this.delayMs;
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (): void => {
        if (timer) clearTimeout(timer);
        this.changeListeners.delete(evaluate);
        signal.removeEventListener('abort', onAbort);
      };
      const onAbort = (): void => {
        finish();
        reject(new Aborted());
      };
      const evaluate = (): void => {
        const now = Date.now();
        if (now >= readyAt) {
          const r = check();
          if (r !== undefined) {
            finish();
            resolve(r);
            return;
          }
        }
        if (deadline !== undefined && now >= deadline) {
          finish();
          resolve('timeout');
          return;
        }
        const next = Math.min(now < readyAt ? readyAt : Infinity, deadline ?? Infinity);
        if (timer) clearTimeout(timer);
        timer = next === Infinity ? undefined : setTimeout(evaluate, Math.max(0, next - now));
      };
      if (signal.aborted) return reject(new Aborted());
      signal.addEventListener('abort', onAbort);
      this.changeListeners.add(evaluate);
      evaluate();
    });
  }

  // -------------------------------------------------------------------------------------------
  // Control commands, §3.2 / §6.4

  /** OPN, §3.2.1 / §3.2.2 / §6.4.1. */
  private opn(cmd: ReceivedCommand): Response {
    const blocks = cmd.blocks;
    if (!blocks) throw new Status(ST.INVPARM);
    this.display = '';
    // Classic: no data, or CMD_LEN1 = "000" (§6.4.1). OPN always switches secure mode off.
    if (blocks.length === 0 || (blocks.length === 1 && blocks[0]!.length === 0)) {
      this.resetSession();
      return { id: 'OPN', status: ST.OK };
    }
    if (blocks.length !== 1) throw new Status(ST.INVPARM);
    // Secure: OPN_OPMODE N1 ("0"), OPN_MODLEN N3 ("256"), OPN_MOD H512, OPN_EXPLEN N1, OPN_EXP H..6
    const d = blocks[0]!.toString('latin1');
    const f = {
      OPN_OPMODE: d.slice(0, 1),
      OPN_MODLEN: d.slice(1, 4),
      OPN_MOD: d.slice(4, 516),
      OPN_EXPLEN: d.slice(516, 517),
      OPN_EXP: d.slice(517),
    };
    cmd.fields = f;
    const hex = /^[0-9A-Fa-f]*$/;
    if (
      f.OPN_OPMODE !== '0' ||
      f.OPN_MODLEN !== '256' ||
      f.OPN_MOD.length !== 512 ||
      !hex.test(f.OPN_MOD) ||
      !/^[1-3]$/.test(f.OPN_EXPLEN) ||
      f.OPN_EXP.length !== Number(f.OPN_EXPLEN) * 2 ||
      !hex.test(f.OPN_EXP)
    ) {
      throw new Status(ST.INVPARM);
    }
    this.resetSession();
    const ksec = randomBytes(16);
    const crksec = rsaEncryptKey(
      ksec,
      Buffer.from(f.OPN_MOD, 'hex'),
      Buffer.from(f.OPN_EXP, 'hex'),
    );
    // OPN_CRKSLEN N3 ("256") + OPN_CRKSEC H512. This answer goes out in clear (the command
    // came in clear); from now on commands must come encrypted and answers are encrypted.
    this.ksec = ksec;
    const block = latin1('256' + crksec.toString('hex').toUpperCase());
    return { id: 'OPN', status: ST.OK, blocks: [block] };
  }

  /** CLO, §3.2.6 / §6.4.5: never fails; CLO_MSG treated like DSP_MSG. */
  private clo(cmd: ReceivedCommand): Response {
    const msg = robustMessage(cmd.pktdata);
    cmd.fields = { CLO_MSG: msg };
    this.display = msg;
    this.resetSession();
    this.chip = undefined; // §6.4.5: the ICC interface is switched off
    return { id: 'CLO', status: ST.OK };
  }

  /** CLX, §3.2.7 / §6.4.5: SPE_DSPMSG (free format) or nothing (display erased). */
  private clx(cmd: ReceivedCommand): Response {
    const params = abecsParams(cmd);
    const msg = params.get(SPE.DSPMSG);
    this.display = msg ? msg.toString('latin1') : '';
    this.resetSession();
    this.chip = undefined;
    return { id: 'CLX', status: ST.OK };
  }

  private info(): Required<Omit<PeerPadInfo, 'partNumber'>> & { partNumber?: string } {
    const i = this.options.info ?? {};
    return {
      maker: i.maker ?? 'PEER',
      model: i.model ?? 'PEERPAD;1MB',
      serialNumber: i.serialNumber ?? 'PEER00000001',
      osVersion: i.osVersion ?? 'PEEROS 1.0',
      specVersion: i.specVersion ?? '2.12',
      managerVersion: i.managerVersion ?? '001.00 250101',
      appVersion: i.appVersion ?? '001.00 250101',
      extensionVersion: i.extensionVersion ?? '001.00 250101',
      kernelVersion: i.kernelVersion ?? 'NONE',
      contactless: i.contactless ?? false,
      ...(i.partNumber !== undefined ? { partNumber: i.partNumber } : {}),
    };
  }

  /** GIN, §3.2.3 / §6.4.2: CMD_LEN1 fixed "002", GIN_ACQIDX N2. */
  private gin(cmd: ReceivedCommand): Response {
    const blocks = cmd.blocks;
    if (!blocks || blocks.length !== 1 || blocks[0]!.length !== 2 || !isDigits(blocks[0]!)) {
      throw new Status(ST.INVPARM);
    }
    const acq = blocks[0]!.toString('latin1');
    cmd.fields = { GIN_ACQIDX: acq };
    const i = this.info();
    let data: Buffer;
    if (acq === '00') {
      data = Buffer.concat([
        fieldA(i.maker, 20), // GIN_MNAME
        fieldA(i.model, 19), // GIN_MODEL
        fieldA(i.contactless ? 'C' : ' ', 1), // GIN_CTLSSUP: "C" if CTLS is supported, else a space
        fieldA(i.osVersion, 20), // GIN_SOVER
        fieldA(i.specVersion, 4), // GIN_SPECVER
        fieldA(i.managerVersion, 16), // GIN_MANVER
        fieldA(i.serialNumber, 20), // GIN_SERNUM
      ]);
    } else if (acq === '02') {
      data = Buffer.concat([
        fieldA('Abecs', 8), // GIN_ACQNAM
        fieldA(i.kernelVersion, 12), // GIN_KRNLVER
        fieldA(i.appVersion, 13), // GIN_APPVERS
        fieldA(i.specVersion, 4), // GIN_SPECVER
        fieldA('', 3), // GIN_RUF1 (spaces)
        fieldN(0, 2), // GIN_RUF2 "00"
      ]);
    } else if (acq === '03') {
      data = Buffer.concat([
        fieldA('Abecs', 6), // GIN_ACQNAM
        fieldA(i.kernelVersion, 4), // GIN_KRNLVER
        fieldA('', 4), // GIN_CTLSVER (no CTLS: blank)
        fieldA('', 3), // GIN_MCTLSVER
        fieldA('', 3), // GIN_VCTLSVER
        fieldA(i.appVersion, 13), // GIN_APPVERS
        fieldA(i.specVersion, 4), // GIN_SPECVER
        fieldA('', 2), // GIN_RUF3 (spaces)
        fieldA(' ', 1), // GIN_DUKPT: no DUKPT:TDES:PIN key at "01"
        fieldN(0, 2), // GIN_RUF2 "00"
      ]);
    } else {
      data = Buffer.concat([
        fieldA('Abecs', 20), // GIN_ACQNAME
        fieldA(i.appVersion, 13), // GIN_APPVERS
        fieldA(i.specVersion, 4), // GIN_SPECVER
        fieldA('', 3), // GIN_RUF1
        fieldN(0, 2), // GIN_RUF2
      ]);
    }
    return { id: 'GIN', status: ST.OK, blocks: [data] };
  }

  /** GIX, §3.2.4 / §6.4.3. */
  private gix(cmd: ReceivedCommand): Response {
    const params = abecsParams(cmd);
    const i = this.info();
    const keyMapText = (keys: Map<number, Buffer>): string =>
      Array.from({ length: 100 }, (_, n) => (keys.has(n) ? '1' : '0')).join('');
    const values = new Map<number, () => Buffer | undefined>([
      [PP.SERNUM, () => latin1(i.serialNumber)],
      [PP.PARTNBR, () => (i.partNumber !== undefined ? latin1(i.partNumber) : undefined)],
      [PP.MODEL, () => latin1(i.model)],
      [PP.MNNAME, () => latin1(i.maker)],
      [PP.CAPAB, () => latin1((i.contactless ? '1' : '0') + '000000000')], // no graphic display
      [PP.SOVER, () => latin1(i.osVersion)],
      [PP.SPECVER, () => fieldA(i.specVersion, 4)],
      [PP.MANVERS, () => fieldA(i.managerVersion, 16)],
      [PP.APPVERS, () => fieldA(i.appVersion, 16)],
      [PP.GENVERS, () => fieldA(i.extensionVersion, 16)],
      [PP.KRNLVER, () => latin1(i.kernelVersion)],
      [PP.DSPTXTSZ, () => latin1('0216')],
      [PP.MKTDESP, () => latin1(keyMapText(this.masterKeys))],
      [PP.MKTDESD, () => latin1(keyMapText(this.dataKeys))],
      [PP.DKPTTDESP, () => latin1('0'.repeat(100))],
      [PP.DKPTTDESD, () => latin1('0'.repeat(100))],
      [PP.TLRMEM, () => fieldX(100_000, 4)],
      [PP.BIGRAND, () => randomBytes(900)],
    ]);
    const list = params.get(SPE.IDLIST);
    let ids: number[];
    if (list === undefined) {
      // §3.2.4: absent -> every datum marked (†) that this pad knows.
      ids = [...values.keys()].filter((id) => id !== PP.BIGRAND);
    } else {
      if (list.length % 2 !== 0) throw new Status(ST.INVPARM);
      ids = [];
      for (let k = 0; k < list.length; k += 2) ids.push(list.readUInt16BE(k));
    }
    const entries: Buffer[] = [];
    for (const id of ids) {
      if (id >= PP.TABVER00 && id <= PP.TABVER00 + 99) {
        // PP_TABVERnn (9300h + nn): as GTS answers it (§3.2.4).
        const acq = String(id - PP.TABVER00).padStart(2, '0');
        entries.push(tlv(id, fieldA(this.tableVersion(acq), 10)));
        continue;
      }
      const v = values.get(id)?.();
      if (v !== undefined) entries.push(tlv(id, v));
    }
    return { id: 'GIX', status: ST.OK, blocks: packTlvBlocks(entries) };
  }

  // -------------------------------------------------------------------------------------------
  // Basic commands, §3.3 / §6.5

  /** DSP, §3.3.5 / §6.5.5: never fails. */
  private dsp(cmd: ReceivedCommand): Response {
    const msg = robustMessage(cmd.pktdata);
    cmd.fields = { DSP_MSG: msg };
    this.display = msg;
    return { id: 'DSP', status: ST.OK };
  }

  /** DEX, §3.3.4 / §6.5.4: DEX_MSGLEN N3 + DEX_MSG S..160. */
  private dex(cmd: ReceivedCommand): Response {
    const blocks = cmd.blocks;
    if (!blocks || blocks.length !== 1 || blocks[0]!.length < 3) throw new Status(ST.INVPARM);
    const b = blocks[0]!;
    const lenText = b.toString('latin1', 0, 3);
    if (!isDigits(lenText)) throw new Status(ST.INVPARM);
    const len = Number(lenText);
    const msg = b.subarray(3);
    if (len !== msg.length || len > 160) throw new Status(ST.INVPARM);
    // "qualquer caractere menor do que 20h ... deve ser considerado como quebra de linha"
    const text = [...msg].map((c) => (c < 0x20 ? '\n' : String.fromCharCode(c))).join('');
    cmd.fields = { DEX_MSGLEN: lenText, DEX_MSG: msg.toString('latin1') };
    this.display = text;
    return { id: 'DEX', status: ST.OK };
  }

  /** CEX, §3.3.1 / §6.5.1 (blocking). */
  private async cex(cmd: ReceivedCommand, signal: AbortSignal): Promise<Response> {
    // §6.5.1: on receipt, whatever the events asked for, tracks kept for GTK are erased.
    this.stored = undefined;
    this.gtkState = 'none';
    const params = abecsParams(cmd);
    const opt = params.get(SPE.CEXOPT);
    if (opt === undefined) throw new Status(ST.MANDAT);
    const timeout = params.get(SPE.TIMEOUT);
    if (timeout !== undefined && timeout.length !== 1) throw new Status(ST.INVPARM);
    const panmask = params.get(SPE.PANMASK)?.toString('latin1');
    if (panmask !== undefined && !/^[0-9]{4}$/.test(panmask)) throw new Status(ST.INVPARM);
    // §6.5.1: SPE_CEXOPT of any length; missing or out-of-range characters count as "0".
    const o = opt.toString('latin1');
    const keys = o[0] === '1';
    const magstripe = o[1] === '1';
    const icc = o[2] === '1' || o[2] === '2' ? o[2] : '0';
    // o[3] (CTLS): ignored by a pad without CTLS (§6.5.1). With CTLS, no card ever comes near
    // this peer's antenna, and "93" ends the command after 2 minutes of inactivity.
    const ctls = o[3] === '1' && this.info().contactless;
    const timeoutAt = timeout !== undefined ? Date.now() + timeout[0]! * 1000 : undefined;
    const ctlsAt = ctls ? Date.now() + this.ctlsIdleMs : undefined;
    const deadline =
      timeoutAt === undefined
        ? ctlsAt
        : ctlsAt === undefined
          ? timeoutAt
          : Math.min(timeoutAt, ctlsAt);

    // "91" = ICC removed "(ou já não estava presente)"; "92" = inserted "(ou já estava presente)".
    if ((icc === '2' && !this.iccInserted) || (icc === '1' && this.iccInserted)) {
      this.gtkState = 'available';
      return cexEvent(icc === '2' ? '91' : '92');
    }

    const outcome = await this.waitCardholder(signal, deadline, () => {
      if (this.cancels) return keys ? ('cancel' as const) : undefined; // keys ignored: no event
      if (icc === '2') return 'remove' as const; // the cardholder takes the card out
      if (this.card?.emv && icc === '1') return 'insert' as const;
      if (this.card && magstripe) return 'swipe' as const;
      return undefined;
    });
    if (outcome === 'timeout') {
      if (ctlsAt !== undefined && (timeoutAt === undefined || ctlsAt < timeoutAt)) {
        this.gtkState = 'available';
        return cexEvent('93');
      }
      return { id: 'CEX', status: ST.TIMEOUT };
    }
    this.gtkState = 'available';
    if (outcome === 'cancel') return cexEvent('13');
    if (outcome === 'remove') {
      this.iccInserted = false;
      return cexEvent('91');
    }
    if (outcome === 'insert') {
      this.iccInserted = true;
      return cexEvent('92');
    }
    // Swipe.
    const entries = [tlv(PP.EVENT, '90'), ...this.readStripe(this.card!, panmask)];
    return { id: 'CEX', status: ST.OK, blocks: packTlvBlocks(entries) };
  }

  /**
   * Reads the magnetic stripe (a track of invalid size counts as not read, §6.5.1), keeps the
   * tracks for GTK (§6.3.4.1) and returns PP_TRK1INC / PP_TRK2INC / PP_TRK3INC (§5.4.1).
   */
  private readStripe(card: PeerCard, panmask: string | undefined): Buffer[] {
    const t1 = card.track1 !== undefined && card.track1.length <= 76 ? card.track1 : undefined;
    const t2 = card.track2.length <= 37 ? card.track2 : undefined;
    const t3 = card.track3 !== undefined && card.track3.length <= 104 ? card.track3 : undefined;
    const stored: StoredCard = {};
    if (t1 !== undefined) stored.track1 = t1;
    if (t2 !== undefined) stored.track2 = t2;
    if (t3 !== undefined) stored.track3 = t3;
    const pan = panFromTracks(t1, t2);
    if (pan !== undefined) stored.pan = pan;
    this.stored = stored;
    this.gtkState = 'available';
    const mask = (v: string): string => (panmask === undefined ? v : maskPan(v, panmask));
    const entries: Buffer[] = [];
    if (t1 !== undefined) entries.push(tlv(PP.TRK1INC, mask(incompleteTrack1(t1))));
    if (t2 !== undefined) entries.push(tlv(PP.TRK2INC, mask(incompleteTrack2(t2))));
    if (t3 !== undefined) entries.push(tlv(PP.TRK3INC, mask(incompleteTrack3(t3))));
    return entries;
  }

  /** GTK, §3.3.12 / §6.5.12 / §5.4.2. */
  private gtk(cmd: ReceivedCommand): Response {
    const params = abecsParams(cmd);
    if (this.gtkState !== 'available') throw new Status(ST.INVCALL);
    const tracks = params.get(SPE.TRACKS)?.toString('latin1');
    // Absent: everything known. Present: any length; a missing or out-of-range char is "0".
    const want = (pos: number): boolean => tracks === undefined || tracks[pos] === '1';
    const method = params.get(SPE.MTHDDAT)?.toString('latin1');
    let encrypt: ((clear: Buffer) => Buffer) | undefined;
    let krand: Buffer | undefined;
    const extra: Buffer[] = [];
    if (method !== undefined) {
      const keyIdx = params.get(SPE.KEYIDX)?.toString('latin1');
      const wkenc = params.get(SPE.WKENC);
      const iv = params.get(SPE.IVCBC) ?? Buffer.alloc(8);
      const cbc = method[1] === '1';
      if (!/^(0[01]|1[01]|30|5[01]|9[01])$/.test(method)) throw new Status(ST.INVPARM);
      if (iv.length !== 8) throw new Status(ST.INVPARM);
      if (method[0] === '9') {
        const mod = params.get(SPE.PBKMOD);
        const exp = params.get(SPE.PBKEXP);
        if (!mod || !exp) throw new Status(ST.MANDAT);
        if (mod.length !== 256 || exp.length < 1 || exp.length > 3) throw new Status(ST.INVPARM);
        krand = randomBytes(16);
        const k = krand;
        encrypt = (clear) => (cbc ? tdesEncryptCbc(k, clear, iv) : tdesEncryptEcb(k, clear));
        extra.push(tlv(PP.ENCKRAND, rsaEncryptKey(krand, mod, exp)));
      } else {
        if (keyIdx === undefined) throw new Status(ST.MANDAT);
        if ((method[0] === '0' || method[0] === '1') && wkenc === undefined)
          throw new Status(ST.MANDAT);
        if (!/^[0-9]{2}$/.test(keyIdx)) throw new Status(ST.INVPARM);
        // Only MK:TDES:DAT keys can be injected in this peer (no MK:DES:DAT, no DUKPT:TDES:DAT).
        const mk = method[0] === '1' ? this.dataKeys.get(Number(keyIdx)) : undefined;
        if (!mk) throw new Status(ST.ERRKEY);
        if (wkenc!.length !== 16) throw new Status(ST.INVPARM);
        const wk = tdesDecryptEcb(mk, wkenc!);
        encrypt = (clear) => (cbc ? tdesEncryptCbc(wk, clear, iv) : tdesEncryptEcb(wk, clear));
      }
    }
    const opndigText = params.get(SPE.OPNDIG)?.toString('latin1');
    if (opndigText !== undefined && !/^[02468]$/.test(opndigText)) throw new Status(ST.INVPARM);
    const opndig = opndigText === undefined ? 0 : Number(opndigText);

    const stored = this.stored;
    const entries: Buffer[] = [];
    // PP_ENCPAN is only for a chip card after GCX (§3.3.12), never for a magnetic stripe.
    if (stored?.chipPan !== undefined && want(0)) {
      entries.push(tlv(PP.ENCPAN, encryptNibbles(stored.chipPan, encrypt, opndig)));
    }
    if (stored?.track1 !== undefined && want(1)) {
      entries.push(tlv(PP.TRACK1, encryptTrack1(stored.track1, encrypt, opndig)));
    }
    if (stored?.track2 !== undefined && want(2)) {
      entries.push(tlv(PP.TRACK2, encryptNibbles(stored.track2, encrypt, opndig)));
    }
    if (stored?.track3 !== undefined && want(3)) {
      entries.push(tlv(PP.TRACK3, encryptNibbles(stored.track3, encrypt, opndig)));
    }
    if (encrypt) entries.push(...extra);
    // §6.5.12: once only; the magnetic tracks are then erased.
    this.gtkState = 'used';
    this.stored = undefined;
    return { id: 'GTK', status: ST.OK, blocks: packTlvBlocks(entries) };
  }

  /** GPN, §3.3.11 / §6.5.11 (blocking). */
  private async gpn(cmd: ReceivedCommand, signal: AbortSignal): Promise<Response> {
    const blocks = cmd.blocks;
    if (!blocks || blocks.length !== 1) throw new Status(ST.INVPARM);
    const d = blocks[0]!.toString('latin1');
    const f = {
      GPN_METHOD: d.slice(0, 1),
      GPN_KEYIDX: d.slice(1, 3),
      GPN_WKENC: d.slice(3, 35),
      GPN_PANLEN: d.slice(35, 37),
      GPN_PAN: d.slice(37, 56),
      GPN_ENTRIES: d.slice(56, 57),
      GPN_MIN1: d.slice(57, 59),
      GPN_MAX1: d.slice(59, 61),
      GPN_MSG1: d.slice(61, 93),
    };
    cmd.fields = f;
    // Format (ST_INVPARM): GPN_ENTRIES must be "1", which makes the block exactly 93 bytes.
    if (!/^[0-3]$/.test(f.GPN_METHOD)) throw new Status(ST.INVPARM);
    if (!/^[0-9]{2}$/.test(f.GPN_KEYIDX)) throw new Status(ST.INVPARM);
    if (f.GPN_ENTRIES !== '1') throw new Status(ST.INVPARM);
    if (d.length !== 93) throw new Status(ST.INVPARM);
    if ((f.GPN_METHOD === '0' || f.GPN_METHOD === '1') && !/^[0-9A-Fa-f]{32}$/.test(f.GPN_WKENC)) {
      throw new Status(ST.INVPARM);
    }
    if (!/^[0-9]{2}$/.test(f.GPN_PANLEN)) throw new Status(ST.INVPARM);
    const panLen = Number(f.GPN_PANLEN);
    if (panLen === 1 || panLen > 19) throw new Status(ST.INVPARM);
    const givenPan = f.GPN_PAN.slice(0, panLen);
    if (panLen > 0 && !/^[0-9]+$/.test(givenPan)) throw new Status(ST.INVPARM);
    if (!/^[0-9]{2}$/.test(f.GPN_MIN1) || !/^[0-9]{2}$/.test(f.GPN_MAX1))
      throw new Status(ST.INVPARM);
    const min = Number(f.GPN_MIN1);
    const max = Number(f.GPN_MAX1);
    if (min < 4 || max < min) throw new Status(ST.INVPARM);
    // Key present? (§6.5.11: checked before capturing.) Only MK:TDES:PIN keys are injected here.
    const mk = f.GPN_METHOD === '1' ? this.masterKeys.get(Number(f.GPN_KEYIDX)) : undefined;
    if (!mk) throw new Status(ST.ERRKEY);
    // PAN: explicit, or the card read by CEX/GCX while its data are still in memory.
    let pan = givenPan;
    if (panLen === 0) {
      if (this.stored?.pan === undefined) throw new Status(ST.INVCALL);
      pan = this.stored.pan;
    }
    const wk = tdesDecryptEcb(mk, Buffer.from(f.GPN_WKENC, 'hex'));

    this.display = f.GPN_MSG1;
    try {
      const outcome = await this.waitCardholder(signal, Date.now() + this.pinIdleMs, () => {
        if (this.cancels) return 'cancel' as const;
        // The keypad takes at most MAX digits; ENTER is refused below MIN.
        if (this.pin !== undefined && /^[0-9]*$/.test(this.pin) && this.pin.length >= min) {
          return this.pin.slice(0, max);
        }
        return undefined;
      });
      if (outcome === 'timeout') return { id: 'GPN', status: ST.TIMEOUT };
      if (outcome === 'cancel') return { id: 'GPN', status: ST.CANCEL };
      const block = tdesEncryptEcb(wk, pinBlockFormat0(outcome, pan));
      const data = latin1(block.toString('hex').toUpperCase() + '0'.repeat(20));
      return { id: 'GPN', status: ST.OK, blocks: [data] };
    } finally {
      this.display = ''; // §6.5.11: the display is always cleared at the end.
    }
  }

  // -------------------------------------------------------------------------------------------
  // EMV tables, §3.5 / §4 / §6.7

  /** GTS, §3.5.1 / §6.7.1: GTS_ACQIDX N2 → GTS_TABVER A10 (zeros when unknown). */
  private gts(cmd: ReceivedCommand): Response {
    const b = cmd.blocks;
    if (!b || b.length !== 1 || b[0]!.length !== 2 || !isDigits(b[0]!))
      throw new Status(ST.INVPARM);
    const acq = b[0]!.toString('latin1');
    cmd.fields = { GTS_ACQIDX: acq };
    return { id: 'GTS', status: ST.OK, blocks: [fieldA(this.tableVersion(acq), 10)] };
  }

  private tableVersion(acq: string): string {
    if (acq === '00') return this.generalTableVersion ?? '0000000000';
    return this.tableVersions.get(acq) ?? '0000000000';
  }

  /** TLI, §3.5.2 / §6.7.2: TLI_ACQIDX N2 + TLI_TABVER A10; 000 same version, 020 different. */
  private tli(cmd: ReceivedCommand): Response {
    const b = cmd.blocks;
    if (!b || b.length !== 1 || b[0]!.length !== 12) throw new Status(ST.INVPARM);
    const d = b[0]!.toString('latin1');
    const acq = d.slice(0, 2);
    const version = d.slice(2);
    if (!/^[0-9]{2}$/.test(acq)) throw new Status(ST.INVPARM);
    cmd.fields = { TLI_ACQIDX: acq, TLI_TABVER: version };
    this.tableLoad = { acq, version, records: [], tlrSeen: false };
    return { id: 'TLI', status: version === this.tableVersion(acq) ? ST.OK : ST.TABVERDIF };
  }

  /** TLR, §3.5.3 / §6.7.3: TLR_NREC N2 + records; foreign or invalid records are dropped. */
  private tlr(cmd: ReceivedCommand): Response {
    const b = cmd.blocks;
    if (!b || b.length !== 1) throw new Status(ST.INVPARM);
    const load = this.tableLoad;
    if (!load) throw new Status(ST.INVCALL);
    let records: string[];
    try {
      records = splitTlrRecords(b[0]!.toString('latin1'));
    } catch {
      throw new Status(ST.INVPARM);
    }
    cmd.fields = { TLR_NREC: b[0]!.toString('latin1', 0, 2) };
    load.tlrSeen = true;
    for (const raw of records) {
      const rec = parseTableRecord(raw);
      if (!rec) continue;
      if (load.acq !== '00' && rec.acq !== load.acq) continue;
      load.records.push(rec);
    }
    return { id: 'TLR', status: ST.OK };
  }

  /** TLE, §3.5.4 / §6.7.4: the loaded records replace the network's (or all) tables. */
  private tle(cmd: ReceivedCommand): Response {
    const load = this.tableLoad;
    if (!load) throw new Status(ST.INVCALL);
    cmd.fields = {};
    this.tableLoad = undefined;
    if (load.acq === '00') {
      this.tableRecords = [...load.records];
      this.tableVersions.clear();
      for (const r of load.records) this.tableVersions.set(r.acq, load.version);
      this.generalTableVersion = load.records.length > 0 ? load.version : undefined;
    } else {
      this.tableRecords = [...this.tableRecords.filter((r) => r.acq !== load.acq), ...load.records];
      if (load.records.length > 0) this.tableVersions.set(load.acq, load.version);
      else this.tableVersions.delete(load.acq);
      this.generalTableVersion = undefined; // §4.2.2: no "general" version any more
    }
    return { id: 'TLE', status: ST.OK };
  }

  // -------------------------------------------------------------------------------------------
  // Abecs card processing, §3.7 / §6.9 (contact chip and magnetic stripe; no CTLS)

  /** GCX, §3.7.1 / §6.9.1 (blocking). */
  private async gcx(cmd: ReceivedCommand, signal: AbortSignal): Promise<Response> {
    // §6.9.1: any earlier processing is dropped; tracks kept for GTK are erased.
    this.stored = undefined;
    this.gtkState = 'none';
    this.chip = undefined;
    // PP_ICCSTAT describes the GCX immediately before this one (§6.9.1.1).
    const lastStat = this.lastIccStat;
    this.lastIccStat = '0';
    const p = abecsParams(cmd);
    const text = (id: number): string | undefined => p.get(id)?.toString('latin1');
    const date = text(SPE.TRNDATE);
    const time = text(SPE.TRNTIME);
    if (date === undefined || time === undefined) throw new Status(ST.MANDAT);
    const amount = text(SPE.AMOUNT) ?? '000000000000';
    const cashback = text(SPE.CASHBACK) ?? '000000000000';
    const currency = text(SPE.TRNCURR);
    const acqRef = text(SPE.ACQREF);
    const appTypes = text(SPE.APPTYPE);
    const aidList = text(SPE.AIDLIST);
    const gcxOpt = text(SPE.GCXOPT) ?? '00000';
    const panmask = text(SPE.PANMASK);
    const trnType = p.get(SPE.TRNTYPE);
    const timeout = p.get(SPE.TIMEOUT);
    const checks: [string | undefined, RegExp][] = [
      [date, /^[0-9]{6}$/],
      [time, /^[0-9]{6}$/],
      [amount, /^[0-9]{12}$/],
      [cashback, /^[0-9]{12}$/],
      [currency, /^[0-9]{3}$/],
      [acqRef, /^[0-9]{2}$/],
      [appTypes, /^([0-9]{2}){1,10}$/],
      [aidList, /^([0-9]{2}[0-9A-Za-z]{2}){1,128}$/],
      [gcxOpt, /^[0-9]{5}$/],
      [panmask, /^[0-9]{4}$/],
    ];
    for (const [v, re] of checks) if (v !== undefined && !re.test(v)) throw new Status(ST.INVPARM);
    if (
      (trnType !== undefined && trnType.length !== 1) ||
      (timeout !== undefined && timeout.length !== 1)
    ) {
      throw new Status(ST.INVPARM);
    }
    const tagList = parseOrInvparm(() =>
      p.has(SPE.TAGLIST) ? parseTagList(p.get(SPE.TAGLIST)!) : undefined,
    );
    const speEmv = parseOrInvparm(() =>
      p.has(SPE.EMVDATA) ? parseBerTlv(p.get(SPE.EMVDATA)!) : [],
    );

    // "Registros candidatos" (§6.9.1).
    const candidates = this.tableRecords.filter((r) => {
      if (!r.aid || r.aid.iccStd !== '03') return false;
      if (aidList !== undefined) {
        const entries: string[] = aidList.match(/.{4}/g) ?? [];
        return entries.includes(r.acq + r.recIdx);
      }
      if (
        appTypes !== undefined &&
        !((appTypes.match(/.{2}/g) ?? []) as string[]).includes(r.aid.appType)
      )
        return false;
      if (acqRef !== undefined && r.acq !== acqRef) return false;
      return true;
    });

    let outcome: 'cancel' | 'swipe' | 'insert' | 'timeout';
    if (this.iccInserted && this.card?.emv) {
      outcome = 'insert'; // §6.9.1: a card already inserted is processed without a message
    } else {
      const dsp = text(SPE.DSPMSG);
      this.display =
        dsp ??
        (gcxOpt[1] === '1' || Number(amount) === 0
          ? 'INSIRA OU PASSE O CARTAO'
          : `VALOR: ${money(amount)}\rINSIRA OU PASSE O CARTAO`);
      // §6.9.1: with CTLS asked (and supported) and no SPE_TIMEOUT, 2 minutes of inactivity end it.
      const ctls = gcxOpt[0] === '1' && this.info().contactless;
      const deadline =
        timeout !== undefined
          ? Date.now() + timeout[0]! * 1000
          : ctls
            ? Date.now() + this.ctlsIdleMs
            : undefined;
      outcome = await this.waitCardholder(signal, deadline, () => {
        if (this.cancels) return 'cancel' as const;
        if (this.card?.emv) return 'insert' as const;
        if (this.card) return 'swipe' as const;
        return undefined;
      });
    }
    this.display = '';
    if (outcome === 'timeout') return { id: 'GCX', status: ST.TIMEOUT };
    if (outcome === 'cancel') return { id: 'GCX', status: ST.CANCEL };
    if (outcome === 'swipe') {
      // §6.9.1.1: PP_CARDTYPE "00", PP_ICCSTAT, incomplete tracks.
      const entries = [
        tlv(PP.CARDTYPE, '00'),
        tlv(PP.ICCSTAT, lastStat),
        ...this.readStripe(this.card!, panmask),
      ];
      return { id: 'GCX', status: ST.OK, blocks: packTlvBlocks(entries) };
    }

    // §6.9.1.2: ICC EMV.
    this.iccInserted = true;
    const card = this.card as PeerCard & { emv: PeerEmvCard };
    this.display = 'PROCESSANDO...';
    const matching = candidates.filter((r) => aidMatches(r.aid!.aid, card.emv.aid));
    if (candidates.length > 128) {
      this.display = '';
      return { id: 'GCX', status: '078' }; // ST_ERRMAXAID
    }
    if (matching.length === 0) {
      this.lastIccStat = '2';
      this.display = '';
      return { id: 'GCX', status: '070' }; // ST_CARDAPPNAV
    }
    const label = card.emv.label ?? 'CREDITO';
    this.notify(fieldA('SELECIONADO:', 16).toString('latin1') + label);
    this.display = `SELECIONADO: ${label}`;

    const rec = matching[0]!.aid!;
    const kernel = new Map<string, Buffer>();
    this.tsc++;
    const cur = currency ?? rec.currency;
    const terminal: [string, Buffer][] = [
      ['9F02', bcd(amount, 6)],
      ['9F03', bcd(cashback, 6)],
      ['9A', bcd(date, 3)],
      ['9F21', bcd(time, 3)],
      ['9C', trnType ?? Buffer.of(Number(cashback) > 0 ? 0x09 : 0x00)],
      ['9F09', Buffer.from(rec.appVer1, 'hex')],
      ['9F1A', bcd(rec.terminalCountry, 2)],
      ['5F2A', bcd(cur, 2)],
      ['5F36', bcd(rec.currencyExponent, 1)],
      ['9F16', latin1(rec.merchantId)],
      ['9F15', bcd(rec.mcc, 2)],
      ['9F1C', latin1(rec.terminalId)],
      ['9F33', Buffer.from(rec.terminalCapabilities, 'hex')],
      ['9F40', Buffer.from(rec.additionalCapabilities, 'hex')],
      ['9F35', bcd(rec.terminalType, 1)],
      ['9F1B', Buffer.from(rec.floorLimit, 'hex')],
      ['9F53', latin1(rec.tcc)],
      ['9F41', bcd(this.tsc, 4)],
    ];
    if (Number(amount) <= 0xffffffff) terminal.push(['81', fieldX(Number(amount), 4)]);
    if (Number(cashback) <= 0xffffffff) terminal.push(['9F04', fieldX(Number(cashback), 4)]);
    for (const [t, v] of terminal) kernel.set(t, v);
    // §6.9.1.2: SPE_EMVDATA wins over the table, except card-only objects (§6.8.6.4).
    for (const [t, v] of speEmv) if (!CARD_ONLY_TAGS.has(t)) kernel.set(t, v);
    for (const [t, v] of this.cardObjects(card)) kernel.set(t, v);

    this.chip = {
      stage: 'gcx',
      card,
      records: matching,
      kernel,
      ...(currency ? { gcxCurrency: currency } : {}),
    };
    // GTK after GCX: PAN and the track 2 equivalent (tag 57); GPN with PANLEN "00".
    this.stored = { track2: card.track2, pan: card.pan, chipPan: card.pan };
    this.gtkState = 'available';

    const mask = (v: string): string => (panmask === undefined ? v : maskPan(v, panmask));
    const entries = [
      tlv(PP.CARDTYPE, '03'),
      tlv(PP.AIDTABINFO, matching.map((r) => r.acq + r.recIdx + r.aid!.appType).join('')),
      tlv(PP.PAN, mask(card.pan)),
      tlv(PP.PANSEQNO, card.emv.panSequenceNumber ?? '00'),
      tlv(PP.TRK2INC, mask(incompleteTrack2(card.track2))),
    ];
    if (card.cardholderName !== undefined)
      entries.push(tlv(PP.CHNAME, card.cardholderName.slice(0, 26)));
    entries.push(tlv(PP.LABEL, label));
    if (card.emv.issuerCountry !== undefined)
      entries.push(tlv(PP.ISSCNTRY, card.emv.issuerCountry));
    entries.push(tlv(PP.CARDEXP, expiryDate(card.expiry)));
    if (tagList !== undefined) entries.push(tlv(PP.EMVDATA, this.emvData(tagList)));
    return { id: 'GCX', status: ST.OK, blocks: packTlvBlocks(entries) };
  }

  /** The chip's own objects. */
  private cardObjects(card: PeerCard & { emv: PeerEmvCard }): [string, Buffer][] {
    const e = card.emv;
    const objects: [string, Buffer][] = [
      ['4F', Buffer.from(e.aid, 'hex')],
      ['84', Buffer.from(e.aid, 'hex')],
      ['50', latin1(e.label ?? 'CREDITO')],
      ['5A', packNibbles(card.pan)],
      ['57', packNibbles(card.track2)],
      ['5F24', Buffer.from(expiryDate(card.expiry), 'hex')],
      ['82', Buffer.from('1800', 'hex')],
      ['9F36', fieldX(this.atc, 2)],
    ];
    if (card.cardholderName !== undefined) objects.push(['5F20', latin1(card.cardholderName)]);
    if (e.issuerCountry !== undefined) objects.push(['5F28', bcd(e.issuerCountry, 2)]);
    if (e.panSequenceNumber !== undefined) objects.push(['5F34', bcd(e.panSequenceNumber, 1)]);
    for (const [t, v] of Object.entries(e.tags ?? {}))
      objects.push([t.toUpperCase(), Buffer.from(v, 'hex')]);
    return objects;
  }

  /** PP_EMVDATA for a tag list: known objects in the order asked, protected ones never (§6.8.6.3). */
  private emvData(tags: string[]): Buffer {
    const kernel = this.chip?.kernel;
    const parts: Buffer[] = [];
    for (const t of tags) {
      if (PROTECTED_TAGS.has(t)) continue;
      const v = kernel?.get(t) ?? this.tableObject(t);
      if (v !== undefined) parts.push(encodeBerTlv(t, v));
    }
    return Buffer.concat(parts);
  }

  /** AID-table objects not in the kernel (§6.9.1.2): the record used for the transaction. */
  private tableObject(tag: string): Buffer | undefined {
    const r = this.chip?.records[0]?.aid;
    if (!r) return undefined;
    const table: Record<string, () => Buffer> = {
      DF9F0D: () => Buffer.from(r.tacDefault, 'hex'),
      DF9F0E: () => Buffer.from(r.tacDenial, 'hex'),
      DF9F0F: () => Buffer.from(r.tacOnline, 'hex'),
    };
    return table[tag]?.();
  }

  /** GED, §3.7.2 / §6.9.2. */
  private ged(cmd: ReceivedCommand): Response {
    const p = abecsParams(cmd);
    if (!this.chip) throw new Status(ST.INVCALL);
    const list = p.get(SPE.TAGLIST);
    if (list === undefined) throw new Status(ST.MANDAT);
    const tags = parseOrInvparm(() => parseTagList(list));
    return { id: 'GED', status: ST.OK, blocks: [tlv(PP.EMVDATA, this.emvData(tags))] };
  }

  /** GOX, §3.7.3 / §6.9.3.1 (blocking). */
  private async gox(cmd: ReceivedCommand, signal: AbortSignal): Promise<Response> {
    const p = abecsParams(cmd);
    const chip = this.chip;
    if (!chip || chip.stage !== 'gcx') throw new Status(ST.INVCALL);
    const text = (id: number): string | undefined => p.get(id)?.toString('latin1');
    const acqRef = text(SPE.ACQREF);
    const method = text(SPE.MTHDPIN);
    const keyIdx = text(SPE.KEYIDX);
    const wkenc = p.get(SPE.WKENC);
    if (acqRef === undefined || method === undefined || keyIdx === undefined)
      throw new Status(ST.MANDAT);
    if ((method === '0' || method === '1') && wkenc === undefined) throw new Status(ST.MANDAT);
    const amount = text(SPE.AMOUNT);
    const cashback = text(SPE.CASHBACK);
    const currency = text(SPE.TRNCURR);
    const goxOpt = text(SPE.GOXOPT) ?? '00000';
    const trnType = p.get(SPE.TRNTYPE);
    const timeout = p.get(SPE.TIMEOUT);
    const trmpar = p.get(SPE.TRMPAR);
    const checks: [string | undefined, RegExp][] = [
      [acqRef, /^[0-9]{2}$/],
      [method, /^[0-3]$/],
      [keyIdx, /^[0-9]{2}$/],
      [amount, /^[0-9]{12}$/],
      [cashback, /^[0-9]{12}$/],
      [currency, /^[0-9]{3}$/],
      [goxOpt, /^[0-9]{5}$/],
    ];
    for (const [v, re] of checks) if (v !== undefined && !re.test(v)) throw new Status(ST.INVPARM);
    if (
      (trnType !== undefined && trnType.length !== 1) ||
      (timeout !== undefined && timeout.length !== 1)
    ) {
      throw new Status(ST.INVPARM);
    }
    if (trmpar !== undefined && trmpar.length !== 10) throw new Status(ST.INVPARM);
    if (wkenc !== undefined && wkenc.length !== 16 && wkenc.length !== 8)
      throw new Status(ST.INVPARM);
    // §6.9.3.1: SPE_ACQREF must be one of the networks of PP_AIDTABINFO.
    const record = chip.records.find((r) => r.acq === acqRef);
    if (!record) throw new Status(ST.INVPARM);
    const tagList = parseOrInvparm(() =>
      p.has(SPE.TAGLIST) ? parseTagList(p.get(SPE.TAGLIST)!) : undefined,
    );
    const speEmv = parseOrInvparm(() =>
      p.has(SPE.EMVDATA) ? parseBerTlv(p.get(SPE.EMVDATA)!) : [],
    );

    const k = chip.kernel;
    const rec = record.aid!;
    if (amount !== undefined) {
      k.set('9F02', bcd(amount, 6));
      if (Number(amount) <= 0xffffffff) k.set('81', fieldX(Number(amount), 4));
    }
    if (cashback !== undefined) {
      k.set('9F03', bcd(cashback, 6));
      if (Number(cashback) <= 0xffffffff) k.set('9F04', fieldX(Number(cashback), 4));
    }
    if (trnType !== undefined) k.set('9C', trnType);
    k.set('5F2A', bcd(currency ?? chip.gcxCurrency ?? rec.currency, 2));
    k.set('9F1A', bcd(rec.terminalCountry, 2));
    k.set('9F33', Buffer.from(rec.terminalCapabilities, 'hex'));
    if (trmpar !== undefined) k.set('9F1B', Buffer.from(trmpar.subarray(0, 4)));
    for (const [t, v] of speEmv) if (!CARD_ONLY_TAGS.has(t)) k.set(t, v);
    chip.goxOpt = goxOpt;

    const card = chip.card;
    const cvm = card.emv.cvm ?? 'online-pin';
    const tvr = Buffer.alloc(5);
    let cvmFlag = '0';
    let signature = '0';
    let pinBlock: Buffer | undefined;
    if (cvm === 'online-pin') {
      // §6.9.3.1: a key problem ends the command with ST_ERRKEY (only MK:TDES:PIN keys here).
      const mk = method === '1' ? this.masterKeys.get(Number(keyIdx)) : undefined;
      if (!mk || wkenc!.length !== 16) throw new Status(ST.ERRKEY);
      const wk = tdesDecryptEcb(mk, wkenc!);
      // §6.8.6.1 / §6.9.5.1: notify "SOLICITE A SENHA" before the PIN screen.
      this.notify('SOLICITE A SENHA');
      const dsp = text(SPE.DSPMSG);
      this.display =
        dsp ??
        (Number(amount ?? '0') === 0 ? 'DIGITE A SENHA' : `VALOR: ${money(amount ?? '0')}\rSENHA:`);
      const idle = timeout !== undefined ? timeout[0]! * 1000 : this.pinIdleMs;
      let outcome: string;
      try {
        outcome = await this.waitCardholder(signal, Date.now() + idle, () => {
          if (this.cancels) return 'cancel';
          if (this.pin !== undefined && /^[0-9]{4,}$/.test(this.pin)) return this.pin.slice(0, 12);
          return undefined;
        });
      } finally {
        this.display = '';
      }
      if (outcome === 'timeout') return { id: 'GOX', status: ST.TIMEOUT };
      if (outcome === 'cancel') return { id: 'GOX', status: ST.CANCEL };
      // PAN from the kernel (not affected by GTK).
      pinBlock = tdesEncryptEcb(wk, pinBlockFormat0(outcome, card.pan));
      cvmFlag = '2';
      tvr[2] = 0x04; // TVR byte 3: "Online PIN entered"
      k.set('9F34', Buffer.from('420300', 'hex'));
    } else if (cvm === 'signature') {
      signature = '1';
      k.set('9F34', Buffer.from('1E0300', 'hex'));
    } else {
      k.set('9F34', Buffer.from('1F0302', 'hex'));
    }
    // 1st GENERATE AC: the card's configured answer; "x1xxx" (no offline approval) turns TC into ARQC.
    let ac = card.emv.firstAc ?? 'arqc';
    if (ac === 'tc' && goxOpt[1] === '1') ac = 'arqc';
    const decision = ac === 'tc' ? '0' : ac === 'aac' ? '1' : '2';
    this.atc++;
    k.set('9F36', fieldX(this.atc, 2));
    k.set('95', tvr);
    k.set('9B', Buffer.from('E800', 'hex'));
    k.set('9F37', randomBytes(4));
    k.set('9F27', Buffer.of(ac === 'tc' ? 0x40 : ac === 'aac' ? 0x00 : 0x80));
    k.set('9F26', cryptogram(k));
    k.set('9F10', Buffer.from('0110A00003220000000000000000000000FF', 'hex'));
    chip.goxRes = decision + signature + cvmFlag + '000';
    chip.stage = 'gox';

    const entries = [tlv(PP.GOXRES, chip.goxRes)];
    if (pinBlock) entries.push(tlv(PP.PINBLK, pinBlock));
    if (tagList !== undefined) entries.push(tlv(PP.EMVDATA, this.emvData(tagList)));
    return { id: 'GOX', status: ST.OK, blocks: packTlvBlocks(entries) };
  }

  /** FCX, §3.7.4 / §6.9.4.1-3 (contact chip: not blocking). */
  private fcx(cmd: ReceivedCommand): Response {
    const p = abecsParams(cmd);
    const chip = this.chip;
    if (!chip || chip.stage !== 'gox') throw new Status(ST.INVCALL);
    const opt = p.get(SPE.FCXOPT)?.toString('latin1');
    if (opt === undefined) throw new Status(ST.MANDAT);
    if (!/^[0-2][0-9]{3}$/.test(opt)) throw new Status(ST.INVPARM);
    const arc = p.get(SPE.ARC);
    if ((opt[0] === '0' || opt[0] === '1') && arc === undefined) throw new Status(ST.MANDAT);
    if (arc !== undefined && arc.length !== 2) throw new Status(ST.INVPARM);
    const tagList = parseOrInvparm(() =>
      p.has(SPE.TAGLIST) ? parseTagList(p.get(SPE.TAGLIST)!) : undefined,
    );
    const emv = p.has(SPE.EMVDATA)
      ? parseOrInvparm(() => parseBerTlv(p.get(SPE.EMVDATA)!))
      : undefined;
    const k = chip.kernel;
    const goxRes = chip.goxRes!;
    let result: string;
    if (goxRes[0] !== '2') {
      // §6.9.4.1: already approved/declined offline.
      result = goxRes[0] === '0' && opt[0] === '0' ? '000' : '100';
    } else {
      // §6.9.4.2 (unable to go online): this card then declines; §6.9.4.3: the network's decision.
      const approve = opt[0] === '0';
      if (arc !== undefined) k.set('8A', arc);
      this.atc++;
      k.set('9F36', fieldX(this.atc, 2));
      k.set('9F27', Buffer.of(approve ? 0x40 : 0x00));
      k.set('9F26', cryptogram(k));
      result = approve ? '000' : '100';
    }
    const entries = [tlv(PP.FCXRES, result)];
    if (emv) {
      const auth = emv.find(([t]) => t === '91');
      if (auth) k.set('91', auth[1]);
      // Issuer Script Results: one 5-byte entry per script (71h/72h): 2xh = processed, then 9F18.
      const scripts = emv.filter(([t]) => t === '71' || t === '72');
      if (scripts.length > 0) {
        const results = scripts.map(([, v], n) => {
          let id: Buffer = Buffer.alloc(4);
          try {
            const found = parseBerTlv(v).find(([t]) => t === '9F18');
            if (found && found[1].length === 4) id = found[1];
          } catch {
            /* not TLV inside: no identifier */
          }
          return Buffer.concat([Buffer.of(0x20 | Math.min(n, 0x0f)), id]);
        });
        entries.push(tlv(PP.ISRESULTS, Buffer.concat(results)));
      }
    }
    if (tagList !== undefined) entries.push(tlv(PP.EMVDATA, this.emvData(tagList)));
    chip.stage = 'done';
    return { id: 'FCX', status: ST.OK, blocks: packTlvBlocks(entries) };
  }
}

/** Responses of Abecs-format commands are limited to 2044 bytes (§3.1.3) -> ST_RSPOVRFL. */
const ABECS_RESPONSE_LIMITED: ReadonlySet<string> = new Set(['GIX', 'GTK', 'CEX']);

class Status extends Error {
  constructor(readonly status: string) {
    super(`status ${status}`);
  }
}

function statusOf(e: unknown): string {
  if (e instanceof Status) return e.status;
  return ST.INTERR;
}

function parseOrInvparm<T>(fn: () => T): T {
  try {
    return fn();
  } catch {
    throw new Status(ST.INVPARM);
  }
}

/** "9.999.999.999,99" for an N12 amount in cents. */
function money(cents: string): string {
  const n = Number(cents);
  const int = Math.floor(n / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${int},${String(n % 100).padStart(2, '0')}`;
}

/** YYMM → YYMMDD with the last day of the month (Application Expiration Date, 5F24). */
function expiryDate(yymm: string): string {
  const yy = Number(yymm.slice(0, 2));
  const mm = Number(yymm.slice(2, 4));
  const last = new Date(Date.UTC(2000 + yy, mm, 0)).getUTCDate();
  return yymm.slice(0, 4) + String(last).padStart(2, '0');
}

/** A stand-in application cryptogram: 8 bytes derived from the transaction data. */
function cryptogram(kernel: Map<string, Buffer>): Buffer {
  const h = createHash('sha256');
  for (const t of [
    '9F02',
    '9F03',
    '9F1A',
    '95',
    '5F2A',
    '9A',
    '9C',
    '9F37',
    '82',
    '9F36',
    '9F27',
  ]) {
    h.update(kernel.get(t) ?? Buffer.alloc(0));
  }
  return h.digest().subarray(0, 8);
}

function cexEvent(event: string): Response {
  return { id: 'CEX', status: ST.OK, blocks: [tlv(PP.EVENT, event)] };
}

/**
 * Abecs parameters of a command (§3.1.3.1). A broken structure is ST_INVPARM (§6.2.2); an ID
 * given twice keeps its first value; unknown IDs are ignored by the handlers.
 */
function abecsParams(cmd: ReceivedCommand): Map<number, Buffer> {
  if (!cmd.blocks) throw new Status(ST.INVPARM);
  const map = new Map<number, Buffer>();
  try {
    for (const block of cmd.blocks) {
      for (const [id, value] of parseTlvEntries(block)) if (!map.has(id)) map.set(id, value);
    }
  } catch (e) {
    if (e instanceof AbecsFormatError) throw new Status(ST.INVPARM);
    throw e;
  }
  cmd.params = map;
  return map;
}

/**
 * DSP_MSG / CLO_MSG with the robustness rules of §6.5.5: the bytes after CMD_ID and CMD_LEN1
 * whatever LEN says, characters below 20h shown as spaces, padded to 32, extra bytes ignored.
 */
function robustMessage(pktdata: Buffer): string {
  const raw = pktdata.subarray(6, 6 + 32);
  const text = [...raw].map((c) => (c < 0x20 ? ' ' : String.fromCharCode(c))).join('');
  return text.padEnd(32, ' ');
}

function keyMap(keys: Record<number, string>): Map<number, Buffer> {
  const m = new Map<number, Buffer>();
  for (const [k, v] of Object.entries(keys)) {
    if (!/^[0-9A-Fa-f]{32}$/.test(v)) throw new Error(`key ${k} must be 32 hex characters`);
    m.set(Number(k), Buffer.from(v, 'hex'));
  }
  return m;
}

/** §5.4.2.1: track 1 as ASCII; the format character plus SPE_OPNDIG characters stay clear. */
function encryptTrack1(
  track1: string,
  encrypt: ((b: Buffer) => Buffer) | undefined,
  opndig: number,
): Buffer {
  const bytes = latin1(track1);
  if (!encrypt) return bytes;
  const clearLen = Math.min(bytes.length, (/^[0-9]/.test(track1) ? 0 : 1) + opndig);
  const rest = bytes.subarray(clearLen);
  const fill = (8 - (rest.length % 8)) % 8;
  return Buffer.concat([
    bytes.subarray(0, clearLen),
    encrypt(Buffer.concat([rest, Buffer.alloc(fill)])),
  ]);
}

/** §5.4.2.2: nibble-packed data; SPE_OPNDIG digits (OPNDIG / 2 bytes) stay clear, F filler. */
function encryptNibbles(
  symbols: string,
  encrypt: ((b: Buffer) => Buffer) | undefined,
  opndig: number,
): Buffer {
  const packed = packNibbles(symbols);
  if (!encrypt) return packed;
  const clearLen = Math.min(packed.length, opndig / 2);
  const rest = packed.subarray(clearLen);
  const fill = (8 - (rest.length % 8)) % 8;
  return Buffer.concat([
    packed.subarray(0, clearLen),
    encrypt(Buffer.concat([rest, Buffer.alloc(fill, 0xff)])),
  ]);
}
