// Trusted devices: the identity comparison and the approved models list as rules, then the whole
// console: a training console whose simulated PIN pad is replaced (another serial number, through
// a real unplug and replug of its cable) blocks card inquiries until a supervisor approves it with
// their password, and the audit trail keeps both identities; a live console refuses to assign a
// pad (on a real pty, socat) whose model is not on the approved list.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorData, ApiResults, PinpadTrustView } from '../../../src-main/contract';
import { dispatchApiCall } from '../../../src-main/core/api-dispatch';
import { CashierCore, type Session } from '../../../src-main/core/cashier-core';
import { defaultConfig } from '../../../src-main/core/config';
import {
  identityDifferences,
  identityOf,
  modelApproved,
} from '../../../src-main/core/trusted-devices';
import { createPinpad, type PinpadInfo } from '../../../src-main/devices/pinpad';
import {
  ABECS_EMULATOR_INFO,
  CN_EPP_EMULATOR_STATUS,
  startPinpadEmulator,
  type PinpadEmulator,
} from '../../../src-main/sim/pinpad';
import { createPtyPair, type PtyPair } from '../../support/pty';
import { openTrainingConsole, SUPERVISOR, type TrainingConsole } from './support/training-console';

const PAD = {
  maker: 'CASHIER TRAINING',
  model: 'ABECS-EMU',
  serialNumber: 'EMU0000000000001',
  firmware: 'EMU-OS 1.0 / 001.00 261123',
  keyCheckValue: null,
};

describe('identity comparison', () => {
  it('finds no difference for the same pad, whatever the spacing', () => {
    expect(identityDifferences(PAD, { ...PAD, model: ' ABECS-EMU ' })).toEqual([]);
  });

  it('names each field that differs: serial number, firmware, maker, model', () => {
    expect(identityDifferences(PAD, { ...PAD, serialNumber: 'EMU-REPLACED-02' })).toEqual([
      'serialNumber',
    ]);
    expect(identityDifferences(PAD, { ...PAD, firmware: 'EMU-OS 1.1' })).toEqual(['firmware']);
    expect(identityDifferences(PAD, { ...PAD, maker: 'PAX', model: 'SP30' })).toEqual([
      'maker',
      'model',
    ]);
  });

  it('compares the TMK check value only when both sides have one', () => {
    const withKey = { ...PAD, keyCheckValue: '721886D2' };
    expect(identityDifferences(PAD, withKey)).toEqual([]);
    expect(identityDifferences(withKey, { ...withKey, keyCheckValue: '721886d2' })).toEqual([]);
    expect(identityDifferences(withKey, { ...withKey, keyCheckValue: '0A1B2C3D' })).toEqual([
      'keyCheckValue',
    ]);
  });

  it('keeps the TMK check value only for a pad that holds its keys', () => {
    const info = (keyLoading: boolean): PinpadInfo =>
      ({
        protocol: keyLoading ? 'cn-epp' : 'abecs',
        maker: ' M ',
        model: 'X',
        serialNumber: 'S1',
        firmware: 'F',
        capabilities: { keyLoading },
      }) as PinpadInfo;
    expect(identityOf(info(true), '721886D2')).toMatchObject({
      maker: 'M',
      keyCheckValue: '721886D2',
    });
    expect(identityOf(info(false), '721886D2').keyCheckValue).toBeNull();
  });
});

describe('approved models list', () => {
  it('allows every model while no list is kept', () => {
    expect(modelApproved([], PAD)).toBe(true);
  });

  it('allows a listed model (case and spacing aside) and refuses any other', () => {
    const list = [{ maker: 'Cashier  Training', model: 'abecs-emu' }];
    expect(modelApproved(list, PAD)).toBe(true);
    expect(modelApproved(list, { maker: 'CASHIER TRAINING', model: 'ZT598-EMU' })).toBe(false);
    expect(modelApproved(list, { maker: 'PAX', model: 'ABECS-EMU' })).toBe(false);
  });
});

describe('the emulators report another serial number when asked', () => {
  for (const protocol of ['abecs', 'cn-epp'] as const) {
    it(`${protocol}: from its options, and after replace()`, async () => {
      const base = `/tmp/cashier-serial-${protocol}-${process.pid}`;
      const pty: PtyPair = await createPtyPair(`${base}-host`, `${base}-dev`);
      const emulator = await startPinpadEmulator({
        protocol,
        path: `${base}-dev`,
        cable: pty,
        serialNumber: 'SN-TEST-0042',
      });
      const pad = createPinpad({ protocol, path: `${base}-host` });
      try {
        expect((await pad.open()).serialNumber).toBe('SN-TEST-0042');
        // Another pad on the same cable: the driver reads who answers after the replug.
        const seen = new Promise<PinpadInfo>((resolve) => pad.once('info', resolve));
        await emulator.replace('SN-TEST-0043');
        expect((await seen).serialNumber).toBe('SN-TEST-0043');
        const original =
          protocol === 'abecs' ? ABECS_EMULATOR_INFO.model : CN_EPP_EMULATOR_STATUS.model;
        expect((await pad.info()).model).toBe(original);
      } finally {
        await pad.close().catch(() => undefined);
        await emulator.close();
        await pty.close();
      }
      // A replug waits for the port to come back (polled): slow on a busy machine.
    }, 45_000);
  }

  it('refuses a serial number the pads cannot report', async () => {
    await expect(
      startPinpadEmulator({
        protocol: 'abecs',
        path: '/nonexistent',
        serialNumber: 'x'.repeat(21),
      }),
    ).rejects.toThrow(/serial number/);
  });
});

