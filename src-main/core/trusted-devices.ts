// Trusted devices: the PIN pad a supervisor approved, checked every time the pad says who it is
// (at open, at a self-test, after a replug). A different pad blocks card inquiries (and payment
// passwords) until a supervisor approves it with their password; approvals and refusals go to the
// audit trail with both identities (store/trusted-devices.ts). A supervisor may keep a list of
// approved models: a pad of another model is refused at assignment and at approval.
//
// The first identity ever seen in a mode (a new install, or an upgrade from a console without
// this check) is trusted on first use, and audited as such; from then on any change needs a
// supervisor. Assigning a pad on the Devices screen trusts the pad found on that port.
import { ApiError, type Bilingual, type PinpadTrustView } from '../contract';
import type { PinpadInfo } from '../devices/pinpad';
import type { ApprovedModel, DeviceIdentity, Store } from '../store';
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
): (keyof DeviceIdentity)[] {
  const differs: (keyof DeviceIdentity)[] = COMPARED.filter(
    (field) => trusted[field].trim() !== seen[field].trim(),
  );
  const a = trusted.keyCheckValue?.trim().toUpperCase();
  const b = seen.keyCheckValue?.trim().toUpperCase();
  if (a && b && a !== b) differs.push('keyCheckValue');
  return differs;
}

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

/** The PIN pad trust of one open terminal. */
export class PinpadTrust {
  private trusted: DeviceIdentity | null = null;
  private seen: DeviceIdentity | null = null;
  private state: PinpadTrustView['state'] = 'unknown';
  private readonly onInfo = (info: PinpadInfo) => this.check(info);
  /** First-use records still being written (tests and close wait for them). */
  private writing: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly deps: TrustDeps,
    private readonly terminal: Terminal,
    private readonly training: boolean,
  ) {}

  /** Loads the trusted identity and starts checking every identity the pad gives. */
  static async attach(deps: TrustDeps, terminal: Terminal): Promise<PinpadTrust> {
    const trust = new PinpadTrust(deps, terminal, terminal.mode === 'training');
    trust.trusted = (await deps.devices.current('pinpad', trust.training))?.identity ?? null;
    terminal.pinpad.on('info', trust.onInfo);
    deps.status.set({ pinpadReplaced: false });
    return trust;
  }

  detach(): void {
    this.terminal.pinpad.off('info', this.onInfo);
  }

  /** Written first-use records (for tests). */
  settled(): Promise<unknown> {
    return this.writing;
  }

  view(): PinpadTrustView {
    return {
      state: this.state,
      trusted: this.trusted,
      seen: this.state === 'replaced' ? this.seen : null,
      differences:
        this.state === 'replaced' && this.trusted && this.seen
          ? identityDifferences(this.trusted, this.seen)
          : [],
    };
  }

  /** Throws PINPAD_REPLACED while another pad than the trusted one answers. */
  assertTrusted(): void {
    if (this.state === 'replaced') throw new TerminalError('PINPAD_REPLACED');
  }

  private identity(info: PinpadInfo): DeviceIdentity {
    return identityOf(info, this.terminal.masterKeyCheckValue());
  }

  private check(info: PinpadInfo): void {
    const seen = this.identity(info);
    this.seen = seen;
    if (!this.trusted) {
      // Trust on first use: nothing was ever approved in this mode.
      this.trusted = seen;
      this.state = 'trusted';
      this.writing = this.deps.devices
        .trust({
          kind: 'pinpad',
          training: this.training,
          identity: seen,
          how: 'first-use',
          by: { operatorId: null, operatorNo: null },
        })
        .catch((err: unknown) => logFailure(this.deps.opsLog, 'pinpad', 'trust-failed', err));
    } else {
      const differs = identityDifferences(this.trusted, seen);
      this.state = differs.length === 0 ? 'trusted' : 'replaced';
      if (differs.length > 0) {
        this.deps.opsLog.warn('pinpad', 'replaced', {
          differs,
          trusted: this.trusted,
          seen,
        });
      }
    }
    this.deps.status.set({ pinpadReplaced: this.state === 'replaced' });
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
   * Trusts the pad that answered instead of the trusted one. Refused without the supervisor's
   * password, when nothing is waiting for approval, or when the model is not on the approved list.
   */
  async approve(supervisor: Supervisor, password: string): Promise<PinpadTrustView> {
    await this.confirm(supervisor, password);
    const seen = this.seen;
    if (this.state !== 'replaced' || !seen) throw new ApiError('NOTHING_TO_APPROVE');
    const models = await this.deps.devices.models('pinpad');
    if (!modelApproved(models, seen)) {
      throw new ApiError('PINPAD_MODEL_NOT_APPROVED', { model: `${seen.maker} ${seen.model}` });
    }
    await this.deps.devices.trust({
      kind: 'pinpad',
      training: this.training,
      identity: seen,
      how: 'approval',
      by: { operatorId: supervisor.id, operatorNo: supervisor.operatorNo },
    });
    this.trusted = seen;
    this.state = 'trusted';
    this.deps.status.set({ pinpadReplaced: false });
    return this.view();
  }

  /** Records that a supervisor refused the pad that answered; inquiries stay blocked. */
  async refuse(supervisor: Supervisor, password: string): Promise<PinpadTrustView> {
    await this.confirm(supervisor, password);
    const seen = this.seen;
    if (this.state !== 'replaced' || !seen) throw new ApiError('NOTHING_TO_APPROVE');
    await this.deps.devices.refuse({
      kind: 'pinpad',
      training: this.training,
      trusted: this.trusted,
      seen,
      by: { operatorId: supervisor.id, operatorNo: supervisor.operatorNo },
    });
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

/** The identity in one line, for messages: maker model, serial number, firmware. */
export function describeIdentity(identity: DeviceIdentity): Bilingual {
  const kcv = identity.keyCheckValue ? `, KCV ${identity.keyCheckValue}` : '';
  return {
    en: `${identity.maker} ${identity.model}, serial ${identity.serialNumber}, firmware ${identity.firmware}${kcv}`,
    zh: `${identity.maker} ${identity.model}，序列号 ${identity.serialNumber}，固件 ${identity.firmware}${kcv}`,
  };
}
