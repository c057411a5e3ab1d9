// The trusted printer in a live console, over a real serial cable (a socat pty pair) with the
// clean-room ESC/POS peer printer on the far end: the first printer's GS I identity is trusted on
// first use; the cable is pulled and another printer (another serial number) is plugged in, and
// the console notices after the replug: slips are refused with 打印机已更换，请主管确认 until a
// supervisor approves it with their password; the audit trail keeps both identities. A printer
// that does not answer GS I is "identity not reported" and prints.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorData, ApiResults, PrinterTrustView } from '../../../src-main/contract';
import { dispatchApiCall } from '../../../src-main/core/api-dispatch';
import { CashierCore, type Session } from '../../../src-main/core/cashier-core';
import { defaultConfig } from '../../../src-main/core/config';
import { PrinterTrust } from '../../../src-main/core/trusted-devices';
import {
  startPeerEscPosSerial,
  startPeerEscPosTcp,
  type PeerEscPosSerial,
} from '../../peers/escpos-printer';
import { createPtyPair, type PtyPair } from '../../support/pty';
import { SUPERVISOR } from './support/training-console';

const FIRST = { maker: 'EPSON', model: 'TM-T88V', serialNumber: 'X3A0000001', firmware: '30.01' };
const SECOND = { ...FIRST, serialNumber: 'X3A0000002' };