describe('a replaced PIN pad in a training console', () => {
  let tc: TrainingConsole;

  beforeAll(async () => {
    tc = await openTrainingConsole('trust');
  });
  afterAll(async () => {
    await tc?.close();
  });

  /** Waits until the console has checked the pad in `state`. */
  async function trustState(state: PinpadTrustView['state']): Promise<PinpadTrustView> {
    for (let i = 0; i < 100; i++) {
      const devices = await tc.call<ApiResults['listDevices']>(tc.supervisor, 'listDevices');
      if (devices.pinpad.trust.state === state) return devices.pinpad.trust;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`PIN pad trust never became ${state}`);
  }

  it('trusts the first pad it sees, and audits that as first use', async () => {
    const trust = await trustState('trusted');
    expect(trust.trusted).toMatchObject({ serialNumber: ABECS_EMULATOR_INFO.serialNumber });
    await tc.core.terminals.current().pinpadTrust?.settled();
    const audit = await tc.core.store.audit.list({ kind: 'device-approved' });
    // The simulated printer's first GS I identity is trusted on first use too (its own entry).
    const pad = audit.find((e) => e.detail?.device === 'pinpad');
    expect(pad?.detail).toMatchObject({ device: 'pinpad', how: 'first-use', before: null });
  });

  it('blocks card inquiries once another pad answers, in both languages', async () => {
    await tc.call(tc.supervisor, 'trainingFault', { pinpad: 'replaced' });
    const trust = await trustState('replaced');
    expect(trust.seen).toMatchObject({ serialNumber: 'EMU-REPLACED-02' });
    expect(trust.differences).toEqual(['serialNumber']);
    expect(tc.core.status.snapshot().pinpadReplaced).toBe(true);
    const refused = await tc.refused(tc.supervisor, 'startCardInquiry');
    expect(refused.details?.cause).toBe('PINPAD_REPLACED');
    expect(refused.messageZh).toMatch(/^密码键盘已更换，请主管确认/);
    expect(refused.message).toMatch(/^PIN pad replaced: a supervisor must approve it/);
  });

  it('refuses an approval with a wrong password, and a model not on the list', async () => {
    const wrong = await tc.refused(tc.supervisor, 'decideReplacedPinpad', {
      decision: 'approve',
      password: 'not-my-password',
    });
    expect(wrong.messageZh).toContain('密码错误');
    const models = await tc.call<ApiResults['addApprovedModel']>(
      tc.supervisor,
      'addApprovedModel',
      { maker: 'PAX', model: 'SP30', note: 'PCI PTS 5.x' },
    );
    const notListed = await tc.refused(tc.supervisor, 'decideReplacedPinpad', {
      decision: 'approve',
      password: SUPERVISOR.password,
    });
    expect(notListed.messageZh).toContain('不在已批准型号清单中');
    await tc.call(tc.supervisor, 'removeApprovedModel', { id: models[0]!.id });
    expect((await tc.refused(tc.supervisor, 'startCardInquiry')).details?.cause).toBe(
      'PINPAD_REPLACED',
    );
  });

  it('records a refusal with both identities and stays blocked', async () => {
    await tc.call(tc.supervisor, 'decideReplacedPinpad', {
      decision: 'refuse',
      password: SUPERVISOR.password,
    });
    const [entry] = await tc.core.store.audit.list({ kind: 'device-refused' });
    expect(entry?.operatorNo).toBe(SUPERVISOR.operatorNo);
    expect(entry?.detail).toMatchObject({
      device: 'pinpad',
      trusted: { model: 'ABECS-EMU', firmware: PAD.firmware },
      seen: { serialNumber: 'EMU-REPLACED-02' },
    });
    expect((await tc.refused(tc.supervisor, 'startCardInquiry')).details?.cause).toBe(
      'PINPAD_REPLACED',
    );
  });

  it('lets inquiries run once a supervisor approves, and audits both identities', async () => {
    const trust = await tc.call<PinpadTrustView>(tc.supervisor, 'decideReplacedPinpad', {
      decision: 'approve',
      password: SUPERVISOR.password,
    });
    expect(trust.state).toBe('trusted');
    const [entry] = await tc.core.store.audit.list({ kind: 'device-approved' });
    expect(entry?.operatorNo).toBe(SUPERVISOR.operatorNo);
    expect(entry?.detail).toMatchObject({
      how: 'approval',
      before: { model: 'ABECS-EMU' },
      after: { serialNumber: 'EMU-REPLACED-02', model: 'ABECS-EMU' },
    });
    expect(tc.core.status.snapshot().pinpadReplaced).toBe(false);
    const { inquiryId } = await tc.call<{ inquiryId: number }>(tc.supervisor, 'startCardInquiry');
    expect(inquiryId).toBeGreaterThan(0);
    await tc.call(tc.supervisor, 'cancelInquiry', { inquiryId });
    await tc.core.terminals.current().inquiries.idle();
  });

  it('asks again when the original pad comes back (it is now the other one)', async () => {
    await tc.call(tc.supervisor, 'trainingFault', { pinpad: 'original' });
    const trust = await trustState('replaced');
    expect(trust.seen?.serialNumber).toBe(ABECS_EMULATOR_INFO.serialNumber);
  });
});

