// Commands typed on `cashier printer-sim`'s stdin that put the emulated printer into a fault or
// back (the table of every simulator's knobs is ../README.md).
import type { PrinterStatusFlag } from '../../protocols/escpos';
import { helpReply, planReply, reply, type HelpRow, type Reply } from '../control';
import {
  PAPER_LOADED,
  PRINTER_EMULATOR_IDENTITY,
  type PrinterEmulator,
  type PrinterEmulatorFaults,
} from './emulator';

const HELP: readonly HelpRow[] = [
  ['offline | online', '脱机 / 联机', 'offline / online'],
  ['cover open | cover close', '开盖 / 合盖', 'cover open / closed'],
  ['paper out', '缺纸', 'out of paper'],
  ['paper out after N', '再打印 N 字节后缺纸', 'paper runs out after N more bytes (mid-slip)'],
  ['paper near-end', '纸将尽', 'paper near end'],
  ['paper load', '装纸（继续打印）', 'new roll (printing resumes)'],
  ['cutter error | cutter ok', '切刀错误 / 恢复', 'cutter jammed / fixed'],
  [
    'fault | overheat | cool',
    '不可恢复错误 / 过热 / 冷却',
    'unrecoverable error / overheated / cooled',
  ],
  ['recover | clear', '清除全部故障', 'clear every fault'],
  [
    'replace SERIAL',
    '换上序列号为 SERIAL 的另一台（GS I 应答）',
    'another printer (serial number SERIAL over GS I) takes its place',
  ],
  ['identity silent', '不应答 GS I（如多数兼容机）', 'stop answering GS I (as many clones)'],
  ['identity', '显示 GS I 应答的身份', 'show the identity GS I answers'],
  ['faults', '显示当前故障', 'show the faults in force'],
  ['status', '显示状态', 'show the status'],
  ['help', '显示本帮助', 'this help'],
];

export const PRINTER_CONTROL_HELP: Reply = helpReply(HELP);

/** Chinese names of the status flags the emulator can report. */
const FLAG_ZH: Partial<Record<PrinterStatusFlag, string>> = {
  offline: '脱机',
  waitingForRecovery: '等待恢复',
  coverOpen: '开盖',
  stoppedAtPaperEnd: '缺纸停止',
  errorOccurred: '出错',
  cutterError: '切刀错误',
  unrecoverableError: '不可恢复错误',
  autoRecoverableError: '可自动恢复错误',
  paperNearEnd: '纸将尽',
  paperEnd: '缺纸',
};

function statusReply(emulator: PrinterEmulator): Reply {
  const set = Object.entries(emulator.status())
    .filter(([, v]) => v)
    .map(([k]) => k as PrinterStatusFlag);
  return reply(
    `状态：${set.length ? set.map((f) => FLAG_ZH[f] ?? f).join('、') : '就绪'}`,
    `status: ${set.length ? set.join(', ') : 'ready'}`,
  );
}

function identityReply(emulator: PrinterEmulator): Reply {
  const id = emulator.identity();
  if (!id) return reply('身份：不应答 GS I', 'identity: does not answer GS I');
  return reply(
    `身份：${id.maker} ${id.model}，序列号 ${id.serialNumber}，固件 ${id.firmware}`,
    `identity: ${id.maker} ${id.model}, serial ${id.serialNumber}, firmware ${id.firmware}`,
  );
}

const CHANGES: Record<string, PrinterEmulatorFaults | 'clear'> = {
  offline: { offline: true },
  online: { offline: false },
  'cover open': { coverOpen: true },
  'cover close': { coverOpen: false },
  'paper out': { paperEnd: true },
  'paper near-end': { paperNearEnd: true },
  'paper load': PAPER_LOADED,
  'cutter error': { cutterError: true },
  'cutter ok': { cutterError: false },
  fault: { unrecoverableError: true },
  overheat: { overheated: true },
  cool: { overheated: false },
  recover: 'clear',
  clear: 'clear',
};

/** Applies one control line; undefined when it is not a printer command. */
export function applyPrinterControl(emulator: PrinterEmulator, input: string): Reply | undefined {
  const words = input.trim().toLowerCase().split(/\s+/).join(' ');
  if (words === 'help') return PRINTER_CONTROL_HELP;
  if (words === 'status') return statusReply(emulator);
  const raw = input.trim().split(/\s+/);
  if (raw[0]?.toLowerCase() === 'replace' && raw.length === 2) {
    // The serial number as typed (case kept); maker, model and firmware stay.
    const serialNumber = raw[1]!.slice(0, 32);
    emulator.setIdentity({ ...(emulator.identity() ?? PRINTER_EMULATOR_IDENTITY), serialNumber });
    return identityReply(emulator);
  }
  if (words === 'identity silent') {
    emulator.setIdentity(null);
    return identityReply(emulator);
  }
  if (words === 'identity') return identityReply(emulator);
  if (words === 'faults') {
    return planReply({ zh: '打印机', en: 'printer' }, emulator.faults.current());
  }
  const after = /^paper out after (\d+)$/.exec(words);
  if (after) {
    emulator.faults.update({ paperEndAfterBytes: Number(after[1]) });
    return reply(`再打印 ${after[1]} 字节后缺纸`, `paper will run out after ${after[1]} bytes`);
  }
  if (!Object.hasOwn(CHANGES, words)) return undefined;
  const change = CHANGES[words]!;
  if (change === 'clear') emulator.faults.clear();
  else emulator.faults.update(change);
  return statusReply(emulator);
}
