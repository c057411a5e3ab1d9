// Device side of ABECS 2.12, faithful to the link rules a third-party driver relies on:
// ACK for a good frame, NAK for a damaged one, EOT for CAN in any state, the last response
// again on NAK, ERR010 for an unknown command, a new command aborting a blocking one.
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
  decodeTrackRequest,
  decodeTagList,
  displayBlock,
  encodeEmvTlv,
  encodeFrame,
  encodeGinInfo,
  encodeResponse,
  encodeTrackNibbles,
  fcxResultParams,
  gcxResultParams,
  goxResultParams,
  gpnResultBlock,
  incompleteTrack2,
  tlvBlocks,
  tlvFromBlocks,
  type AbecsCommand,
  type EmvTag,
  type GinInfo,
  type TlvParam,
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

/** The pad's own limit for a cardholder prompt (GPN gives up with 012 after 60 s). */
const PROMPT_TIMEOUT_MS = 60_000;
const INTER_BYTE_TIMEOUT_MS = 1500;

export interface AbecsEmulatorOptions extends EmulatorOptionsBase {
  info?: GinInfo;
}

export class AbecsEmulator extends EmulatorBase {
  readonly protocol = 'abecs' as const;
  private readonly parser = new AbecsFrameParser();
  private readonly info: GinInfo;
  private lastResponse: Buffer | undefined;
  private sessionOpen = false;
  /** Card data from CEX (swipe) or GCX, for GTK / GPN with PANLEN 00 / GOX. */
  private cardData: { card: EmulatorCard; tracksRead: boolean; chip: boolean } | undefined;
  private chipState: 'none' | 'gcx' | 'gox' = 'none';
  private atc = 1;
  private interByte: NodeJS.Timeout | undefined;

  constructor(options: AbecsEmulatorOptions) {
    super(options, 19200);
    this.info = options.info ?? ABECS_EMULATOR_INFO;
  }

  protected resetProtocol(): void {
    this.parser.reset();
    this.lastResponse = undefined;
    this.sessionOpen = false;
    this.cardData = undefined;
    this.chipState = 'none';
  }

