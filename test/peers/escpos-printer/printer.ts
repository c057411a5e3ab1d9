// Clean-room ESC/POS receipt printer (device model): receive buffer, real-time status, printer ID,
// paper / cover / error state, and a record of what came out on paper. Transport-free: serial.ts
// and tcp.ts feed it bytes and carry its replies. See README.md for the page each rule comes from.
import {
  RealTimeScanner,
  asciiInfo,
  checkPrinterIdByte,
  decodeGb18030,
  encodeAsb,
  encodePrinterInfoB,
  encodeRealTimeStatus,
  encodeTransmitStatus,
  hex,
  parseCommand,
  type EscPosCommand,
  type StatusInputs,
} from './codec.js';

export type PaperState = 'ok' | 'near-end' | 'out';
export type CoverState = 'closed' | 'open';
export type PrinterErrorKind = 'mechanical' | 'autocutter' | 'unrecoverable' | 'auto-recoverable';

/** What GS I answers. One-byte IDs must look like 0xx0xxxx; strings are printable ASCII ≤ 80. */
export interface PrinterIdentity {
  /** GS I 1 / 49. */
  modelId: number;
  /** GS I 2 / 50: bit 0 multi-byte characters supported, bit 1 autocutter installed, bit 2 DM-D. */
  typeId: number;
  /** GS I 3 / 51. */
  versionId: number;
  /** GS I 65 (printer information B); undefined = "not prepared" (Header + NUL). */
  firmware?: string;
  /** GS I 66. */
  maker?: string;
  /** GS I 67. */
  model?: string;
  /** GS I 68. */
  serialNumber?: string;
  /** GS I 69, e.g. "CHINA GB18030". */
  fonts?: string;
}

export const DEFAULT_IDENTITY: PrinterIdentity = {
  modelId: 0x20,
  typeId: 0x03, // multi-byte characters + autocutter
  versionId: 0x01,
  firmware: '1.00',
  maker: 'PEER',
  model: 'PEER-80',
  serialNumber: 'PEER00000001',
  fonts: 'CHINA GB18030',
};

export interface PeerPrinterOptions {
  identity?: Partial<PrinterIdentity>;
  paper?: PaperState;
  cover?: CoverState;
  /** Put off-line by hand (e.g. the feed button held / power-on), on top of cover and paper. */
  offline?: boolean;
  /** Kanji mode at power-on and after ESC @ (Epson: off; many Chinese clones: on). Default false. */
  kanjiAtPowerOn?: boolean;
  /** With paper out, the near-end sensor also sees no paper (DLE EOT 4 → 7E, not 72). Default true. */
  nearEndSensorWhenOut?: boolean;
  /** Printable width in dots (80 mm at 203 dpi: 576). Default 576. */
  printableDots?: number;
}

export type Align = 'left' | 'center' | 'right';

export type PrintedItem =
  | {
      kind: 'line';
      text: string;
      align: Align;
      bold: boolean;
      underline: boolean;
      /** Character width / height multipliers (GS !, ESC ! double width / height). */
      width: number;
      height: number;
      /** Width of the line in dots (font A 12, font B 9, Kanji 24, × width). */
      dots: number;
    }
  | { kind: 'feed'; by: 'ESC d' | 'ESC J'; amount: number }
  | { kind: 'image'; mode: number; widthDots: number; heightDots: number; data: Uint8Array }
  | { kind: 'qr'; data: Uint8Array; text: string; moduleSize: number; errorLevel: string }
  | { kind: 'barcode'; system: number; data: Uint8Array }
  | { kind: 'cut'; mode: 'full' | 'partial'; by: string; feed?: number }
  | { kind: 'drawer-pulse'; pin: number };

export interface Reply {
  /** The command answered, e.g. 'DLE EOT 4', 'GS I 67', 'GS r 1', 'ASB'. */
  to: string;
  bytes: Uint8Array;
  /** True when nothing was connected to carry it. */
  dropped: boolean;
}

export interface PrinterState {
  paper: PaperState;
  cover: CoverState;
  /** Effective off-line (cover open, paper end stop, error, or by hand). */
  offline: boolean;
  /** Printing stopped at paper end: received data waits in the receive buffer. */
  stoppedAtPaperEnd: boolean;
  errors: PrinterErrorKind[];
  /** Bytes received but not yet processed (kept while off-line). */
  pendingBytes: number;
  kanji: boolean;
  /** GS a bits in force (0 = ASB off). */
  asb: number;
}

