// Trusted devices: the PIN pad a supervisor approved, checked every time the pad says who it is
// (at open, at a self-test, after a replug). A different pad blocks card inquiries (and payment
// passwords) until a supervisor approves it with their password; approvals and refusals go to the
// audit trail with both identities (store/trusted-devices.ts). A supervisor may keep a list of
// approved models: a pad of another model is refused at assignment and at approval. The printer
// is checked the same way from its GS I answers; another printer blocks slips only.
//
// The first identity ever seen in a mode (a new install, or an upgrade from a console without
// this check) is trusted on first use, and audited as such; from then on any change needs a
// supervisor. Assigning a pad on the Devices screen trusts the pad found on that port.
import { ApiError, type Bilingual, type PinpadTrustView, type PrinterTrustView } from '../contract';
import type { PinpadInfo } from '../devices/pinpad';
import type { PrinterIdentityFields } from '../protocols/escpos';
import type { ApprovedModel, DeviceIdentity, Store, TrustedDeviceKind } from '../store';
import { logFailure, type OpsLog } from './ops-log';
import type { StatusBoard } from './status';
import { TerminalError, type Terminal } from './terminal/types';

export type { DeviceIdentity } from '../store';

/** The identity a pad's info gives; `keyCheckValue` only for a pad that holds its keys. */
export function identityOf(info: PinpadInfo, keyCheckValue: string | null): DeviceIdentity {
  return {
    maker: info.maker.trim(),
    model: info.model.trim(),
    serialNumber: info.serialNumber.trim(),
    firmware: info.firmware.trim(),
    keyCheckValue: info.capabilities.keyLoading ? (keyCheckValue ?? null) : null,
  };
}

const COMPARED = ['maker', 'model', 'serialNumber', 'firmware'] as const;

/**
 * The fields in which `seen` differs from `trusted` (empty: the same device). Maker, model,
 * serial number and firmware must match exactly (a firmware change is a change of device as far
 * as trust goes); the key check value counts only when both sides have one (before the first
 * key injection a pad has none).
 */
export function identityDifferences(
  trusted: DeviceIdentity,
  seen: DeviceIdentity,
  compared: readonly (keyof DeviceIdentity & (typeof COMPARED)[number])[] = COMPARED,
): (keyof DeviceIdentity)[] {
  const differs: (keyof DeviceIdentity)[] = compared.filter(
    (field) => trusted[field].trim() !== seen[field].trim(),
  );
  const a = trusted.keyCheckValue?.trim().toUpperCase();
  const b = seen.keyCheckValue?.trim().toUpperCase();
  if (a && b && a !== b) differs.push('keyCheckValue');
  return differs;
}

/** A printer is another printer when its maker, model or serial number differs; a firmware
 *  update of the same printer is not a replacement (it is shown, and recorded at the next
 *  approval). */
const PRINTER_COMPARED = ['maker', 'model', 'serialNumber'] as const;

const squash = (text: string) => text.trim().replace(/\s+/g, ' ').toUpperCase();

/** No list kept: every model is allowed. Otherwise maker and model must be on it (case and
 *  spacing aside). */
export function modelApproved(
  models: readonly Pick<ApprovedModel, 'maker' | 'model'>[],
  identity: Pick<DeviceIdentity, 'maker' | 'model'>,
): boolean {
  if (models.length === 0) return true;
  return models.some(
    (m) => squash(m.maker) === squash(identity.maker) && squash(m.model) === squash(identity.model),
  );
}

export interface TrustDeps {
  devices: Store['devices'];
  operators: Pick<Store['operators'], 'authenticate'>;
  status: Pick<StatusBoard, 'set'>;
  opsLog: OpsLog;
  passwordMaxAgeDays: () => number;
}

interface Supervisor {
  id: number;
  operatorNo: string;
}

type TrustState = PrinterTrustView['state'];

/**
 * The trust of one device kind in one open terminal: the identity trusted, the one seen last,
 * and the supervisor's approval or refusal. The PIN pad and the printer differ only in how they
 * say who they are, which fields make another device, and what is blocked meanwhile.
 */
abstract class DeviceTrust {
  protected trusted: DeviceIdentity | null = null;
  protected seen: DeviceIdentity | null = null;
  protected state: TrustState = 'unknown';
  /** First-use records still being written (tests and close wait for them). */
  private writing: Promise<unknown> = Promise.resolve();

  protected constructor(
    protected readonly deps: TrustDeps,
    protected readonly kind: TrustedDeviceKind,
    protected readonly training: boolean,
    private readonly compared: readonly (typeof COMPARED)[number][],
  ) {}

