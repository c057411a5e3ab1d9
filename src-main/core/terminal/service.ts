// The terminal as the rest of the core sees it: the one open now, with its config and its
// inquiries. Opening again with changed settings (applyChanges) is serialised, so two concurrent
// calls never open two terminals, and it never leaves a half-closed terminal behind: a terminal
// that fails to open gives way to the previous config's, and if even that fails the service says
// so, in both languages, to every call that needs the terminal, until a later reopen succeeds.
import { ApiError } from '../../contract';
import type { CashierConfig } from '../config';
import { CashierError, type ErrorText } from '../../common';
import type { InquiryRunner } from '../inquiry';
import type { PrinterWatch } from '../printer-watch';
import type { PinpadTrust, PrinterTrust } from '../trusted-devices';
import { Mutex } from '../mutex';
import type { Terminal } from './types';

/** A terminal that is open and wired into the console. */
export interface OpenTerminal {
  readonly config: CashierConfig;
  readonly terminal: Terminal;
  readonly inquiries: InquiryRunner;
  /** Whether the PIN pad answering is the trusted one (the console wires it; tests may not). */
  readonly pinpadTrust?: PinpadTrust;
  /** Whether the printer answering GS I is the trusted one (the console wires it). */
  readonly printerTrust?: PrinterTrust;
  /** Reads the printer's status now for the status bar, and who it is (the console wires it). */
  readonly printerWatch?: Pick<PrinterWatch, 'poll' | 'identify'>;
  /** Closes the terminal and unhooks what was wired to it. */
  close(): Promise<void>;
}

export type TerminalState =
  | { kind: 'open'; open: OpenTerminal }
  | { kind: 'reopening'; config: CashierConfig; previous: OpenTerminal | null }
  | { kind: 'closed'; config: CashierConfig; reason: 'stopped' | { error: unknown } };

/** What the rest of the core may use: the open terminal and the config in effect. */
export interface TerminalPort {
  /** The open terminal; a typed, bilingual error while it is reopened or when it is closed. */
  current(): OpenTerminal;
  /** The config in effect: the open terminal's, or the last one that opened. */
  config(): CashierConfig;
}

export interface TerminalServiceOptions {
  /** Opens a terminal for a config and wires it in; closes what it opened if it fails. */
  open(config: CashierConfig): Promise<OpenTerminal>;
  /** Neither the new nor the previous config opened: the terminal is closed. */
  onClosed?(error: unknown): void;
}

/** Why a terminal did not open, in both languages where the layer said it in both. */
function describe(error: unknown): ErrorText {
  if (error instanceof CashierError) return error.text;
  const en = error instanceof Error ? error.message : String(error);
  return { en, zh: en };
}

export class TerminalService implements TerminalPort {
  private readonly lock = new Mutex();

  private constructor(
    private readonly options: TerminalServiceOptions,
    private state: TerminalState,
  ) {}

  /** Opens the first terminal; throws if it cannot be opened (the console does not start). */
  static async open(
    config: CashierConfig,
    options: TerminalServiceOptions,
  ): Promise<TerminalService> {
    return new TerminalService(options, { kind: 'open', open: await options.open(config) });
  }

  get phase(): TerminalState['kind'] {
    return this.state.kind;
  }

  current(): OpenTerminal {
    const state = this.state;
    if (state.kind === 'open') return state.open;
    if (state.kind === 'reopening') {
      throw new ApiError('TERMINAL_REOPENING');
    }
    if (state.reason === 'stopped') {
      throw new ApiError('CONSOLE_STOPPING');
    }
    throw new ApiError(
      'TERMINAL_CLOSED',
      { why: describe(state.reason.error) },
      { cause: state.reason.error },
    );
  }

  config(): CashierConfig {
    return this.state.kind === 'open' ? this.state.open.config : this.state.config;
  }

  /**
   * Closes the terminal and opens it again from the config `next()` gives (read once nothing can
   * start on the old terminal any more). Refused while an inquiry runs. If the new config does
   * not open, the previous config's terminal is opened again and the new config's error thrown;
   * if that fails too, the terminal is closed (see current()).
   */
  reopen(next: () => Promise<CashierConfig>): Promise<void> {
    return this.lock.run(async () => {
      const state = this.state;
      const previous = state.kind === 'open' ? state.open : null;
      if (previous?.inquiries.busy) throw new ApiError('INQUIRY_RUNNING');
      const fallback = this.config();
      this.state = { kind: 'reopening', config: fallback, previous };
      let config: CashierConfig;
      try {
        config = await next();
      } catch (err) {
        // A config that cannot be read changes nothing.
        this.state = state;
        throw err;
      }
      await previous?.close().catch(() => undefined);
      try {
        this.state = { kind: 'open', open: await this.options.open(config) };
      } catch (err) {
        try {
          this.state = { kind: 'open', open: await this.options.open(fallback) };
        } catch (again) {
          this.state = { kind: 'closed', config: fallback, reason: { error: again } };
          this.options.onClosed?.(again);
        }
        throw err;
      }
    });
  }

  /** Waits for a running inquiry (after cancelling it on the PIN pad), then closes. */
  close(): Promise<void> {
    return this.lock.run(async () => {
      const state = this.state;
      this.state = { kind: 'closed', config: this.config(), reason: 'stopped' };
      if (state.kind !== 'open') return;
      const { inquiries, terminal } = state.open;
      const running = inquiries.idle();
      await terminal.pinpad.cancel().catch(() => undefined);
      await running;
      await state.open.close();
    });
  }
}
