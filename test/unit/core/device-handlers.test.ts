// The Devices screen's API on a training core, through the same dispatch the shells use: the
// test page reaches the printer emulator over TCP, the PIN pad test talks ABECS to the emulator
// over the in-memory cable, detection probes a real pty (socat) with an emulator on the far end,
// and assignments change config.json on disk only when the result is valid.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ApiErrorData,
  ApiResults,
  DetectedPinpadView,
  InquiryProgress,
} from '../../../src-main/contract';
import { dispatchApiCall } from '../../../src-main/core/api-dispatch';
import { CashierCore, type Session } from '../../../src-main/core/cashier-core';
import { configSchema, defaultConfig } from '../../../src-main/core/config';
import { commandOnPath } from '../../../src-main/devices/serial';
import { createPtyPair, type PtyPair } from '../../support/pty';
import {
  ABECS_EMULATOR_INFO,
  startPinpadEmulator,
  type PinpadEmulator,
} from '../../../src-main/sim/pinpad';

let core: CashierCore;
let supervisor: Session;
let cashier: Session;
let dataDir: string;
const configFile = () => path.join(dataDir, 'config.json');

async function call<M extends keyof ApiResults>(
  session: Session,
  method: M,
  args: unknown = {},
): Promise<ApiResults[M]> {
  const outcome = await dispatchApiCall(core, session, method, args);
  if (!outcome.ok) throw Object.assign(new Error(outcome.error.message), outcome.error);
  return outcome.result as ApiResults[M];
}

async function failure(
  session: Session,
  method: string,
  args: unknown = {},
): Promise<ApiErrorData> {
  const outcome = await dispatchApiCall(core, session, method, args);
  if (outcome.ok) throw new Error(`${method} should have failed`);
  return outcome.error;
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'cashier-devices-'));
  core = await CashierCore.open({ dataDir, shell: 'web', version: 'test' });
  supervisor = core.createSession();
  await call(supervisor, 'createFirstSupervisor', {
    operatorNo: '1001',
    name: 'Sup',
    password: 'Secret2026',
  });
  await call(supervisor, 'login', { operatorNo: '1001', password: 'Secret2026' });
  const sup = await core.store.operators.findByNo('1001');
  await core.store.operators.create(
    { operatorNo: '2001', name: 'Cashier', role: 'cashier', password: 'Counter2026' },
    sup!.id,
  );
  cashier = core.createSession();
  await call(cashier, 'login', { operatorNo: '2001', password: 'Counter2026' });
  // A new operator's password is the supervisor's choice: it is changed first.
  await call(cashier, 'changeOwnPassword', {
    oldPassword: 'Counter2026',
    newPassword: 'Counter2027',
  });
});

afterAll(async () => {
  await core?.close();
});