  /** Loads the identity trusted in this mode. */
  protected async load(): Promise<void> {
    this.trusted = (await this.deps.devices.current(this.kind, this.training))?.identity ?? null;
    this.showState();
  }

  /** Tells the status bar whether this device waits for a supervisor. */
  protected abstract showState(): void;

  private nothingToApprove(): ApiError {
    return new ApiError(
      this.kind === 'printer' ? 'PRINTER_NOTHING_TO_APPROVE' : 'NOTHING_TO_APPROVE',
    );
  }

  /** Written first-use records (for tests). */
  settled(): Promise<unknown> {
    return this.writing;
  }

  protected differences(): (keyof DeviceIdentity)[] {
    return this.trusted && this.seen
      ? identityDifferences(this.trusted, this.seen, this.compared)
      : [];
  }

  protected trustView(): PrinterTrustView {
    const replaced = this.state === 'replaced';
    return {
      state: this.state,
      trusted: this.trusted,
      seen: replaced ? this.seen : null,
      differences: replaced ? this.differences() : [],
    };
  }

  /** Compares who answered with the trusted identity (the first one ever is trusted). */
  protected check(seen: DeviceIdentity): void {
    this.seen = seen;
    if (!this.trusted) {
      // Trust on first use: nothing was ever approved in this mode.
      this.trusted = seen;
      this.state = 'trusted';
      this.writing = this.deps.devices
        .trust({
          kind: this.kind,
          training: this.training,
          identity: seen,
          how: 'first-use',
          by: { operatorId: null, operatorNo: null },
        })
        .catch((err: unknown) => logFailure(this.deps.opsLog, this.kind, 'trust-failed', err));
    } else {
      const differs = this.differences();
      this.state = differs.length === 0 ? 'trusted' : 'replaced';
      if (differs.length > 0) {
        this.deps.opsLog.warn(this.kind, 'replaced', { differs, trusted: this.trusted, seen });
      }
    }
    this.showState();
  }

  /** The supervisor's password again, as at login (wrong ones count towards the lock). */
  private async confirm(supervisor: Supervisor, password: string): Promise<void> {
    const auth = await this.deps.operators.authenticate(supervisor.operatorNo, password, {
      passwordMaxAgeDays: this.deps.passwordMaxAgeDays(),
    });
    if (!auth.ok || auth.operator.id !== supervisor.id) {
      throw new ApiError('DEVICE_APPROVAL_PASSWORD');
    }
  }

  /**
   * Trusts the device that answered instead of the trusted one. Refused without the supervisor's
   * password, when nothing is waiting for approval, or when the model is not on the approved list.
   */
  protected async approveSeen(supervisor: Supervisor, password: string): Promise<void> {
    await this.confirm(supervisor, password);
    const seen = this.seen;
    if (this.state !== 'replaced' || !seen) throw this.nothingToApprove();
    const models = await this.deps.devices.models(this.kind);
    if (!modelApproved(models, seen)) {
      throw new ApiError('PINPAD_MODEL_NOT_APPROVED', { model: `${seen.maker} ${seen.model}` });
    }
    await this.deps.devices.trust({
      kind: this.kind,
      training: this.training,
      identity: seen,
      how: 'approval',
      by: { operatorId: supervisor.id, operatorNo: supervisor.operatorNo },
    });
    this.trusted = seen;
    this.state = 'trusted';
    this.showState();
  }

  /** Records that a supervisor refused the device that answered; it stays blocked. */
  protected async refuseSeen(supervisor: Supervisor, password: string): Promise<void> {
    await this.confirm(supervisor, password);
    const seen = this.seen;
    if (this.state !== 'replaced' || !seen) throw this.nothingToApprove();
    await this.deps.devices.refuse({
      kind: this.kind,
      training: this.training,
      trusted: this.trusted,
      seen,
      by: { operatorId: supervisor.id, operatorNo: supervisor.operatorNo },
    });
  }
}

/** The PIN pad trust of one open terminal. */
export class PinpadTrust extends DeviceTrust {
  private readonly onInfo = (info: PinpadInfo) => this.check(this.identity(info));

  private constructor(
    deps: TrustDeps,
    private readonly terminal: Terminal,
  ) {
    super(deps, 'pinpad', terminal.mode === 'training', COMPARED);
  }