describe('a replaced printer on a live console (pty pair, peer printer)', () => {
  const base = `/tmp/cashier-trust-printer-${process.pid}`;
  let pty: PtyPair;
  let peer: PeerEscPosSerial;
  let live: CashierCore;
  let session: Session;
  let txId: number;

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
  /** Waits until the console's printer trust is in `state` (the watch reads every 3 s). */
  async function trustState(state: PrinterTrustView['state']): Promise<PrinterTrustView> {
    for (let i = 0; i < 200; i++) {
      const trust = live.terminals.current().printerTrust?.view();
      if (trust?.state === state) return trust;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`printer trust never became ${state}`);
  }

  beforeAll(async () => {
    pty = await createPtyPair(`${base}-host`, `${base}-dev`);
    peer = await startPeerEscPosSerial({ path: `${base}-dev`, identity: FIRST });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cashier-trust-printer-'));
    const config = defaultConfig();
    config.mode = 'live';
    // No host is used here; live mode still needs a protected link (TLS or a private line).
    config.host.privateLine = true;
    config.pinpad.port = { kind: 'serial', path: '/dev/cashier-no-such-port' };
    config.printer.target = `serial:${base}-host`;
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
    live = await CashierCore.open({ dataDir: dir, shell: 'web', version: 'test' });
    session = live.createSession();
    await run('createFirstSupervisor', SUPERVISOR);
    await run('login', { operatorNo: SUPERVISOR.operatorNo, password: SUPERVISOR.password });
    // An approved inquiry in the log, whose slip is printed below.
    txId = await live.store.transactions.begin({
      operatorId: null,
      operatorNo: SUPERVISOR.operatorNo,
      accountKind: 'card',
      maskedAccount: '622202******1234',
      entryMode: 'chip',
      training: false,
    });
    await live.store.transactions.complete(txId, {
      outcome: 'approved',
      responseCode: '00',
      rrn: '000000000001',
      availableFen: 123456,
      ledgerFen: 123456,
      durationMs: 5,
    });
  }, 30_000);

  afterAll(async () => {
    await live?.close();
    await peer?.close();
    await pty?.close();
  });

  it('trusts the first printer on first use, audited, and prints its slip', async () => {
    const trust = await trustState('trusted');
    expect(trust.trusted).toMatchObject(FIRST);
    const audit = await live.store.audit.list({ kind: 'device-approved' });
    expect(audit[0]?.detail).toMatchObject({ device: 'printer', how: 'first-use', after: FIRST });
    expect((await run('listDevices')).printer.trust).toMatchObject({
      state: 'trusted',
      trusted: FIRST,
    });
    await run('printSlip', { transactionId: txId, copy: 'customer' });
    await peer.printer.waitFor((p) => p.cuts.length === 1, 5_000);
  }, 30_000);

  it('another printer after a replug blocks slips, in both languages', async () => {
    // The cable is pulled, another printer is plugged in on it.
    await pty.unplug();
    await peer.close();
    // The watch finds no printer (the status bar says so); nothing is learnt meanwhile.
    for (let i = 0; i < 100 && live.status.snapshot().printer !== 'error'; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(live.status.snapshot().printer).toBe('error');
    expect(live.terminals.current().printerTrust?.view().state).toBe('trusted');
    await pty.replug();
    peer = await startPeerEscPosSerial({ path: `${base}-dev`, identity: SECOND });
    const trust = await trustState('replaced');
    expect(trust.seen).toMatchObject(SECOND);
    expect(trust.differences).toEqual(['serialNumber']);
    expect(live.status.snapshot().printerReplaced).toBe(true);

    const refused = await failure('printSlip', { transactionId: txId, copy: 'customer' });
    expect(refused.details?.cause).toBe('PRINTER_REPLACED');
    expect(refused.messageZh).toMatch(/^打印机已更换，请主管确认/);
    expect(refused.message).toMatch(/^Printer replaced: a supervisor must approve it/);
    expect(peer.printer.printed).toEqual([]);
  }, 60_000);

  it('a wrong password approves nothing; the supervisor’s approves it, audited with both', async () => {
    const wrong = await failure('decideReplacedPrinter', {
      decision: 'approve',
      password: 'not-my-password',
    });
    expect(wrong.messageZh).toContain('密码错误');
    const trust = await run('decideReplacedPrinter', {
      decision: 'approve',
      password: SUPERVISOR.password,
    });
    expect(trust.state).toBe('trusted');
    const [entry] = await live.store.audit.list({ kind: 'device-approved' });
    expect(entry?.operatorNo).toBe(SUPERVISOR.operatorNo);
    expect(entry?.detail).toMatchObject({
      device: 'printer',
      how: 'approval',
      before: FIRST,
      after: SECOND,
    });
    // The Audit screen's list has it, in words.
    const { entries } = await run('searchAudit', { kind: 'device-approved' });
    expect(entries[0]?.text.zh).toBe(
      '设备认可：打印机，主管确认，原设备：EPSON TM-T88V，序列号 X3A0000001，固件 30.01，' +
        '新设备：EPSON TM-T88V，序列号 X3A0000002，固件 30.01',
    );
    expect(live.status.snapshot().printerReplaced).toBe(false);
    await run('printSlip', { transactionId: txId, copy: 'customer' });
    await peer.printer.waitFor((p) => p.cuts.length === 1, 5_000);
  }, 30_000);

  it('assigning a printer on the Devices screen trusts the printer found there', async () => {
    const third = {
      maker: 'EPSON',
      model: 'TM-T20III',
      serialNumber: 'X4B0000003',
      firmware: '1.0',
    };
    const network = await startPeerEscPosTcp({ identity: third });
    try {
      await run('assignDevice', {
        kind: 'printer',
        target: `tcp:127.0.0.1:${network.port}`,
        paperWidthMm: 80,
      });
      expect(await live.store.devices.current('printer', false)).toMatchObject({
        how: 'assignment',
        approvedBy: SUPERVISOR.operatorNo,
        identity: third,
      });
      expect(network.printer.printed).toEqual([]);
    } finally {
      await network.close();
    }
  }, 30_000);
});

describe('a printer that does not answer GS I', () => {
  it('is "identity not reported": shown, logged, nothing trusted, nothing blocked', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cashier-trust-silent-'));
    const { openStore } = await import('../../../src-main/store');
    const store = await openStore(dir);
    const warned: unknown[] = [];
    const opsLog = {
      debug: () => undefined,
      info: () => undefined,
      warn: (...args: unknown[]) => warned.push(args),
      error: () => undefined,
    } as unknown as Parameters<typeof PrinterTrust.attach>[0]['opsLog'];
    const trust = await PrinterTrust.attach(
      {
        devices: store.devices,
        operators: store.operators,
        status: { set: () => undefined },
        opsLog,
        passwordMaxAgeDays: () => 0,
      },
      false,
    );
    try {
      trust.identified(null);
      trust.identified(null);
      expect(trust.view()).toMatchObject({ state: 'unreported', trusted: null, seen: null });
      expect(() => trust.assertTrusted()).not.toThrow();
      expect(warned).toHaveLength(1);
      expect(await store.devices.current('printer', false)).toBeUndefined();
      // The first printer that does say who it is is trusted on first use.
      trust.identified(FIRST);
      await trust.settled();
      expect(trust.view().state).toBe('trusted');
      expect((await store.devices.current('printer', false))?.identity).toMatchObject(FIRST);
    } finally {
      await store.close();
    }
  });
});
