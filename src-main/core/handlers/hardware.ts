// Handlers of the hardware channel: list the serial ports and the configured devices with their
// status, find out what a port speaks, test the PIN pad and the printer, and assign a device in
// config.json (applied when the terminal opens again: its drivers are built from the config).
import {
  ApiError,
  type Bilingual,
  type DetectedPinpadView,
  type DeviceState,
  type hardwareChannel,
  type DevicesView,
  type PinpadInfoView,
  type PinpadTrustView,
  type ApprovedModelView,
  type SerialPortView,
} from '../../contract';
import {
  createPinpad,
  detectPinpadProtocol,
  isPinpadProtocol,
  PINPAD_DRIVERS,
  type PinpadHealth,
  type PinpadInfo,
  type PinpadProtocol,
} from '../../devices/pinpad';
import {
  formatPrinterTarget,
  getPrinterStatus,
  parsePrinterTarget,
  printSlip,
  PrinterError,
  readPrinterIdentity,
} from '../../devices/printer';
import { listingError, listSerialPorts } from '../../devices/serial';
import type { ApprovedModel, DeviceIdentity, Store } from '../../store';
import { identityOf, modelApproved, printerIdentityOf } from '../trusted-devices';
import { ConfigError, type CashierConfig } from '../config';
import type { Settings } from '../settings';
import { renderTestPage } from '../slip';
import type { StatusBoard } from '../status';
import type { OpenTerminal, TerminalPort } from '../terminal/service';
import { toApiError } from '../errors';
import type { ChannelHandlers } from './types';

export interface HardwareDeps {
  terminals: TerminalPort;
  audit: Store['audit'];
  /** Trusted identities and the approved models list. */
  devices: Store['devices'];
  settings: Pick<Settings, 'update'>;
  status: Pick<StatusBoard, 'set'>;
}

const UNKNOWN_TRUST: PinpadTrustView = {
  state: 'unknown',
  trusted: null,
  seen: null,
  differences: [],
};

function modelView(model: ApprovedModel): ApprovedModelView {
  return {
    id: model.id,
    maker: model.maker,
    model: model.model,
    note: model.note,
    addedAt: model.addedAt,
    addedBy: model.addedBy,
  };
}

const HEALTH_STATE: Record<PinpadHealth, DeviceState> = {
  connected: 'ready',
  connecting: 'busy',
  error: 'error',
  disconnected: 'missing',
};

/** Shown on the pad's own display (2 x 16 Latin-1; Chinese belongs on the PC screen). */
const PAD_TEST_LINES = ['CASHIER CONSOLE', 'PIN PAD TEST OK'] as const;

function infoView(info: PinpadInfo): PinpadInfoView {
  return {
    protocol: info.protocol,
    maker: info.maker,
    model: info.model,
    serialNumber: info.serialNumber,
    firmware: info.firmware,
  };
}

/** Any error from the layers below as two-language text for the screen: its own words (a serial
 *  port's failure is a SerialError already, see devices/serial/errors.ts). */
function bilingual(err: unknown): Bilingual {
  return toApiError(err).text;
}

function busy(): ApiError {
  return new ApiError('DEVICE_TEST_RUNNING');
}

function noPrinter(): ApiError {
  return new ApiError('NO_PRINTER');
}

/** Checks a printer target as typed on the Devices screen. */
function checkedPrinterTarget(target: string): string {
  const trimmed = target.trim();
  if (trimmed === 'none' || trimmed === 'simulated') return trimmed;
  try {
    return formatPrinterTarget(parsePrinterTarget(trimmed)).replace(/@9600$/, '');
  } catch (err) {
    if (err instanceof PrinterError) throw new ApiError({ code: 'BAD_ARGUMENTS', from: err });
    throw err;
  }
}

function configuredPinpadPort(config: CashierConfig): string {
  return config.pinpad.port.kind === 'serial' && config.mode !== 'training'
    ? config.pinpad.port.path
    : 'simulated';
}

/** The serial path of the configured printer (as in config.json), if it is on a serial port. */
function configuredPrinterPort(config: CashierConfig): string | null {
  if (!config.printer.target.startsWith('serial:')) return null;
  try {
    const target = parsePrinterTarget(config.printer.target);
    return target.kind === 'serial' ? target.path : null;
  } catch {
    return null;
  }
}