  protected onBytes(chunk: Buffer): void {
    if (this.interByte) clearTimeout(this.interByte);
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
          this.emit('link', { kind: 'nak-sent' });
          void this.send(Buffer.of(NAK));
          break;
        case 'frame':
          this.onFrame(event.data);
          break;
        default:
          // Stray ACK, EOT or noise: ignored, as the spec asks.
          break;
      }
    }
    if (this.parser.inFrame) {
      this.interByte = setTimeout(() => this.parser.reset(), INTER_BYTE_TIMEOUT_MS);
      this.interByte.unref();
    }
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
    if (id === 'OPN') {
      this.sessionOpen = true;
      return encodeResponse('OPN', 0);
    }
    if (id === 'GIN') return encodeResponse('GIN', 0, [encodeGinInfo(this.info)]);
    if (!this.sessionOpen) return encodeResponse(id, AbecsStatus.INVALID_CALL);
    const block = cmd.blocks[0];
    try {
      switch (id) {
        case 'CLO': {
          const [l1, l2] = block ? decodeDisplayBlock(block) : ['', ''];
          this.setDisplay(l1, l2);
          this.sessionOpen = false;
          this.cardData = undefined;
          this.chipState = 'none';
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
          return this.cex(cmd);
        case 'GTK':
          return this.gtk(cmd);
        case 'GPN':
          return this.gpn(block);
        case 'GCX':
          return this.gcx(cmd);
        case 'GOX':
          return this.gox(cmd);
        case 'FCX':
          return this.fcx(cmd);
      }
    } catch {
      return encodeResponse(id, AbecsStatus.INVALID_PARAMETER);
    }
    return encodeResponse('ERR', AbecsStatus.INVALID_CALL);
  }

  private timeoutFrom(params: Map<number, Buffer>): number {
    const t = params.get(Spe.TIMEOUT);
    return t && t.length > 0 && t[0]! > 0 ? t[0]! * 1000 : PROMPT_TIMEOUT_MS;
  }

  private async cex(cmd: AbecsCommand): Promise<Buffer | undefined> {
    const params = tlvFromBlocks(cmd.blocks);
    const opt = decodeCexOptions(params);
    this.setDisplay(
      ...(this.lines[0] ? this.lines : (['INSERT OR SWIPE', 'CARD'] as [string, string])),
    );
    const result = await this.waitCard(
      ({ action }) =>
        (action === 'swipe' && opt.magstripe) ||
        (action === 'insert' && opt.chip === 'insert') ||
        (action === 'tap' && opt.contactless),
      this.timeoutFrom(params),
      opt.keys,
    );
    if (result.kind === 'aborted') return undefined;
    if (result.kind === 'timeout') return encodeResponse('CEX', AbecsStatus.TIMEOUT);
    if (result.kind === 'key') {
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
      this.cardData = { card, tracksRead: false, chip: false };
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
    return encodeResponse(
      'CEX',
      0,
      tlvBlocks([
        {
          id: Pp.EVENT,
          value: Buffer.from(action === 'insert' ? CexEvent.ICC_INSERTED : CexEvent.CTLS_DETECTED),
        },
      ]),
    );
  }

  private gtk(cmd: AbecsCommand): Buffer {
    const data = this.cardData;
    if (!data || data.tracksRead) return encodeResponse('GTK', AbecsStatus.INVALID_CALL);
    // GTK is allowed once after CEX or GCX, and wipes the card data (GPN must then be given
    // the PAN). It answers only what SPE_TRACKS asks for (§6.5.12).
    this.cardData = undefined;
    const want = decodeTrackRequest(tlvFromBlocks(cmd.blocks).get(Spe.TRACKS));
    const params: TlvParam[] = [];
    if (want.pan && data.chip)
      params.push({ id: Pp.ENCPAN, value: encodeTrackNibbles(data.card.pan) });
    if (want.track2) params.push({ id: Pp.TRACK2, value: encodeTrackNibbles(track2Of(data.card)) });
    return encodeResponse('GTK', 0, tlvBlocks(params));
  }

  private async pinBlockUnder(
    method: number,
    keyIndex: number,
    workingKeyEnc: Buffer,
    pan: string,
    min: number,
    max: number,
    message: string,
  ): Promise<{ block: Buffer } | { status: number } | undefined> {
    // DUKPT is not emulated: report the key as absent.
    const master = method === 1 ? this.masterKeys.get(keyIndex) : undefined;
    if (!master) return { status: AbecsStatus.KEY_MISSING };
    const workingKey = tdesDecryptEcb(master, workingKeyEnc);
    this.setDisplay(message.slice(0, 16), '');
    this.notify(message.slice(0, 16), '');
    const result = await this.collectPin(min, max, PROMPT_TIMEOUT_MS, (digits) => {
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
    const req = decodeGpnBlock(block);
    let pan = req.pan;
    if (!pan) {
      if (!this.cardData) return encodeResponse('GPN', AbecsStatus.INVALID_CALL);
      pan = this.cardData.card.pan;
    }
    const out = await this.pinBlockUnder(
      req.method,
      req.keyIndex,
      Buffer.from(req.workingKeyHex, 'hex'),
      pan,
      req.minDigits,
      req.maxDigits,
      req.message,
    );
    if (!out) return undefined;
    if ('status' in out) return encodeResponse('GPN', out.status);
    return encodeResponse('GPN', 0, [
      gpnResultBlock({ pinBlockHex: out.block.toString('hex'), ksnHex: '0'.repeat(20) }),
    ]);
  }

  private async gcx(cmd: AbecsCommand): Promise<Buffer | undefined> {
    const params = tlvFromBlocks(cmd.blocks);
    if (!params.get(Spe.ACQREF) || !params.get(Spe.AMOUNT))
      return encodeResponse('GCX', AbecsStatus.MISSING_PARAMETER);
    const result = await this.waitCard(
      () => true,
      this.timeoutFrom(params),
      false,
      new Set(['swipe', 'tap']),
    );
    if (result.kind === 'aborted') return undefined;
    if (result.kind === 'timeout') return encodeResponse('GCX', AbecsStatus.TIMEOUT);
    if (result.kind === 'key') return encodeResponse('GCX', AbecsStatus.CANCELLED);
    const { card, action } = result;
    const cardType =
      action === 'swipe'
        ? CardType.MAGNETIC
        : action === 'insert'
          ? CardType.ICC_EMV
          : CardType.CTLS_EMV;
    this.cardData = { card, tracksRead: false, chip: action !== 'swipe' };
    this.chipState = action === 'swipe' ? 'none' : 'gcx';
    return encodeResponse(
      'GCX',
      0,
      tlvBlocks(
        gcxResultParams({
          cardType,
          pan: card.pan,
          panSequence: card.panSequence,
          track2: track2Of(card),
          expiry: card.expiry + '31',
          label: card.label,
        }),
      ),
    );
  }

  private async gox(cmd: AbecsCommand): Promise<Buffer | undefined> {
    const data = this.cardData;
    if (this.chipState !== 'gcx' || !data) return encodeResponse('GOX', AbecsStatus.INVALID_CALL);
    const p = tlvFromBlocks(cmd.blocks);
    const method = Number(p.get(Spe.MTHDPIN)?.toString('latin1'));
    const keyIndex = Number(p.get(Spe.KEYIDX)?.toString('latin1'));
    if (!Number.isInteger(method) || !Number.isInteger(keyIndex))
      return encodeResponse('GOX', AbecsStatus.MISSING_PARAMETER);
    const out = await this.pinBlockUnder(
      method,
      keyIndex,
      p.get(Spe.WKENC) ?? Buffer.alloc(16),
      data.card.pan,
      4,
      12,
      p.get(Spe.DSPMSG)?.toString('latin1') ?? 'PIN:',
    );
    if (!out) return undefined;
    if ('status' in out) return encodeResponse('GOX', out.status);
    this.chipState = 'gox';
    const amount = p.get(Spe.AMOUNT)?.toString('latin1') ?? '000000000000';
    const currency = p.get(Spe.TRNCURR)?.toString('latin1') ?? '156';
    const tags = this.cardTags(data.card, [
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
    const emvData = encodeEmvTlv(filterTags(tags, wanted));
    return encodeResponse(
      'GOX',
      0,
      tlvBlocks(goxResultParams({ result: '202000', pinBlock: out.block, emvData })),
    );
  }

  private fcx(cmd: AbecsCommand): Buffer {
    if (this.chipState !== 'gox' || !this.cardData)
      return encodeResponse('FCX', AbecsStatus.INVALID_CALL);
    const p = tlvFromBlocks(cmd.blocks);
    const opt = p.get(Spe.FCXOPT)?.toString('latin1');
    if (!opt) return encodeResponse('FCX', AbecsStatus.MISSING_PARAMETER);
    const issuer = p.get(Spe.EMVDATA);
    if (issuer && issuer.length > 0) decodeEmvTlv(issuer); // must at least be well-formed
    const approved = opt.startsWith('0');
    this.chipState = 'none';
    const tags: EmvTag[] = [
      { tag: '9F27', value: Buffer.of(approved ? 0x40 : 0x00) },
      { tag: '95', value: Buffer.alloc(5) },
      { tag: '9B', value: Buffer.from('E800', 'hex') },
    ];
    const emvData = encodeEmvTlv(filterTags(tags, p.get(Spe.TAGLIST)));
    return encodeResponse(
      'FCX',
      0,
      tlvBlocks(fcxResultParams({ result: approved ? '000' : '100', emvData })),
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

function filterTags(tags: EmvTag[], tagList: Buffer | undefined): EmvTag[] {
  if (!tagList || tagList.length === 0) return tags;
  const order = decodeTagList(tagList);
  return order.flatMap((tag) => tags.filter((t) => t.tag === tag));
}

function yymmdd(): string {
  const d = new Date();
  const two = (n: number) => String(n).padStart(2, '0');
  return two(d.getFullYear() % 100) + two(d.getMonth() + 1) + two(d.getDate());
}
