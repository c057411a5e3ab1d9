// Device side of ABECS 2.12, faithful to the link rules a third-party driver relies on:
// ACK for a good frame; for a damaged one (bad CRC or escape, 2 s without a byte inside it) the
// rest of the input is dropped until 500 ms of silence, then NAK (§6.2.1); EOT for CAN in any
// state, the last response again on NAK, ERR010 for an unknown command, a new command aborting
// a blocking one. OPN is implied (§6.4.1). Commands follow chapters 3 and 6; what is not
// emulated (EMV tables, secure OPN, DUKPT, CTLS limits) is listed in devices/pinpad/README.md.
import { randomBytes } from 'node:crypto';
import { pinBlockFormat0, tdesDecryptEcb, tdesEncryptEcb } from '../../crypto';
import {
  ACK,
  AbecsFrameParser,
  AbecsStatus,
  CardType,
  CexEvent,
  EOT,
  NAK,
  Pp,
  Spe,
  decodeCexOptions,
  decodeCommand,
  decodeDexBlock,
  decodeDisplayBlock,
  decodeEmvTlv,
  decodeGpnBlock,
  decodePanMask,
  maskLeadingPan,
  decodeTrackRequest,
  decodeTagList,
  displayBlock,
  encodeEmvTlv,
  encodeFrame,
  encodeGinInfo,
  encodeResponse,
  fcxResultParams,
  gcxResultParams,
  goxResultParams,
  gpnResultBlock,
  gtkResultParams,
  incompleteTrack2,
  tlvBlocks,
  tlvFromBlocks,
  type AbecsCommand,
  type EmvTag,
  type GinInfo,
} from '../../protocols/abecs';
import { EmulatorBase, type EmulatorOptionsBase } from './base';
import { track2Of, type EmulatorCard } from './training';

export const ABECS_EMULATOR_INFO: GinInfo = {
  maker: 'CASHIER TRAINING',
  model: 'ABECS-EMU',
  contactless: true,
  osVersion: 'EMU-OS 1.0',
  specVersion: '2.12',
  managerVersion: '001.00 261123',
  serialNumber: 'EMU0000000000001',
};

/** GPN / GOX give up with 012 after a minute without a key (§6.5.11, §3.7.3). */
const PROMPT_TIMEOUT_MS = 60_000;
/** "Aguarda até 2s por um byte" inside a packet (§6.2.1). */
const INTER_BYTE_TIMEOUT_MS = 2000;
/** Input is dropped until this much silence, then NAK (§6.2.1). */
const NAK_SILENCE_MS = 500;
/** CEX / GCX with the antenna on end after 2 minutes of inactivity (§6.5.1, §6.9.1). */
const CTLS_IDLE_MS = 120_000;
/** CEX / GCX without SPE_TIMEOUT wait for the cardholder indefinitely (the longest timer Node has). */
const NO_LIMIT_MS = 2_147_483_647;

/** Objects never returned in PP_EMVDATA (§6.8.6.3): PAN, track 1/2 discretionary data, track 2. */
const PROTECTED_TAGS = new Set(['5A', '9F1F', '9F20', '57']);

export interface AbecsEmulatorOptions extends EmulatorOptionsBase {
  info?: GinInfo;
}

export class AbecsEmulator extends EmulatorBase {
  readonly protocol = 'abecs' as const;
  private readonly parser = new AbecsFrameParser();
  private readonly info: GinInfo;
  private lastResponse: Buffer | undefined;
  /**
   * Tracks of the card read by the last CEX or GCX: one GTK, or GPN with PANLEN "00", until GTK
   * wipes them (§6.5.12). Every CEX / GCX clears them on receipt (§6.5.1, §6.9.1).
   */
  private tracks: { card: EmulatorCard; chip: boolean } | undefined;
  /** The EMV processing GCX started; GTK does not touch it (§6.5.12). */
  private chip: { card: EmulatorCard; state: 'gcx' | 'gox' } | undefined;
  private atc = 1;
  private interByte: NodeJS.Timeout | undefined;
  /** Set while damaged input is being dropped until NAK_SILENCE_MS of silence. */
  private silence: NodeJS.Timeout | undefined;