describe('device self-tests', () => {
  it('printTestPage prints the test page on the training printer', async () => {
    const printer = core.terminals.current().terminal.training!.printer;
    const before = printer.bytesReceived;
    const result = await call(cashier, 'printTestPage');
    expect(result.bytesSent).toBeGreaterThan(0);
    expect(result.target).toBe('simulated');
    expect(printer.bytesReceived).toBeGreaterThan(before);
    const text = printer.text();
    expect(text).toContain('打印机测试页');
    expect(text).toContain('收银台余额查询');
    expect(text).toContain('￥1,234.56');
  });

  it('a printer out of paper reaches the caller as its Chinese and English message', async () => {
    await call(cashier, 'trainingFault', { printer: 'paper-out' });
    try {
      const error = await failure(cashier, 'printTestPage');
      expect(error.code).toBe('PRINTER');
      expect(error.messageZh).toMatch(/打印机未就绪.*纸/);
      expect(error.message).toMatch(/paper/i);
      const devices = await call(supervisor, 'listDevices');
      expect(devices.printer.status?.ready).toBe(false);
      expect(devices.printer.status?.problems.some((p) => p.zh.includes('纸'))).toBe(true);
    } finally {
      await call(cashier, 'trainingFault', { printer: 'none' });
    }
    // Recovered: the next test page prints.
    await expect(call(cashier, 'printTestPage')).resolves.toMatchObject({ target: 'simulated' });
  });

  it('testPinpad returns the emulator info and shows the test message on the pad', async () => {
    const info = await call(cashier, 'testPinpad');
    expect(info).toEqual({
      protocol: 'abecs',
      maker: ABECS_EMULATOR_INFO.maker,
      model: ABECS_EMULATOR_INFO.model,
      serialNumber: ABECS_EMULATOR_INFO.serialNumber,
      firmware: expect.any(String),
    });
    expect(core.terminals.current().terminal.training!.pinpad.display).toEqual([
      'CASHIER CONSOLE',
      'PIN PAD TEST OK',
    ]);
    // Again, now with the pad already open.
    await expect(call(supervisor, 'testPinpad')).resolves.toMatchObject({ protocol: 'abecs' });
  });

  it('testPinpad is refused while an inquiry uses the PIN pad', async () => {
    const waiting = new Promise<void>((resolve) => {
      const off = core.on('inquiry', (p: InquiryProgress) => {
        if (p.step === 'waiting-card') {
          off();
          resolve();
        }
      });
    });
    const { inquiryId } = await call(cashier, 'startCardInquiry');
    await waiting;
    const error = await failure(supervisor, 'testPinpad');
    expect(error.code).toBe('BUSY');
    expect(error.messageZh).toContain('请等其结束后再试');
    await call(cashier, 'cancelInquiry', { inquiryId });
    await core.terminals.current().inquiries.idle();
    await expect(call(supervisor, 'testPinpad')).resolves.toMatchObject({ protocol: 'abecs' });
  });
});

describe('listDevices', () => {
  it('shows the simulated PIN pad and printer with a live printer status', async () => {
    const devices = await call(supervisor, 'listDevices');
    expect(devices.training).toBe(true);
    expect(devices.pinpad).toMatchObject({
      protocol: 'abecs',
      port: 'simulated',
      state: 'training',
    });
    expect(devices.printer).toMatchObject({ target: 'simulated', paperWidthMm: 80 });
    expect(devices.printer.status).toEqual({ ready: true, problems: [] });
    expect(Array.isArray(devices.ports)).toBe(true);
    for (const port of devices.ports) expect(typeof port.path).toBe('string');
  });
});

describe('detectPinpad over a real pty', () => {
  let pty: PtyPair;
  let emulator: PinpadEmulator;
  const base = path.join(os.tmpdir(), `cashier-detect-${process.pid}`);

  beforeAll(async () => {
    pty = await createPtyPair(`${base}-host`, `${base}-dev`);
    emulator = await startPinpadEmulator({ protocol: 'abecs', path: `${base}-dev`, cable: pty });
  });

  afterAll(async () => {
    await emulator?.close();
    await pty?.close();
  });

  it('finds ABECS on the port and reads the pad info', async () => {
    const found = await call(supervisor, 'detectPinpad', { path: `${base}-host` });
    expect(found.problem).toBeNull();
    expect(found.protocol).toBe('abecs');
    expect(found.info).toMatchObject({
      maker: ABECS_EMULATOR_INFO.maker,
      serialNumber: ABECS_EMULATOR_INFO.serialNumber,
    });
  });

  it('says in both languages when the port does not exist', async () => {
    const found = await call(supervisor, 'detectPinpad', { path: `${base}-missing` });
    expect(found.protocol).toBeNull();
    expect(found.problem?.zh).toBe('找不到该串口，请检查连接线');
  });
});