  /** Loads the trusted identity and starts checking every identity the pad gives. */
  static async attach(deps: TrustDeps, terminal: Terminal): Promise<PinpadTrust> {
    const trust = new PinpadTrust(deps, terminal);
    await trust.load();
    terminal.pinpad.on('info', trust.onInfo);
    return trust;
  }

  detach(): void {
    this.terminal.pinpad.off('info', this.onInfo);
  }

  protected showState(): void {
    this.deps.status.set({ pinpadReplaced: this.state === 'replaced' });
  }

  view(): PinpadTrustView {
    const view = this.trustView();
    // A pad always says who it is when it opens: never 'unreported'.
    return { ...view, state: view.state === 'unreported' ? 'unknown' : view.state };
  }

  /** Throws PINPAD_REPLACED while another pad than the trusted one answers. */
  assertTrusted(): void {
    if (this.state === 'replaced') throw new TerminalError('PINPAD_REPLACED');
  }

  private identity(info: PinpadInfo): DeviceIdentity {
    return identityOf(info, this.terminal.masterKeyCheckValue());
  }

  async approve(supervisor: Supervisor, password: string): Promise<PinpadTrustView> {
    await this.approveSeen(supervisor, password);
    return this.view();
  }

  async refuse(supervisor: Supervisor, password: string): Promise<PinpadTrustView> {
    await this.refuseSeen(supervisor, password);
    return this.view();
  }

  /** A pad assigned on the Devices screen (a serial port: a live pad, whatever the mode now):
   *  trusted from now on (the assignment is audited). */
  async assigned(identity: DeviceIdentity, supervisor: Supervisor): Promise<void> {
    await this.deps.devices.trust({
      kind: 'pinpad',
      training: false,
      identity,
      how: 'assignment',
      by: { operatorId: supervisor.id, operatorNo: supervisor.operatorNo },
    });
  }
}

/**
 * The printer trust of one open terminal, fed by GS I readings (printer-watch.ts reads at open
 * and after every replug). Another printer (maker, model or serial number) blocks slips, not
 * inquiries, until a supervisor approves it. A printer that does not answer GS I (many clones,
 * a spooler) is "identity not reported": shown and logged, not blocked, as there is nothing to
 * compare.
 */
export class PrinterTrust extends DeviceTrust {
  private constructor(deps: TrustDeps, training: boolean) {
    super(deps, 'printer', training, PRINTER_COMPARED);
  }

  static async attach(deps: TrustDeps, training: boolean): Promise<PrinterTrust> {
    const trust = new PrinterTrust(deps, training);
    await trust.load();
    return trust;
  }

  protected showState(): void {
    this.deps.status.set({ printerReplaced: this.state === 'replaced' });
  }

  /** What a GS I reading found: the printer's identity, or null when it did not answer. */
  identified(fields: PrinterIdentityFields | null): void {
    if (fields) {
      this.check(printerIdentityOf(fields));
      return;
    }
    if (this.state !== 'unreported') {
      this.deps.opsLog.warn('printer', 'identity-not-reported', { trusted: this.trusted });
    }
    this.seen = null;
    this.state = 'unreported';
    this.showState();
  }

  view(): PrinterTrustView {
    return this.trustView();
  }

  /** Throws PRINTER_REPLACED while another printer than the trusted one answers. */
  assertTrusted(): void {
    if (this.state === 'replaced') throw new TerminalError('PRINTER_REPLACED');
  }

  async approve(supervisor: Supervisor, password: string): Promise<PrinterTrustView> {
    await this.approveSeen(supervisor, password);
    return this.view();
  }

  async refuse(supervisor: Supervisor, password: string): Promise<PrinterTrustView> {
    await this.refuseSeen(supervisor, password);
    return this.view();
  }
}

/** The identity a printer's GS I answers give (no key check value: a printer holds no keys). */
export function printerIdentityOf(fields: PrinterIdentityFields): DeviceIdentity {
  return {
    maker: fields.maker.trim(),
    model: fields.model.trim(),
    serialNumber: fields.serialNumber.trim(),
    firmware: fields.firmware.trim(),
    keyCheckValue: null,
  };
}

/** The identity in one line, for messages: maker model, serial number, firmware. */
export function describeIdentity(identity: DeviceIdentity): Bilingual {
  const kcv = identity.keyCheckValue ? `, KCV ${identity.keyCheckValue}` : '';
  return {
    en: `${identity.maker} ${identity.model}, serial ${identity.serialNumber}, firmware ${identity.firmware}${kcv}`,
    zh: `${identity.maker} ${identity.model}，序列号 ${identity.serialNumber}，固件 ${identity.firmware}${kcv}`,
  };
}