  constructor(options: AbecsEmulatorOptions) {
    super(options, 19200);
    this.info = options.info ?? ABECS_EMULATOR_INFO;
  }

  protected resetProtocol(): void {
    this.parser.reset();
    if (this.interByte) clearTimeout(this.interByte);
    if (this.silence) clearTimeout(this.silence);
    this.interByte = undefined;
    this.silence = undefined;
    this.lastResponse = undefined;
    this.tracks = undefined;
    this.chip = undefined;
  }

  protected onBytes(chunk: Buffer): void {
    if (this.interByte) clearTimeout(this.interByte);
    this.interByte = undefined;
    if (this.silence) {
      this.dropUntilSilence();
      return;
    }
    for (const event of this.parser.push(chunk)) {
      switch (event.type) {
        case 'can':
          // EOT in any state; whatever was running stops without a response.
          this.emit('link', { kind: 'can-received' });
          this.abortPrompt();
          this.lastResponse = undefined;
          void this.send(Buffer.of(EOT));
          break;
        case 'nak':
          this.emit('link', { kind: 'nak-received' });
          if (this.lastResponse) {
            this.emit('link', { kind: 'resent' });
            void this.sendFrame(this.lastResponse);
          }
          break;
        case 'bad-frame':
          // The rest of this chunk is dropped with everything until the line is quiet.
          this.emit('link', { kind: 'frame-error' });
          this.dropUntilSilence();
          return;
        case 'frame':
          this.onFrame(event.data);
          break;
        default:
          // Stray ACK, EOT or noise: ignored, as the spec asks.
          break;
      }
    }
    if (this.parser.inFrame) {
      this.interByte = setTimeout(() => {
        this.interByte = undefined;
        this.emit('link', { kind: 'frame-error' });
        this.dropUntilSilence();
      }, INTER_BYTE_TIMEOUT_MS);
      this.interByte.unref();
    }
  }

  /** §6.2.1: "Despreza todos os bytes da porta serial até obter 500ms de silêncio", then NAK. */
  private dropUntilSilence(): void {
    this.parser.reset();
    if (this.silence) clearTimeout(this.silence);
    this.silence = setTimeout(() => {
      this.silence = undefined;
      this.emit('link', { kind: 'nak-sent' });
      void this.send(Buffer.of(NAK));
    }, NAK_SILENCE_MS);
    this.silence.unref();
  }

  private onFrame(data: Buffer): void {
    if (this.takeFault('noAck')) {
      this.emit('link', { kind: 'ignored' });
      return;
    }
    void this.send(Buffer.of(ACK));
    const name = data.subarray(0, 3).toString('latin1');
    this.emit('command', { name });
    if (this.unplugIfAsked(name)) return;
    if (this.takeFault('noResponse')) {
      this.emit('link', { kind: 'ignored' });
      return;
    }
    // A new valid command aborts a blocking one in progress.
    this.abortPrompt();
    this.lastResponse = undefined;
    let command: AbecsCommand;
    try {
      command = decodeCommand(data);
    } catch {
      // DSP and CLO never fail (§6.5.5, §6.4.5): whatever follows CMD_LEN1 is the message.
      if (name === 'DSP' || name === 'CLO') {
        command = { id: name, blocks: data.length > 6 ? [data.subarray(6)] : [] };
        void this.handle(command).then((response) => response && this.respond(response));
        return;
      }
      void this.respond(
        /^[A-Z]{3}$/.test(name) && HANDLED.has(name)
          ? encodeResponse(name, AbecsStatus.INVALID_PARAMETER)
          : encodeResponse('ERR', AbecsStatus.INVALID_CALL),
      );
      return;
    }
    void this.handle(command).then(
      (response) => {
        if (response) return this.respond(response);
      },
      () => this.respond(encodeResponse(command.id, AbecsStatus.INTERNAL_ERROR)),
    );
  }