interface Style {
  align: Align;
  bold: boolean;
  underline: boolean;
  fontB: boolean;
  escDoubleWidth: boolean;
  escDoubleHeight: boolean;
  gsWidth: number;
  gsHeight: number;
  kanjiDoubleWidth: boolean;
  kanjiDoubleHeight: boolean;
}

const defaultStyle = (): Style => ({
  align: 'left',
  bold: false,
  underline: false,
  fontB: false,
  escDoubleWidth: false,
  escDoubleHeight: false,
  gsWidth: 1,
  gsHeight: 1,
  kanjiDoubleWidth: false,
  kanjiDoubleHeight: false,
});

const QR_LEVELS: Record<number, string> = { 48: 'L', 49: 'M', 50: 'Q', 51: 'H' };

export class PeerEscPosPrinter {
  readonly identity: PrinterIdentity;
  /** Every command processed, in order (real-time commands appear where they sat in the stream). */
  readonly commands: EscPosCommand[] = [];
  /** What came out on paper, in order. */
  readonly printed: PrintedItem[] = [];
  /** Every byte string sent back. */
  readonly replies: Reply[] = [];
  /** Things a real printer would do differently from what the host probably meant (ignored
   *  commands, text outside Kanji mode, over-wide lines, unknown commands, ...). */
  readonly notes: string[] = [];
  /** Total bytes received. */
  receivedBytes = 0;

  private readonly kanjiAtPowerOn: boolean;
  private readonly nearEndSensorWhenOut: boolean;
  private readonly printableDots: number;
  private readonly scanner = new RealTimeScanner();
  private rx: Uint8Array = new Uint8Array(0);
  private output: ((bytes: Uint8Array) => void) | undefined;
  private readonly listeners = new Set<() => void>();

  private paper: PaperState;
  private cover: CoverState;
  private forcedOffline: boolean;
  private readonly errors = new Set<PrinterErrorKind>();
  private drawerPin3High = false;
  private feedButton = false;
  private asb = 0;

  private kanji: boolean;
  private style: Style = defaultStyle();
  private line: { bytes: number[]; kanji: boolean[]; style: Style; dots: number } | undefined;
  private qr: { data: Uint8Array | undefined; moduleSize: number; errorLevel: string } = {
    data: undefined,
    moduleSize: 3,
    errorLevel: 'L',
  };

  constructor(options: PeerPrinterOptions = {}) {
    this.identity = checkIdentity({ ...DEFAULT_IDENTITY, ...options.identity });
    this.paper = options.paper ?? 'ok';
    this.cover = options.cover ?? 'closed';
    this.forcedOffline = options.offline ?? false;
    this.kanjiAtPowerOn = options.kanjiAtPowerOn ?? false;
    this.nearEndSensorWhenOut = options.nearEndSensorWhenOut ?? true;
    this.printableDots = options.printableDots ?? 576;
    this.kanji = this.kanjiAtPowerOn;
  }

  // ---- what a test reads -------------------------------------------------------------------

  get state(): PrinterState {
    const s = this.statusInputs();
    return {
      paper: this.paper,
      cover: this.cover,
      offline: s.offline,
      stoppedAtPaperEnd: s.stoppedAtPaperEnd,
      errors: [...this.errors],
      pendingBytes: this.rx.length,
      kanji: this.kanji,
      asb: this.asb,
    };
  }

  /** The printed lines, one per line of paper. */
  get lines(): string[] {
    return this.printed.flatMap((p) => (p.kind === 'line' ? [p.text] : []));
  }

  /** All printed text, lines joined with '\n'. */
  get text(): string {
    return this.lines.join('\n');
  }

  get cuts(): Array<Extract<PrintedItem, { kind: 'cut' }>> {
    return this.printed.filter((p) => p.kind === 'cut');
  }

  /** The printed text split at the cuts: one entry per slip (the last one may be uncut). */
  get slips(): Array<{ text: string; cut: boolean; items: PrintedItem[] }> {
    const slips: Array<{ text: string; cut: boolean; items: PrintedItem[] }> = [];
    let items: PrintedItem[] = [];
    const close = (cut: boolean): void => {
      const text = items.flatMap((p) => (p.kind === 'line' ? [p.text] : [])).join('\n');
      slips.push({ text, cut, items });
      items = [];
    };
    for (const p of this.printed) {
      items.push(p);
      if (p.kind === 'cut') close(true);
    }
    if (items.length > 0) close(false);
    return slips;
  }