describe('assigning a PIN pad on a live console', () => {
  const base = `/tmp/cashier-trust-live-${process.pid}`;
  let pty: PtyPair;
  let emulator: PinpadEmulator;
  let live: CashierCore;
  let session: Session;

  async function failure(method: string, args: unknown = {}): Promise<ApiErrorData> {
    const outcome = await dispatchApiCall(live, session, method, args);
    if (outcome.ok) throw new Error(`${method} should have failed`);
    return outcome.error;
  }
  async function run<M extends keyof ApiResults>(method: M, args: unknown = {}) {
    const outcome = await dispatchApiCall(live, session, method, args);
    if (!outcome.ok) throw Object.assign(new Error(outcome.error.message), outcome.error);
    return outcome.result as ApiResults[M];
  }

  beforeAll(async () => {
    pty = await createPtyPair(`${base}-host`, `${base}-dev`);
    emulator = await startPinpadEmulator({ protocol: 'abecs', path: `${base}-dev`, cable: pty });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cashier-trust-live-'));
    const config = defaultConfig();
    config.mode = 'live';
    // No host is used here; live mode still needs a protected link (TLS or a private line).
    config.host.privateLine = true;
    config.pinpad.port = { kind: 'serial', path: '/dev/cashier-no-such-port' };
    config.printer.target = 'none';
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
    live = await CashierCore.open({ dataDir: dir, shell: 'web', version: 'test' });
    session = live.createSession();
    await run('createFirstSupervisor', SUPERVISOR);
    await run('login', { operatorNo: SUPERVISOR.operatorNo, password: SUPERVISOR.password });
  });

  afterAll(async () => {
    await live?.close();
    await emulator?.close();
    await pty?.close();
  });

  it('refuses a pad whose model is not on the approved list, and saves nothing', async () => {
    await run('addApprovedModel', { maker: 'PAX', model: 'SP30' });
    const refused = await failure('assignDevice', {
      kind: 'pinpad',
      protocol: 'abecs',
      path: `${base}-host`,
    });
    expect(refused.messageZh).toBe(
      '密码键盘型号 CASHIER TRAINING ABECS-EMU 不在已批准型号清单中，请使用清单内的型号，或先将其加入清单。',
    );
    expect(refused.message).toContain('not on the approved models list');
    expect(live.terminals.config().pinpad.port).toEqual({
      kind: 'serial',
      path: '/dev/cashier-no-such-port',
    });
    expect(await live.store.devices.current('pinpad', false)).toBeUndefined();
  });

  it('assigns a listed model and trusts the pad it found there', async () => {
    await run('addApprovedModel', { maker: 'Cashier Training', model: 'ABECS-EMU' });
    await run('assignDevice', { kind: 'pinpad', protocol: 'abecs', path: `${base}-host` });
    const trusted = await live.store.devices.current('pinpad', false);
    expect(trusted).toMatchObject({
      how: 'assignment',
      approvedBy: SUPERVISOR.operatorNo,
      identity: { serialNumber: ABECS_EMULATOR_INFO.serialNumber, model: 'ABECS-EMU' },
    });
  });

  it('after Apply now the assigned pad is open at once, and trusted (not "not open")', async () => {
    expect((await run('listDevices')).pending.pinpad).toBe(`abecs ${base}-host`);
    await run('applyChanges');
    for (let i = 0; i < 100; i++) {
      const { pinpad } = await run('listDevices');
      if (pinpad.health === 'connected' && pinpad.trust.state === 'trusted') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const after = await run('listDevices');
    expect(after.pending).toEqual({ pinpad: null, printer: null });
    expect(after.pinpad).toMatchObject({
      port: `${base}-host`,
      health: 'connected',
      state: 'ready',
      trust: { state: 'trusted' },
    });
    expect(live.status.snapshot()).toMatchObject({ pinpad: 'ready', pinpadReplaced: false });
  });
});