  private async respond(pktdata: Buffer): Promise<void> {
    this.lastResponse = pktdata;
    await this.sendFrame(pktdata);
  }

  private async sendFrame(pktdata: Buffer): Promise<void> {
    const frame = encodeFrame(pktdata);
    if (this.takeFault('corruptCheck')) frame[frame.length - 1]! ^= 0x5a;
    await this.send(frame);
  }

  private notify(line1: string, line2: string): void {
    void this.sendFrame(encodeResponse('NTM', 0, [displayBlock(line1, line2)]));
  }

  /** Resolves to the response PKTDATA, or undefined when the command was aborted. */
  private async handle(cmd: AbecsCommand): Promise<Buffer | undefined> {
    const id = cmd.id;
    if (!HANDLED.has(id)) return encodeResponse('ERR', AbecsStatus.INVALID_CALL);
    // OPN is optional: any command works without it (§6.4.1); "OPN" and "OPN000" are accepted.
    if (id === 'OPN') {
      const classic =
        cmd.blocks.length === 0 || (cmd.blocks.length === 1 && !cmd.blocks[0]!.length);
      return encodeResponse('OPN', classic ? 0 : AbecsStatus.INVALID_PARAMETER);
    }
    if (id === 'GIN') {
      const info = { ...this.info, serialNumber: this.serialNumber ?? this.info.serialNumber };
      return encodeResponse('GIN', 0, [encodeGinInfo(info)]);
    }
    const block = cmd.blocks[0];
    try {
      switch (id) {
        case 'CLO': {
          const [l1, l2] = block ? decodeDisplayBlock(block) : ['', ''];
          this.setDisplay(l1, l2);
          this.tracks = undefined;
          this.chip = undefined;
          return encodeResponse('CLO', 0);
        }
        case 'DSP': {
          const [l1, l2] = block ? decodeDisplayBlock(block) : ['', ''];
          this.setDisplay(l1, l2);
          return encodeResponse('DSP', 0);
        }
        case 'DEX': {
          const text = block ? decodeDexBlock(block) : '';
          const [l1 = '', l2 = ''] = text.split('\r');
          this.setDisplay(l1, l2);
          return encodeResponse('DEX', 0);
        }
        case 'CEX':
          return await this.cex(cmd);
        case 'GTK':
          return this.gtk(cmd);
        case 'GPN':
          return await this.gpn(block);
        case 'GCX':
          return await this.gcx(cmd);
        case 'GOX':
          return await this.gox(cmd);
        case 'FCX':
          return this.fcx(cmd);
      }
    } catch {
      return encodeResponse(id, AbecsStatus.INVALID_PARAMETER);
    }
    return encodeResponse('ERR', AbecsStatus.INVALID_CALL);
  }

  /** SPE_TIMEOUT (X1, seconds), or `fallback` when absent. */
  private timeoutFrom(params: Map<number, Buffer>, fallback: number): number {
    const t = params.get(Spe.TIMEOUT);
    return t && t.length > 0 ? t[0]! * 1000 : fallback;
  }