  /** Resolves when `predicate` holds (checked now and after every change), or rejects. */
  waitFor(predicate: (p: this) => boolean, timeoutMs = 3000): Promise<void> {
    if (predicate(this)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!predicate(this)) return;
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(`printer: condition not met within ${timeoutMs} ms; text=${this.text}`));
      }, timeoutMs);
      this.listeners.add(check);
    });
  }

  /** Forgets what was printed, received and answered (the state and settings stay). */
  clearRecord(): void {
    this.commands.length = 0;
    this.printed.length = 0;
    this.replies.length = 0;
    this.notes.length = 0;
    this.receivedBytes = 0;
  }

  // ---- what a test sets --------------------------------------------------------------------

  setPaper(paper: PaperState): void {
    this.changeState(() => (this.paper = paper));
  }

  setCover(cover: CoverState): void {
    this.changeState(() => (this.cover = cover));
  }

  setOffline(offline: boolean): void {
    this.changeState(() => (this.forcedOffline = offline));
  }

  setError(kind: PrinterErrorKind, on: boolean): void {
    this.changeState(() => (on ? this.errors.add(kind) : this.errors.delete(kind)));
  }

  setDrawerPin3(high: boolean): void {
    this.changeState(() => (this.drawerPin3High = high));
  }

  setFeedButton(pressed: boolean): void {
    this.changeState(() => (this.feedButton = pressed));
  }

  /** Changes the identity answered from now on (a "different printer"). */
  setIdentity(identity: Partial<PrinterIdentity>): void {
    Object.assign(this.identity, checkIdentity({ ...this.identity, ...identity }));
  }

  // ---- transport side ----------------------------------------------------------------------

  /** Where replies go (serial port, TCP socket); undefined = nowhere (replies are dropped). */
  setOutput(output: ((bytes: Uint8Array) => void) | undefined): void {
    this.output = output;
  }

  /** Bytes from the host. Real-time commands are answered now; the rest is processed in order
   *  unless the printer is off-line, in which case it waits in the receive buffer. */
  receive(chunk: Uint8Array): void {
    this.receivedBytes += chunk.length;
    const joined = new Uint8Array(this.rx.length + chunk.length);
    joined.set(this.rx);
    joined.set(chunk, this.rx.length);
    this.rx = joined;
    for (const rt of this.scanner.push(chunk)) this.realTime(rt.command, rt.n);
    this.process();
    this.notify();
  }

  // ---- internals ---------------------------------------------------------------------------

  private statusInputs(): StatusInputs {
    const out = this.paper === 'out';
    const errors = this.errors;
    return {
      offline: this.cover === 'open' || out || this.forcedOffline || errors.size > 0,
      coverOpen: this.cover === 'open',
      nearEndSensor: this.paper === 'near-end' || (out && this.nearEndSensorWhenOut),
      paperEndSensor: out,
      stoppedAtPaperEnd: out,
      drawerPin3High: this.drawerPin3High,
      feedButton: this.feedButton,
      waitingForOnlineRecovery: false,
      mechanicalError: errors.has('mechanical'),
      autocutterError: errors.has('autocutter'),
      unrecoverableError: errors.has('unrecoverable'),
      autoRecoverableError: errors.has('auto-recoverable'),
    };
  }

  private reply(to: string, bytes: Uint8Array): void {
    this.replies.push({ to, bytes, dropped: this.output === undefined });
    this.output?.(bytes);
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }

  /** Applies a state change, sends ASB if an enabled status group changed, resumes processing. */
  private changeState(change: () => void): void {
    const before = asbGroups(this.statusInputs());
    change();
    this.sendAsbIfChanged(before);
    this.process();
    this.notify();
  }

  private sendAsbIfChanged(before: number[]): void {
    if (this.asb === 0) return;
    const after = asbGroups(this.statusInputs());
    // GS a bit 0 drawer, bit 1 on-line/off-line, bit 2 error, bit 3 roll paper sensor.
    const changed = after.some((v, i) => v !== before[i] && (this.asb & (1 << i)) !== 0);
    if (changed) this.reply('ASB', encodeAsb(this.statusInputs()));
  }

  private realTime(command: 'DLE EOT' | 'DLE ENQ', n: number): void {
    if (command === 'DLE EOT') {
      const status = encodeRealTimeStatus(n, this.statusInputs());
      if (status === undefined) this.notes.push(`DLE EOT ${n} ignored: n out of range`);
      else this.reply(`DLE EOT ${n}`, Uint8Array.of(status));
      return;
    }
    // DLE ENQ 1: recover from a recoverable error and restart; 2: also clear the buffers.
    if (n !== 1 && n !== 2) {
      this.notes.push(`DLE ENQ ${n} ignored: n out of range`);
      return;
    }
    const recoverable = this.errors.has('mechanical') || this.errors.has('autocutter');
    if (!recoverable) {
      this.notes.push(`DLE ENQ ${n} ignored: no recoverable error`);
      return;
    }
    const before = asbGroups(this.statusInputs());
    this.errors.delete('mechanical');
    this.errors.delete('autocutter');
    if (n === 2) {
      this.rx = new Uint8Array(0);
      this.line = undefined;
    }
    this.sendAsbIfChanged(before);
  }

  private process(): void {
    let offset = 0;
    while (!this.statusInputs().offline) {
      const step = parseCommand(this.rx, offset, this.kanji);
      if (step === 'incomplete') break;
      offset += step.length;
      this.commands.push(step.command);
      this.execute(step.command);
    }
    if (offset > 0) this.rx = this.rx.slice(offset);
  }

  private execute(c: EscPosCommand): void {
    const n = c.args[0] ?? 0;
    switch (c.name) {
      case 'text':
        return this.addText(c.raw, c.kanji === true);
      case 'HT':
        return this.addText(c.raw, false);
      case 'LF':
        return this.flushLine(true);
      case 'CR':
      case 'DLE EOT': // answered when it arrived
      case 'DLE ENQ':
        return;
      case 'ESC @':
        if (this.line) this.notes.push('ESC @ cleared unprinted text from the print buffer');
        this.line = undefined;
        this.style = defaultStyle();
        this.kanji = this.kanjiAtPowerOn;
        this.qr = { data: undefined, moduleSize: 3, errorLevel: 'L' };
        return;
      case 'ESC !':
        Object.assign(this.style, {
          fontB: (n & 0x01) !== 0,
          bold: (n & 0x08) !== 0,
          escDoubleHeight: (n & 0x10) !== 0,
          escDoubleWidth: (n & 0x20) !== 0,
          underline: (n & 0x80) !== 0,
        });
        return;
      case 'ESC a': {
        const align = ({ 0: 'left', 1: 'center', 2: 'right' } as const)[n % 48];
        if (!align || n > 50 || (n > 2 && n < 48)) return this.ignored(c, 'n out of range');
        // A line keeps the alignment it started with (peer choice, see README).
        if (this.line) this.notes.push(`ESC a ${n} in mid-line: applies from the next line`);
        this.style.align = align;
        return;
      }
      case 'ESC E':
        this.style.bold = (n & 0x01) !== 0;
        return;
      case 'ESC -':
        this.style.underline = [1, 2, 49, 50].includes(n);
        return;
      case 'ESC M':
        this.style.fontB = n === 1 || n === 49;
        return;
      case 'ESC d':
        this.flushLine(false);
        this.printed.push({ kind: 'feed', by: 'ESC d', amount: n });
        return;
      case 'ESC J':
        this.flushLine(false);
        this.printed.push({ kind: 'feed', by: 'ESC J', amount: n });
        return;
      case 'ESC p':
        this.printed.push({ kind: 'drawer-pulse', pin: n === 1 || n === 49 ? 5 : 2 });
        return;
      case 'ESC i': // partial cut, one point left uncut
      case 'ESC m': // partial cut, three points left uncut
        return this.cut(c, 'partial');
      case 'GS !':
        this.style.gsWidth = ((n >> 4) & 0x07) + 1;
        this.style.gsHeight = (n & 0x07) + 1;
        return;
      case 'GS V':
        return this.gsV(c);
      case 'GS v 0':
        return this.raster(c);
      case 'GS ( k':
        return this.symbol(c);
      case 'GS k':
        this.printed.push({ kind: 'barcode', system: n, data: c.data ?? new Uint8Array(0) });
        return;
      case 'GS a':
        this.asb = n & 0x0f;
        // "If any status item is enabled, the status is sent to the host when this command is
        // executed" (GS a notes).
        if (this.asb !== 0) this.reply('ASB', encodeAsb(this.statusInputs()));
        return;
      case 'GS I':
        return this.transmitId(n);
      case 'GS r': {
        const status = encodeTransmitStatus(n, this.statusInputs());
        if (status === undefined) return this.ignored(c, 'n out of range');
        this.reply(`GS r ${n}`, Uint8Array.of(status));
        return;
      }
      case 'FS &':
        this.kanji = true;
        return;
      case 'FS .':
        this.kanji = false;
        return;
      case 'FS !':
        this.style.kanjiDoubleWidth = (n & 0x04) !== 0;
        this.style.kanjiDoubleHeight = (n & 0x08) !== 0;
        return;
      case 'FF':
      case 'CAN':
        return this.ignored(c, 'page mode is not modelled (standard mode only)');
      case 'DLE DC4':
        if (n === 1) this.printed.push({ kind: 'drawer-pulse', pin: c.args[1] === 1 ? 5 : 2 });
        else this.notes.push(`DLE DC4 fn=${n} not modelled (${hex(c.raw)})`);
        return;
      case 'unknown':
        this.notes.push(`unknown command ${hex(c.raw)}: its parameters, if any, print as text`);
        return;
      default:
        if (c.name.startsWith('CTL ')) this.notes.push(`control byte ${c.name.slice(4)} ignored`);
      // Every other command is taken at its spec length and changes nothing printed here.
    }
  }

  private ignored(c: EscPosCommand, why: string): void {
    this.notes.push(`${c.name} ignored (${why}): ${hex(c.raw.subarray(0, 8))}`);
  }

  private addText(bytes: Uint8Array, kanji: boolean): void {
    if (!this.line) this.line = { bytes: [], kanji: [], style: { ...this.style }, dots: 0 };
    const s = this.style;
    const ankWidth = (s.fontB ? 9 : 12) * Math.max(s.gsWidth, s.escDoubleWidth ? 2 : 1);
    const kanjiWidth = 24 * Math.max(s.gsWidth, s.kanjiDoubleWidth ? 2 : 1);
    let highOutsideKanji = false;
    for (let i = 0; i < bytes.length;) {
      const b = bytes[i]!;
      let len = 1;
      if (kanji && b >= 0x81 && b <= 0xfe)
        len = bytes[i + 1]! >= 0x30 && bytes[i + 1]! <= 0x39 ? 4 : 2;
      if (b === 0x09) {
        // HT: next tab position (default every 8 characters of font A).
        this.line.dots = (Math.floor(this.line.dots / 96) + 1) * 96;
      } else {
        this.line.dots += len > 1 ? kanjiWidth : ankWidth;
      }
      if (!kanji && b >= 0x80) highOutsideKanji = true;
      if (len === 4)
        this.notes.push(`four-byte GB18030 character ${hex(bytes.subarray(i, i + 4))}`);
      for (let k = 0; k < len; k++) {
        this.line.bytes.push(bytes[i + k]!);
        this.line.kanji.push(kanji);
      }
      i += len;
    }
    if (highOutsideKanji) {
      this.notes.push(`bytes >= 0x80 outside Kanji mode print as code-page characters`);
    }
  }

  /** Prints the print buffer. `always`: LF prints an empty line too. */
  private flushLine(always: boolean): void {
    const line = this.line;
    this.line = undefined;
    if (!line && !always) return;
    const style = line?.style ?? { ...this.style };
    let text = '';
    let valid = true;
    if (line) {
      // Runs of Kanji-mode bytes are GB18030; a byte >= 0x80 outside Kanji mode is a code-page
      // character this peer does not draw (shown as U+FFFD).
      let i = 0;
      while (i < line.bytes.length) {
        const kanji = line.kanji[i]!;
        let j = i;
        while (j < line.bytes.length && line.kanji[j] === kanji) j++;
        const run = Uint8Array.from(line.bytes.slice(i, j));
        if (kanji) {
          const d = decodeGb18030(run);
          text += d.text;
          valid &&= d.valid;
        } else {
          text += Array.from(run, (b) => (b < 0x80 ? String.fromCharCode(b) : '\uFFFD')).join('');
        }
        i = j;
      }
    }
    if (!valid) this.notes.push(`line with bytes that are not GB18030: ${text}`);
    const dots = line?.dots ?? 0;
    if (dots > this.printableDots) {
      this.notes.push(
        `line ${dots} dots wide > ${this.printableDots} (the printer wraps it): ${text}`,
      );
    }
    this.printed.push({
      kind: 'line',
      text,
      align: style.align,
      bold: style.bold,
      underline: style.underline,
      width: Math.max(style.gsWidth, style.escDoubleWidth ? 2 : 1),
      height: Math.max(style.gsHeight, style.escDoubleHeight ? 2 : 1),
      dots,
    });
  }

  private cut(c: EscPosCommand, mode: 'full' | 'partial', feed?: number): void {
    // GS V: "When standard mode is selected, these commands are enabled only when processed at
    // the beginning of the line."
    if (this.line) return this.ignored(c, 'not at the beginning of a line');
    this.printed.push(
      feed === undefined
        ? { kind: 'cut', mode, by: c.name }
        : { kind: 'cut', mode, by: c.name, feed },
    );
  }

  private gsV(c: EscPosCommand): void {
    const [m, n] = c.args as [number, number | undefined];
    if (m === 0 || m === 48) return this.cut(c, 'full');
    if (m === 1 || m === 49) return this.cut(c, 'partial');
    if (m === 65 || m === 97 || m === 103) return this.cut(c, 'full', n);
    if (m === 66 || m === 98 || m === 104) return this.cut(c, 'partial', n);
    return this.ignored(c, 'm out of range');
  }

  private raster(c: EscPosCommand): void {
    const [m, xL, xH, yL, yH] = c.args as [number, number, number, number, number];
    // "In standard mode, this command is effective only when there is no data in the print buffer."
    if (this.line) return this.ignored(c, 'print buffer not empty');
    if (!(m <= 3 || (m >= 48 && m <= 51))) return this.ignored(c, 'm out of range');
    const widthBytes = xL + xH * 256;
    const heightDots = yL + yH * 256;
    if (widthBytes * heightDots === 0) return this.ignored(c, 'k = 0');
    this.printed.push({
      kind: 'image',
      mode: m % 48,
      widthDots: widthBytes * 8,
      heightDots,
      data: c.data ?? new Uint8Array(0),
    });
  }

  private symbol(c: EscPosCommand): void {
    const d = c.data ?? new Uint8Array(0);
    const [cn, fn] = [d[0], d[1]];
    if (cn !== 49) return this.ignored(c, `symbol cn=${cn} not modelled (QR Code only)`);
    switch (fn) {
      case 65: // select the model
        return;
      case 67: // module size
        this.qr.moduleSize = d[2] ?? this.qr.moduleSize;
        return;
      case 69: // error correction level
        this.qr.errorLevel = QR_LEVELS[d[2] ?? 0] ?? this.qr.errorLevel;
        return;
      case 80: // store the data: cn fn m d1...dk, k = (pL + pH × 256) - 3
        this.qr.data = d.slice(3);
        return;
      case 81: {
        // print the symbol data in the symbol storage area
        if (this.line) return this.ignored(c, 'not at the beginning of a line');
        const data = this.qr.data;
        if (!data || data.length === 0) return this.ignored(c, 'no data stored (Function 180)');
        this.printed.push({
          kind: 'qr',
          data,
          text: new TextDecoder().decode(data),
          moduleSize: this.qr.moduleSize,
          errorLevel: this.qr.errorLevel,
        });
        return;
      }
      default:
        return this.ignored(c, `QR Code fn=${fn} not modelled`);
    }
  }

  private transmitId(n: number): void {
    const id = this.identity;
    const oneByte: Record<number, number> = {
      1: id.modelId,
      49: id.modelId,
      2: id.typeId,
      50: id.typeId,
      3: id.versionId,
      51: id.versionId,
    };
    const infoB: Record<number, string | undefined> = {
      65: id.firmware,
      66: id.maker,
      67: id.model,
      68: id.serialNumber,
      69: id.fonts,
    };
    if (n in oneByte) return this.reply(`GS I ${n}`, Uint8Array.of(oneByte[n]!));
    if (n >= 65 && n <= 69) return this.reply(`GS I ${n}`, encodePrinterInfoB(infoB[n]));
    this.notes.push(`GS I ${n} ignored: n out of the range this printer supports`);
  }
}

/** Status groups GS a can enable: [drawer, on-line/off-line, error, roll paper sensor]. */
function asbGroups(s: StatusInputs): number[] {
  const asb = encodeAsb(s);
  return [asb[0]! & 0x04, asb[0]! & 0x68, asb[1]!, asb[2]!];
}

function checkIdentity(id: PrinterIdentity): PrinterIdentity {
  checkPrinterIdByte('modelId', id.modelId);
  checkPrinterIdByte('typeId', id.typeId);
  checkPrinterIdByte('versionId', id.versionId);
  for (const key of ['firmware', 'maker', 'model', 'serialNumber', 'fonts'] as const) {
    const v = id[key];
    if (v !== undefined) asciiInfo(v);
  }
  return id;
}