describe('assignDevice', () => {
  it('writes a valid config, audits the change and asks for a restart', async () => {
    const result = await call(supervisor, 'assignDevice', {
      kind: 'printer',
      target: 'tcp:192.0.2.10:9100',
      paperWidthMm: 58,
    });
    expect(result).toEqual({ restartNeeded: true, training: true });
    const written = configSchema.parse(JSON.parse(readFileSync(configFile(), 'utf8')));
    expect(written.printer).toEqual({ target: 'tcp:192.0.2.10:9100', paperWidthMm: 58 });
    // Running devices do not change until restart.
    expect(core.terminals.config().printer.target).toBe('simulated');

    await call(supervisor, 'assignDevice', {
      kind: 'pinpad',
      protocol: 'cn-epp',
      path: '/dev/ttyUSB0',
    });
    const again = configSchema.parse(JSON.parse(readFileSync(configFile(), 'utf8')));
    expect(again.pinpad).toMatchObject({
      protocol: 'cn-epp',
      port: { kind: 'serial', path: '/dev/ttyUSB0' },
    });
    expect(again.printer.target).toBe('tcp:192.0.2.10:9100');

    const audit = await core.store.audit.list({ kind: 'device-change' });
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({ operatorNo: '1001', detail: { device: 'pinpad' } });
    expect(audit[1]).toMatchObject({
      operatorNo: '1001',
      detail: { device: 'printer', after: { target: 'tcp:192.0.2.10:9100' } },
    });

    const devices = await call(supervisor, 'listDevices');
    expect(devices.pending).toEqual({
      pinpad: 'cn-epp /dev/ttyUSB0',
      printer: 'tcp:192.0.2.10:9100 58 mm',
    });
  });

  it('refuses an invalid device without touching the file', async () => {
    const before = readFileSync(configFile(), 'utf8');
    const badTarget = await failure(supervisor, 'assignDevice', {
      kind: 'printer',
      target: 'lpt:1',
      paperWidthMm: 80,
    });
    expect(badTarget.code).toBe('BAD_ARGUMENTS');
    expect(badTarget.messageZh).toContain('打印机地址无效');
    // Passes the argument schema, fails the config schema (an empty serial path).
    const badPath = await failure(supervisor, 'assignDevice', {
      kind: 'pinpad',
      protocol: 'abecs',
      path: '   ',
    });
    expect(badPath.code).toBe('CONFIG_INVALID');
    expect(badPath.messageZh).toContain('未保存');
    const badWidth = await failure(supervisor, 'assignDevice', {
      kind: 'printer',
      target: 'none',
      paperWidthMm: 76,
    });
    expect(badWidth.code).toBe('BAD_ARGUMENTS');
    expect(readFileSync(configFile(), 'utf8')).toBe(before);
    expect(await core.store.audit.list({ kind: 'device-change' })).toHaveLength(2);
  });
});

describe('who may do what', () => {
  it('refuses cashiers the supervisor methods', async () => {
    const before = readFileSync(configFile(), 'utf8');
    for (const [method, args] of [
      ['listDevices', {}],
      ['detectPinpad', { path: '/dev/ttyS0' }],
      ['assignDevice', { kind: 'printer', target: 'none', paperWidthMm: 80 }],
    ] as const) {
      const error = await failure(cashier, method, args);
      expect(error.code, method).toBe('FORBIDDEN');
    }
    expect(readFileSync(configFile(), 'utf8')).toBe(before);
  });

  it('refuses every device method without a login', async () => {
    const stranger = core.createSession();
    for (const method of ['listDevices', 'testPinpad', 'printTestPage']) {
      expect((await failure(stranger, method)).code, method).toBe('NOT_LOGGED_IN');
    }
  });
});

describe('detectPinpad next to a serial printer', () => {
  it('does not probe the configured printer port', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cashier-devices-printer-'));
    const config = defaultConfig();
    config.printer.target = 'serial:/dev/ttyS0@19200';
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
    const other = await CashierCore.open({ dataDir: dir, shell: 'web', version: 'test' });
    try {
      const session = other.createSession();
      const run = async (method: string, args: unknown) => {
        const outcome = await dispatchApiCall(other, session, method, args);
        if (!outcome.ok) throw Object.assign(new Error(outcome.error.message), outcome.error);
        return outcome.result;
      };
      await run('createFirstSupervisor', {
        operatorNo: '1001',
        name: 'Sup',
        password: 'Secret2026',
      });
      await run('login', { operatorNo: '1001', password: 'Secret2026' });
      const found = (await run('detectPinpad', { path: '/dev/ttyS0' })) as DetectedPinpadView;
      expect(found.protocol).toBeNull();
      expect(found.problem?.zh).toBe('该串口已配置为打印机，不作密码键盘识别。');
    } finally {
      await other.close();
    }
  });
});