  private async cex(cmd: AbecsCommand): Promise<Buffer | undefined> {
    const params = tlvFromBlocks(cmd.blocks);
    // §6.5.1: receiving CEX clears the tracks kept for GTK, whatever it waits for.
    this.tracks = undefined;
    if (!params.has(Spe.CEXOPT)) return encodeResponse('CEX', AbecsStatus.MISSING_PARAMETER);
    const opt = decodeCexOptions(params);
    const ctls = opt.contactless && this.info.contactless;
    // With the antenna on the pad stops after 2 minutes of inactivity with PP_EVENT "93",
    // even when SPE_TIMEOUT asks for longer (§6.5.1); otherwise SPE_TIMEOUT, or no limit.
    const asked = this.timeoutFrom(params, NO_LIMIT_MS);
    const ctlsIdle = ctls && asked > CTLS_IDLE_MS;
    const deadline = Date.now() + (ctlsIdle ? CTLS_IDLE_MS : asked);
    this.setDisplay(
      ...(this.lines[0] ? this.lines : (['INSERT OR SWIPE', 'CARD'] as [string, string])),
    );
    for (;;) {
      const result = await this.waitCard(
        ({ action }) =>
          (action === 'swipe' && opt.magstripe) ||
          (action === 'insert' && opt.chip === 'insert') ||
          (action === 'tap' && ctls),
        Math.max(0, deadline - Date.now()),
        opt.keys,
      );
      if (result.kind === 'aborted') return undefined;
      if (result.kind === 'timeout') {
        return ctlsIdle
          ? encodeResponse(
              'CEX',
              0,
              tlvBlocks([{ id: Pp.EVENT, value: Buffer.from(CexEvent.CTLS_TIMEOUT) }]),
            )
          : encodeResponse('CEX', AbecsStatus.TIMEOUT);
      }
      if (result.kind === 'key') {
        // "0xxxxx" = ignore keys: CANCEL too (it is reported as PP_EVENT "13" only when asked).
        if (!opt.keys) continue;
        const event =
          result.key === 'cancel'
            ? CexEvent.CANCEL
            : result.key === 'clear'
              ? CexEvent.CLEAR
              : CexEvent.ENTER;
        return encodeResponse('CEX', 0, tlvBlocks([{ id: Pp.EVENT, value: Buffer.from(event) }]));
      }
      const { card, action } = result;
      if (action === 'swipe') {
        this.tracks = { card, chip: false };
        return encodeResponse(
          'CEX',
          0,
          tlvBlocks([
            { id: Pp.EVENT, value: Buffer.from(CexEvent.SWIPED) },
            {
              id: Pp.TRK2INC,
              value: Buffer.from(
                incompleteTrack2(track2Of(card), decodePanMask(params.get(Spe.PANMASK))),
                'latin1',
              ),
            },
          ]),
        );
      }
      const event = action === 'insert' ? CexEvent.ICC_INSERTED : CexEvent.CTLS_DETECTED;
      return encodeResponse('CEX', 0, tlvBlocks([{ id: Pp.EVENT, value: Buffer.from(event) }]));
    }
  }

  private gtk(cmd: AbecsCommand): Buffer {
    const data = this.tracks;
    // Once after a CEX or GCX that read a card; a second GTK finds nothing (§6.5.12).
    if (!data) return encodeResponse('GTK', AbecsStatus.INVALID_CALL);
    const params = tlvFromBlocks(cmd.blocks);
    // Encrypted tracks (SPE_MTHDDAT) need data keys this pad does not hold.
    if (params.has(Spe.MTHDDAT)) return encodeResponse('GTK', AbecsStatus.KEY_MISSING);
    // The tracks are wiped; the EMV processing GCX started is not (§6.5.12).
    this.tracks = undefined;
    const want = decodeTrackRequest(params.get(Spe.TRACKS));
    return encodeResponse(
      'GTK',
      0,
      tlvBlocks(
        gtkResultParams({
          // PP_ENCPAN only for a chip card after GCX (§3.3.12).
          ...(want.pan && data.chip ? { pan: data.card.pan } : {}),
          ...(want.track2 ? { track2: track2Of(data.card) } : {}),
        }),
      ),
    );
  }

  /** MK:TDES:PIN is the only key kind this pad holds: other methods, or an empty slot, are 042. */
  private workingKey(method: number, keyIndex: number, workingKeyEnc: Buffer): Buffer | undefined {
    const master = method === 1 ? this.masterKeys.get(keyIndex) : undefined;
    return master ? tdesDecryptEcb(master, workingKeyEnc) : undefined;
  }

