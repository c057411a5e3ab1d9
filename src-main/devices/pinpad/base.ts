// What both drivers share: health reporting, one command at a time, operator cancel, mapping a
// stopped call to an outcome, and reopening the session when the port comes back.
import { EventEmitter } from 'node:events';
import { SerialLink } from '../serial/link';
import { CallScope, Mutex, StoppedError } from './call';
import { PinpadError, toPinpadError } from './errors';
import type {
  CallOptions,
  Cancelled,
  PinpadEvents,
  PinpadHealth,
  PinpadInfo,
  TimedOut,
} from './types';

export abstract class PinpadBase extends EventEmitter<PinpadEvents> {
  protected readonly serial: SerialLink;
  protected readonly mutex = new Mutex();
  private currentHealth: PinpadHealth = 'disconnected';
  private active: { scope: CallScope; done: Promise<unknown> } | undefined;
  protected opened = false;

  constructor(
    readonly path: string,
    baudRate: number,
    pollMs?: number,
  ) {
    super();
    this.serial = new SerialLink({ path, baudRate, reopen: true, ...(pollMs ? { pollMs } : {}) });
    this.serial.on('lost', (error) => {
      this.setHealth('disconnected', new PinpadError('NOT_CONNECTED', error.message));
    });
    this.serial.on('reopened', () => void this.resume());
  }

  get health(): PinpadHealth {
    return this.currentHealth;
  }

  protected setHealth(state: PinpadHealth, error?: PinpadError): void {
    if (state === this.currentHealth && !error) return;
    this.currentHealth = state;
    this.emit('health', error ? { state, error } : { state });
  }

  /** Re-establishes the session after a replug (CAN/OPN, or the EPP status query). */
  protected abstract restartSession(signal: AbortSignal): Promise<void>;

  /** Asks the device who it is (GIN, or the EPP version and status). */
  protected abstract readInfo(scope: CallScope): Promise<PinpadInfo>;

  /** readInfo, then tells the listeners of 'info' who answered (at open, info(), replug). */
  protected async identify(scope: CallScope): Promise<PinpadInfo> {
    const info = await this.readInfo(scope);
    this.emit('info', info);
    return info;
  }

  /** Opens the port, aborts whatever the pad was doing, reads its info. */
  async open(options?: CallOptions): Promise<PinpadInfo> {
    if (!this.opened) {
      this.setHealth('connecting');
      try {
        await this.serial.open();
      } catch (err) {
        const error = toPinpadError(err) as PinpadError;
        this.setHealth('disconnected', error);
        throw error;
      }
      this.opened = true;
    }
    try {
      const info = await this.run(options, 10_000, async (scope) => {
        await this.restartSession(scope.signal);
        return this.identify(scope);
      });
      this.setHealth('connected');
      return info;
    } catch (err) {
      this.setHealth('error', err instanceof PinpadError ? err : undefined);
      throw err;
    }
  }

  private async resume(): Promise<void> {
    if (!this.opened) return;
    this.setHealth('connecting');
    try {
      await this.mutex.run(async () => {
        const scope = new CallScope(10_000);
        try {
          await this.restartSession(scope.signal);
          // Another pad may have been plugged in: say who answers now (trusted-device check).
          await this.identify(scope);
        } finally {
          scope.dispose();
        }
      });
      this.setHealth('connected');
    } catch (err) {
      this.setHealth(
        'error',
        err instanceof PinpadError ? err : new PinpadError('NO_RESPONSE', String(err)),
      );
    }
  }

  protected ensureOpen(): void {
    if (!this.opened) throw new PinpadError('NOT_OPEN');
    if (!this.serial.isOpen) throw new PinpadError('NOT_CONNECTED', `${this.path} is unplugged`);
  }

  /**
   * Runs one call under the mutex with its own scope. A scope stopped by the caller's timeout or
   * signal becomes `onStop(reason)`: an outcome for cardholder calls, an error for the rest.
   */
  protected run<T>(
    options: CallOptions | undefined,
    defaultTimeoutMs: number,
    task: (scope: CallScope) => Promise<T>,
    onStop?: (reason: 'timeout' | 'operator') => Promise<T>,
  ): Promise<T> {
    return this.mutex.run(async () => {
      this.ensureOpen();
      const scope = new CallScope(options?.timeoutMs ?? defaultTimeoutMs, options?.signal);
      const done = (async () => {
        try {
          return await task(scope);
        } catch (err) {
          if (err instanceof StoppedError) {
            if (onStop) return await onStop(err.reason);
            throw new PinpadError(err.reason === 'timeout' ? 'TIMEOUT' : 'ABORTED');
          }
          throw toPinpadError(err);
        } finally {
          scope.dispose();
        }
      })();
      this.active = { scope, done };
      try {
        const result = await done;
        // A pad that answers again after link trouble is healthy again.
        if (this.currentHealth === 'error') this.setHealth('connected');
        return result;
      } catch (err) {
        if (err instanceof PinpadError && (err.code === 'NO_RESPONSE' || err.code === 'PROTOCOL')) {
          this.setHealth('error', err);
        }
        throw err;
      } finally {
        this.active = undefined;
      }
    });
  }

  /** Stops the running cardholder call, which then resolves as cancelled by the operator. */
  async cancel(options?: CallOptions): Promise<void> {
    const active = this.active;
    if (active) {
      active.scope.stop('operator');
      await active.done.catch(() => undefined);
      return;
    }
    await this.run(options, 10_000, (scope) => this.abortDevice(scope.signal));
  }

  /** Makes the pad drop whatever it is doing (CAN/EOT, or the EPP cancel-input control). */
  protected abstract abortDevice(signal: AbortSignal): Promise<void>;

  /** After a stopped cardholder call: abort on the device, report the outcome. */
  protected async stopOutcome(reason: 'timeout' | 'operator'): Promise<Cancelled | TimedOut> {
    const scope = new CallScope(10_000);
    try {
      await this.abortDevice(scope.signal);
    } finally {
      scope.dispose();
    }
    return reason === 'timeout' ? { outcome: 'timeout' } : { outcome: 'cancelled', by: 'operator' };
  }
}