describe('a live console with a PIN pad on a real pty and no printer', () => {
  const base = path.join(os.tmpdir(), `cashier-live-${process.pid}`);
  let pty: PtyPair;
  let emulator: PinpadEmulator;
  let live: CashierCore;
  let session: Session;
  const run = async <M extends keyof ApiResults>(method: M, args: unknown = {}) => {
    const outcome = await dispatchApiCall(live, session, method, args);
    if (!outcome.ok) throw Object.assign(new Error(outcome.error.message), outcome.error);
    return outcome.result as ApiResults[M];
  };

  beforeAll(async () => {
    pty = await createPtyPair(`${base}-host`, `${base}-dev`);
    emulator = await startPinpadEmulator({ protocol: 'abecs', path: `${base}-dev`, cable: pty });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cashier-devices-live-'));
    const config = defaultConfig();
    config.mode = 'live';
    // No host is used here; live mode still needs a protected link (TLS or a private line).
    config.host.privateLine = true;
    config.pinpad.port = { kind: 'serial', path: `${base}-host` };
    config.printer.target = 'none';
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
    live = await CashierCore.open({ dataDir: dir, shell: 'web', version: 'test' });
    session = live.createSession();
    await run('createFirstSupervisor', { operatorNo: '1001', name: 'Sup', password: 'Secret2026' });
    await run('login', { operatorNo: '1001', password: 'Secret2026' });
  });

  afterAll(async () => {
    await live?.close();
    await emulator?.close();
    await pty?.close();
  });

  it('lists the configured port (found by existence) and the pad before and after its test', async () => {
    const before = await run('listDevices');
    expect(before.training).toBe(false);
    expect(before.portsProblem).toBeNull();
    expect(before.ports.map((p) => p.path)).toContain(`${base}-host`);
    // Without udev (no udevadm, as on a fresh Debian or in a container) SerialPort.list() cannot
    // run; the ports then come from sysfs, and the screen is told so in both languages.
    if (process.platform === 'linux' && !(await commandOnPath('udevadm'))) {
      expect(before.portsNote?.en).toMatch(
        /^udev is not installed: ports listed from .*\/sys\/class\/tty$/,
      );
      expect(before.portsNote?.zh).toMatch(/^未安装 udev，已从 .*\/sys\/class\/tty 列出串口$/);
    }
    expect(before.pinpad).toMatchObject({ port: `${base}-host`, protocol: 'abecs' });
    expect(before.printer).toEqual({
      target: 'none',
      simulated: false,
      paperWidthMm: 80,
      status: null,
      statusProblem: null,
      // No printer, so nobody to ask GS I.
      trust: { state: 'unknown', trusted: null, seen: null, differences: [] },
    });

    const info = await run('testPinpad');
    expect(info.serialNumber).toBe(ABECS_EMULATOR_INFO.serialNumber);
    expect(emulator.display).toEqual(['CASHIER CONSOLE', 'PIN PAD TEST OK']);
    const after = await run('listDevices');
    expect(after.pinpad).toMatchObject({ health: 'connected', state: 'ready' });
  });

  it('asks the running driver when the configured port is detected', async () => {
    const found = await run('detectPinpad', { path: `${base}-host` });
    expect(found).toMatchObject({ protocol: 'abecs', problem: null });
    expect(found.info?.model).toBe(ABECS_EMULATOR_INFO.model);
  });

  it('says no printer is configured when asked for a test page', async () => {
    const outcome = await dispatchApiCall(live, session, 'printTestPage', {});
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.error.code).toBe('PRINTER');
      expect(outcome.error.messageZh).toBe('未配置打印机。');
    }
  });
});