  private async capturePin(
    workingKey: Buffer,
    pan: string,
    min: number,
    max: number,
    message: string,
    timeoutMs: number,
  ): Promise<{ block: Buffer } | { status: number } | undefined> {
    this.setDisplay(message.slice(0, 16), '');
    this.notify(message.slice(0, 16), '');
    const result = await this.collectPin(min, max, timeoutMs, (digits) => {
      this.setDisplay(message.slice(0, 16), '*'.repeat(digits));
      this.notify(message.slice(0, 16), '*'.repeat(digits));
    });
    if (result.kind === 'aborted') return undefined;
    if (result.kind === 'cancel') return { status: AbecsStatus.CANCELLED };
    if (result.kind === 'timeout') return { status: AbecsStatus.TIMEOUT };
    return { block: tdesEncryptEcb(workingKey, pinBlockFormat0(result.pin, pan)) };
  }

  private async gpn(block: Buffer | undefined): Promise<Buffer | undefined> {
    if (!block) return encodeResponse('GPN', AbecsStatus.MISSING_PARAMETER);
    // §6.5.11 order: format (011), then the key (042, before capture), then the PAN (010).
    const req = decodeGpnBlock(block);
    const workingKey = this.workingKey(
      req.method,
      req.keyIndex,
      Buffer.from(req.workingKeyHex, 'hex'),
    );
    if (!workingKey) return encodeResponse('GPN', AbecsStatus.KEY_MISSING);
    const pan = req.pan || this.tracks?.card.pan;
    if (!pan) return encodeResponse('GPN', AbecsStatus.INVALID_CALL);
    const out = await this.capturePin(
      workingKey,
      pan,
      req.minDigits,
      req.maxDigits,
      req.message,
      PROMPT_TIMEOUT_MS,
    );
    if (!out) return undefined;
    // "O pinpad sempre apaga o conteúdo do display ao final do processamento" (§3.3.11).
    this.setDisplay('', '');
    if ('status' in out) return encodeResponse('GPN', out.status);
    return encodeResponse('GPN', 0, [
      gpnResultBlock({ pinBlockHex: out.block.toString('hex'), ksnHex: '0'.repeat(20) }),
    ]);
  }

  private async gcx(cmd: AbecsCommand): Promise<Buffer | undefined> {
    const params = tlvFromBlocks(cmd.blocks);
    // §6.9.1: the tracks kept for GTK are cleared, and a new GCX drops the previous processing.
    this.tracks = undefined;
    this.chip = undefined;
    if (!params.get(Spe.TRNDATE) || !params.get(Spe.TRNTIME))
      return encodeResponse('GCX', AbecsStatus.MISSING_PARAMETER);
    const ctls =
      params.get(Spe.GCXOPT)?.toString('latin1').startsWith('1') === true && this.info.contactless;
    const result = await this.waitCard(
      ({ action }) => action !== 'tap' || ctls,
      this.timeoutFrom(params, ctls ? CTLS_IDLE_MS : NO_LIMIT_MS),
      false,
      new Set(['swipe', 'tap']),
    );
    if (result.kind === 'aborted') return undefined;
    if (result.kind === 'timeout') return encodeResponse('GCX', AbecsStatus.TIMEOUT);
    if (result.kind === 'key') return encodeResponse('GCX', AbecsStatus.CANCELLED);
    const { card, action } = result;
    const mask = decodePanMask(params.get(Spe.PANMASK));
    const track2Incomplete = incompleteTrack2(track2Of(card), mask);
    if (action === 'swipe') {
      this.tracks = { card, chip: false };
      // §6.9.1.1: card type, PP_ICCSTAT (no ICC error to report here) and the incomplete tracks.
      return encodeResponse(
        'GCX',
        0,
        tlvBlocks(
          gcxResultParams({ cardType: CardType.MAGNETIC, iccStatus: '0', track2Incomplete }),
        ),
      );
    }
    this.tracks = { card, chip: true };
    this.chip = { card, state: 'gcx' };
    const acquirer = params.get(Spe.ACQREF)?.toString('latin1') ?? '01';
    const wanted = params.get(Spe.TAGLIST);
    const issuerCountry = card.emv['5F28'] ?? card.emv['5f28'];
    // §6.9.1.2 "Dados de Saída".
    return encodeResponse(
      'GCX',
      0,
      tlvBlocks(
        gcxResultParams({
          cardType: action === 'insert' ? CardType.ICC_EMV : CardType.CTLS_EMV,
          // TAB_ACQ + TAB_RECIDX + T1_APPTYPE of the (imaginary) AID table record used.
          aidTableInfo: `${acquirer}0101`,
          pan: mask ? maskLeadingPan(card.pan, mask) : card.pan,
          panSequence: card.panSequence,
          track2Incomplete,
          ...(card.cardholderName ? { cardholderName: card.cardholderName } : {}),
          label: card.label,
          ...(issuerCountry ? { issuerCountry: issuerCountry.slice(-3) } : {}),
          expiry: card.expiry + '31',
          ...(wanted ? { emvData: encodeEmvTlv(filterTags(this.cardTags(card, []), wanted)) } : {}),
        }),
      ),
    );
  }