export function hardwareHandlers(deps: HardwareDeps): ChannelHandlers<typeof hardwareChannel> {
  const { terminals, status } = deps;
  /** Devices assigned since the terminal was opened: they apply when it opens again. */
  let pending: { for: OpenTerminal | null; devices: DevicesView['pending'] } = {
    for: null,
    devices: { pinpad: null, printer: null },
  };
  let testing = false;

  function pendingFor(open: OpenTerminal): DevicesView['pending'] {
    if (pending.for !== open) pending = { for: open, devices: { pinpad: null, printer: null } };
    return pending.devices;
  }

  /** One device test at a time, and never while an inquiry uses the PIN pad. */
  async function exclusive<T>(open: OpenTerminal, run: () => Promise<T>): Promise<T> {
    if (testing || open.inquiries.busy) throw busy();
    testing = true;
    try {
      return await run();
    } finally {
      testing = false;
    }
  }

  async function printerStatus(open: OpenTerminal): Promise<DevicesView['printer']> {
    const { config, terminal } = open;
    const training = config.mode === 'training';
    const base = {
      target: config.printer.target,
      // Training prints on the built-in simulator whatever target is saved for live mode.
      simulated: training && terminal.printer !== null,
      paperWidthMm: config.printer.paperWidthMm,
      trust: open.printerTrust?.view() ?? UNKNOWN_TRUST,
    };
    if (!terminal.printer) return { ...base, status: null, statusProblem: null };
    try {
      const report = await getPrinterStatus(terminal.printer, {
        connectTimeoutMs: 2_000,
        statusTimeoutMs: 1_000,
      });
      const problem = report.problems.find((p) => p.severity !== 'info');
      status.set({
        printer: report.ready ? (training ? 'training' : 'ready') : 'error',
        printerProblem: problem?.code ?? null,
      });
      return {
        ...base,
        status: {
          ready: report.ready,
          problems: report.problems.map((p) => ({ en: p.message, zh: p.messageZh })),
        },
        statusProblem: null,
      };
    } catch (err) {
      status.set({
        printer: 'error',
        printerProblem: err instanceof PrinterError ? err.code : 'PRINTER_NO_REPLY',
      });
      return { ...base, status: null, statusProblem: bilingual(err) };
    }
  }

  async function ports({
    config,
    terminal,
  }: OpenTerminal): Promise<Pick<DevicesView, 'ports' | 'portsProblem' | 'portsNote'>> {
    // Configured paths that list() cannot see (by-id links, ptys) are checked by existence.
    const extraPaths = [
      ...(config.pinpad.port.kind === 'serial' ? [config.pinpad.port.path] : []),
      ...(terminal.printer?.kind === 'serial' ? [terminal.printer.path] : []),
    ];
    try {
      // Without udev the ports come from /sys/class/tty and /dev/serial/by-id, with a note.
      const { ports: found, note } = await listSerialPorts({ extraPaths });
      const view: SerialPortView[] = found.map((p) => ({
        path: p.path,
        manufacturer: p.manufacturer ?? null,
        serialNumber: p.serialNumber ?? null,
        vendorId: p.vendorId ?? null,
        productId: p.productId ?? null,
        hint: p.hint ?? null,
      }));
      return { ports: view, portsProblem: null, portsNote: note };
    } catch (err) {
      // The listing's own cause (udev missing, no permission...), not an open error's words.
      return { ports: [], portsProblem: bilingual(listingError(err)), portsNote: null };
    }
  }

  /**
   * Who the pad on `path` is, for an assignment. With an approved models list, a pad that does
   * not answer, or is of another model, is refused; without one, a pad that does not answer is
   * assigned untrusted (the first time it opens, a supervisor approves it).
   */
  async function assignedIdentity(
    open: OpenTerminal,
    protocol: PinpadProtocol,
    path: string,
  ): Promise<DeviceIdentity | null> {
    const models = await deps.devices.models('pinpad');
    const { config, terminal } = open;
    const live = config.mode !== 'training';
    let info: PinpadInfo;
    try {
      info = await exclusive(open, async () => {
        // The configured pad's port is held by its driver: ask the driver.
        if (live && path === configuredPinpadPort(config) && protocol === config.pinpad.protocol) {
          const pad = terminal.pinpad;
          return pad.health === 'connected' ? pad.info({ timeoutMs: 5_000 }) : pad.open();
        }
        const pad = createPinpad({ protocol, path });
        try {
          return await pad.open({ timeoutMs: 5_000 });
        } finally {
          await pad.close({ timeoutMs: 2_000 }).catch(() => undefined);
        }
      });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'BUSY') throw err;
      if (models.length > 0) {
        throw new ApiError('PINPAD_IDENTITY_UNREADABLE', { why: bilingual(err) }, { cause: err });
      }
      return null;
    }
    const identity = identityOf(info, live ? terminal.masterKeyCheckValue() : null);
    if (!modelApproved(models, identity)) {
      throw new ApiError('PINPAD_MODEL_NOT_APPROVED', {
        model: `${identity.maker} ${identity.model}`,
      });
    }
    return identity;
  }

  /** Who the printer at `target` says it is (GS I), for an assignment; null when it does not
   *  answer or cannot be reached now (then it is checked when it opens, like any replug). */
  async function assignedPrinterIdentity(target: string): Promise<DeviceIdentity | null> {
    if (target === 'none' || target === 'simulated') return null;
    try {
      const fields = await readPrinterIdentity(parsePrinterTarget(target), {
        connectTimeoutMs: 2_000,
      });
      return fields ? printerIdentityOf(fields) : null;
    } catch {
      return null;
    }
  }

  async function approvedModels(): Promise<ApprovedModelView[]> {
    return (await deps.devices.models('pinpad')).map(modelView);
  }

  return {
    listDevices: async () => {
      const open = terminals.current();
      const { config, terminal } = open;
      const training = config.mode === 'training';
      const [found, printer, models] = await Promise.all([
        ports(open),
        printerStatus(open),
        deps.devices.models('pinpad'),
      ]);
      const health = terminal.pinpad.health;
      return {
        training,
        ...found,
        pinpadProtocols: PINPAD_DRIVERS.map((d) => ({ id: d.id, label: d.labels })),
        pinpad: {
          protocol: config.pinpad.protocol,
          port: configuredPinpadPort(config),
          health,
          state: training ? 'training' : HEALTH_STATE[health],
          trust: open.pinpadTrust?.view() ?? UNKNOWN_TRUST,
        },
        approvedModels: models.map(modelView),
        printer,
        pending: { ...pendingFor(open) },
        keys: {
          tmkCheckValue: terminal.masterKeyCheckValue(),
          protection: terminal.keyProtection(),
        },
      };
    },

    detectPinpad: async (args) => {
      const open = terminals.current();
      const { config, terminal } = open;
      const view: DetectedPinpadView = {
        path: args.path,
        protocol: null,
        info: null,
        problem: null,
      };
      // Probe bytes sent to a receipt printer would come out as paper: leave its port alone.
      if (configuredPrinterPort(config) === args.path) {
        return {
          ...view,
          problem: {
            en: 'This port is configured for the receipt printer; it is not probed for a PIN pad.',
            zh: '该串口已配置为打印机，不作密码键盘识别。',
          },
        };
      }
      // The configured pad's port is held by its driver: ask the driver instead of probing.
      if (config.mode !== 'training' && args.path === configuredPinpadPort(config)) {
        return exclusive(open, async () => {
          try {
            const pad = terminal.pinpad;
            const info = pad.health === 'connected' ? await pad.info() : await pad.open();
            return { ...view, protocol: info.protocol, info: infoView(info) };
          } catch (err) {
            return { ...view, protocol: config.pinpad.protocol, problem: bilingual(err) };
          }
        });
      }
      let protocol: PinpadProtocol | undefined;
      try {
        protocol = await detectPinpadProtocol(args.path, { timeoutMs: 1_000 });
      } catch (err) {
        return { ...view, problem: bilingual(err) };
      }
      if (!protocol) {
        return {
          ...view,
          problem: {
            en: `No PIN pad answered on this port (tried: ${PINPAD_DRIVERS.map((d) => d.labels.en).join(', ')}).`,
            zh: `该串口上没有密码键盘应答（已尝试：${PINPAD_DRIVERS.map((d) => d.labels.zh).join('、')}）。`,
          },
        };
      }
      const pad = createPinpad({ protocol, path: args.path });
      try {
        return { ...view, protocol, info: infoView(await pad.open({ timeoutMs: 5_000 })) };
      } catch (err) {
        return { ...view, protocol, problem: bilingual(err) };
      } finally {
        await pad.close({ timeoutMs: 2_000 }).catch(() => undefined);
      }
    },

    testPinpad: async () => {
      const open = terminals.current();
      return exclusive(open, async () => {
        const pad = open.terminal.pinpad;
        const info =
          pad.health === 'connected'
            ? await pad.info({ timeoutMs: 5_000 })
            : await pad.open({ timeoutMs: 10_000 });
        await pad.showMessage(PAD_TEST_LINES[0], PAD_TEST_LINES[1], { timeoutMs: 5_000 });
        // A PIN pad error keeps its own words; the status bar learns from the health event.
        return infoView(info);
      });
    },

    printTestPage: async () => {
      const { config, terminal } = terminals.current();
      const training = config.mode === 'training';
      const target = terminal.printer;
      if (!target) throw noPrinter();
      const page = renderTestPage({ paper: config.printer.paperWidthMm, lang: config.language });
      try {
        const result = await printSlip(target, page.bytes);
        status.set({ printer: training ? 'training' : 'ready', printerProblem: null });
        return {
          target: training ? 'simulated' : result.target,
          bytesSent: result.bytesSent,
          warnings: result.warnings.map((w) => ({ en: w.message, zh: w.messageZh })),
        };
      } catch (err) {
        status.set({ printer: 'error' });
        // The status bar names the printer's own problem (paper out, cover open) at once.
        void terminals.current().printerWatch?.poll();
        throw err;
      }
    },

    assignDevice: async (args, { operator }) => {
      const open = terminals.current();
      const training = open.config.mode === 'training';
      const printerTarget = args.kind === 'printer' ? checkedPrinterTarget(args.target) : '';
      if (args.kind === 'pinpad' && !isPinpadProtocol(args.protocol)) {
        throw new ApiError('NO_PINPAD_DRIVER', { protocol: args.protocol });
      }
      // The pad on that port says who it is: checked against the approved models, then
      // trusted once the assignment is saved.
      const identity =
        args.kind === 'pinpad' && args.path.trim() !== 'simulated'
          ? await assignedIdentity(open, args.protocol as PinpadProtocol, args.path.trim())
          : args.kind === 'printer'
            ? await assignedPrinterIdentity(printerTarget)
            : null;
      let update;
      try {
        update = await deps.settings.update((draft) => {
          if (args.kind === 'pinpad') {
            draft.pinpad.protocol = args.protocol as PinpadProtocol;
            draft.pinpad.port =
              args.path === 'simulated'
                ? { kind: 'simulated' }
                : { kind: 'serial', path: args.path.trim() };
          } else {
            draft.printer.target = printerTarget;
            draft.printer.paperWidthMm = args.paperWidthMm;
          }
        });
      } catch (err) {
        if (err instanceof ConfigError) {
          throw new ApiError(
            'DEVICE_CONFIG_INVALID',
            { problems: err.problems },
            { cause: err, details: { problems: err.problems } },
          );
        }
        throw err;
      }
      const before = args.kind === 'pinpad' ? update.before.pinpad : update.before.printer;
      const after = args.kind === 'pinpad' ? update.after.pinpad : update.after.printer;
      await deps.audit.record({
        kind: 'device-change',
        operatorId: operator.id,
        operatorNo: operator.operatorNo,
        detail: { device: args.kind, before, after, training },
      });
      if (identity) {
        // A pad on a serial port (a printer at a real address) is a live one, whatever the mode.
        await deps.devices.trust({
          kind: args.kind,
          training: false,
          identity,
          how: 'assignment',
          by: { operatorId: operator.id, operatorNo: operator.operatorNo },
        });
      }
      const pending = pendingFor(open);
      if (args.kind === 'pinpad') {
        const port = update.after.pinpad.port;
        pending.pinpad = `${args.protocol} ${port.kind === 'serial' ? port.path : 'simulated'}`;
      } else {
        pending.printer = `${printerTarget} ${args.paperWidthMm} mm`;
      }
      return { restartNeeded: true, training };
    },

    decideReplacedPinpad: async (args, { operator }) => {
      const open = terminals.current();
      const trust = open.pinpadTrust;
      if (!trust) throw new ApiError('NOTHING_TO_APPROVE');
      return args.decision === 'approve'
        ? trust.approve(operator, args.password)
        : trust.refuse(operator, args.password);
    },

    decideReplacedPrinter: async (args, { operator }) => {
      const trust = terminals.current().printerTrust;
      if (!trust) throw new ApiError('PRINTER_NOTHING_TO_APPROVE');
      return args.decision === 'approve'
        ? trust.approve(operator, args.password)
        : trust.refuse(operator, args.password);
    },

    addApprovedModel: async (args, { operator }) => {
      await deps.devices.addModel({
        kind: 'pinpad',
        maker: args.maker,
        model: args.model,
        ...(args.note !== undefined ? { note: args.note } : {}),
        by: { operatorId: operator.id, operatorNo: operator.operatorNo },
      });
      return approvedModels();
    },

    removeApprovedModel: async (args, { operator }) => {
      await deps.devices.removeModel(args.id, {
        operatorId: operator.id,
        operatorNo: operator.operatorNo,
      });
      return approvedModels();
    },
  };
}