  private async gox(cmd: AbecsCommand): Promise<Buffer | undefined> {
    const chip = this.chip;
    if (chip?.state !== 'gcx') return encodeResponse('GOX', AbecsStatus.INVALID_CALL);
    const p = tlvFromBlocks(cmd.blocks);
    const method = Number(p.get(Spe.MTHDPIN)?.toString('latin1') ?? NaN);
    const keyIndex = Number(p.get(Spe.KEYIDX)?.toString('latin1') ?? NaN);
    const wkenc = p.get(Spe.WKENC);
    // SPE_ACQREF, SPE_MTHDPIN and SPE_KEYIDX are M; SPE_WKENC is MD for MK/WK (§3.7.3).
    if (
      !p.get(Spe.ACQREF) ||
      !Number.isInteger(method) ||
      !Number.isInteger(keyIndex) ||
      ((method === 0 || method === 1) && !wkenc)
    )
      return encodeResponse('GOX', AbecsStatus.MISSING_PARAMETER);
    const workingKey = wkenc ? this.workingKey(method, keyIndex, wkenc) : undefined;
    if (!workingKey) return encodeResponse('GOX', AbecsStatus.KEY_MISSING);
    const timeout = p.get(Spe.TIMEOUT);
    const out = await this.capturePin(
      workingKey,
      chip.card.pan,
      4,
      12,
      p.get(Spe.DSPMSG)?.toString('latin1') ?? 'PIN:',
      timeout && timeout.length > 0 ? timeout[0]! * 1000 : PROMPT_TIMEOUT_MS,
    );
    if (!out) return undefined;
    if ('status' in out) {
      this.setDisplay('', '');
      return encodeResponse('GOX', out.status);
    }
    chip.state = 'gox';
    const amount = p.get(Spe.AMOUNT)?.toString('latin1') ?? '000000000000';
    const currency = p.get(Spe.TRNCURR)?.toString('latin1') ?? '156';
    const tags = this.cardTags(chip.card, [
      { tag: '9F02', value: Buffer.from(amount.padStart(12, '0'), 'hex') },
      { tag: '9F03', value: Buffer.alloc(6) },
      { tag: '5F2A', value: Buffer.from(currency.padStart(4, '0'), 'hex') },
      { tag: '9F1A', value: Buffer.from('0156', 'hex') },
      { tag: '9A', value: Buffer.from(yymmdd(), 'hex') },
      { tag: '9C', value: Buffer.of(0x31) },
      { tag: '9F37', value: randomBytes(4) },
      { tag: '95', value: Buffer.alloc(5) },
      { tag: '9F27', value: Buffer.of(0x80) },
      { tag: '9F26', value: randomBytes(8) },
      { tag: '9F36', value: Buffer.of(this.atc >> 8, this.atc++ & 0xff) },
      { tag: '9F33', value: Buffer.from('E0E1C8', 'hex') },
      { tag: '9F34', value: Buffer.from('420300', 'hex') },
      { tag: '9F35', value: Buffer.of(0x22) },
      { tag: '9F1E', value: Buffer.from('4352454D55303031', 'hex') },
      { tag: '9F41', value: Buffer.from('00000001', 'hex') },
    ]);
    const wanted = p.get(Spe.TAGLIST);
    return encodeResponse(
      'GOX',
      0,
      tlvBlocks(
        goxResultParams({
          result: '202000',
          pinBlock: out.block,
          // PP_EMVDATA is "MR": returned when SPE_TAGLIST asked for it, even empty.
          emvData: wanted ? encodeEmvTlv(filterTags(tags, wanted)) : Buffer.alloc(0),
        }),
      ),
    );
  }

  private fcx(cmd: AbecsCommand): Buffer {
    if (this.chip?.state !== 'gox') return encodeResponse('FCX', AbecsStatus.INVALID_CALL);
    const p = tlvFromBlocks(cmd.blocks);
    const opt = p.get(Spe.FCXOPT)?.toString('latin1');
    // SPE_FCXOPT is M; SPE_ARC is MD when the network approved or declined (§3.7.4).
    if (!opt || ((opt.startsWith('0') || opt.startsWith('1')) && !p.get(Spe.ARC)))
      return encodeResponse('FCX', AbecsStatus.MISSING_PARAMETER);
    const issuer = p.get(Spe.EMVDATA);
    if (issuer && issuer.length > 0) decodeEmvTlv(issuer); // must at least be well-formed
    const approved = opt.startsWith('0');
    this.chip = undefined;
    const tags: EmvTag[] = [
      { tag: '9F27', value: Buffer.of(approved ? 0x40 : 0x00) },
      { tag: '95', value: Buffer.alloc(5) },
      { tag: '9B', value: Buffer.from('E800', 'hex') },
    ];
    const wanted = p.get(Spe.TAGLIST);
    return encodeResponse(
      'FCX',
      0,
      tlvBlocks(
        fcxResultParams({
          result: approved ? '000' : '100',
          emvData: wanted ? encodeEmvTlv(filterTags(tags, wanted)) : Buffer.alloc(0),
        }),
      ),
    );
  }

  private cardTags(card: EmulatorCard, terminal: EmvTag[]): EmvTag[] {
    const fromCard: EmvTag[] = Object.entries(card.emv).map(([tag, value]) => ({
      tag: tag.toUpperCase(),
      value: Buffer.from(value, 'hex'),
    }));
    const seen = new Set(fromCard.map((t) => t.tag));
    return [...fromCard, ...terminal.filter((t) => !seen.has(t.tag))];
  }
}

const HANDLED = new Set([
  'OPN',
  'GIN',
  'CLO',
  'DSP',
  'DEX',
  'CEX',
  'GTK',
  'GPN',
  'GCX',
  'GOX',
  'FCX',
]);

/** The objects asked for, in the order asked, never the protected ones (§6.8.6.3). */
function filterTags(tags: EmvTag[], tagList: Buffer): EmvTag[] {
  const order = decodeTagList(tagList).filter((tag) => !PROTECTED_TAGS.has(tag));
  return order.flatMap((tag) => tags.filter((t) => t.tag === tag));
}

function yymmdd(): string {
  const d = new Date();
  const two = (n: number) => String(n).padStart(2, '0');
  return two(d.getFullYear() % 100) + two(d.getMonth() + 1) + two(d.getDate());
}
