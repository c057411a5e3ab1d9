// Text commands that put the printer emulator into a fault or back (the `printer-sim` CLI
// reads them from stdin; tests and training tools can call them too).
import type { PrinterEmulator } from './emulator';

export const CONTROL_HELP = `stdin commands / 控制命令:
  offline | online              脱机 / 联机
  cover open | cover close      开盖 / 合盖
  paper out                     缺纸
  paper out after N             再打印 N 字节后缺纸 (paper runs out mid-slip)
  paper near-end                纸将尽
  paper load                    装纸（继续打印）
  cutter error | cutter ok      切刀错误 / 恢复
  fault | overheat | cool       不可恢复错误 / 过热 / 冷却
  recover                       清除全部故障
  status                        显示状态
  help`;

/** Applies one stdin control command; returns a reply line, or undefined if unknown. */
export function applyControlCommand(emulator: PrinterEmulator, input: string): string | undefined {
  const words = input.trim().toLowerCase().split(/\s+/).join(' ');
  const after = /^paper out after (\d+)$/.exec(words);
  if (after) {
    emulator.runOutOfPaperAfter(Number(after[1]));
    return `paper will run out after ${after[1]} bytes`;
  }
  const actions: Record<string, () => void> = {
    offline: () => emulator.setOffline(true),
    online: () => emulator.setOffline(false),
    'cover open': () => emulator.setCoverOpen(true),
    'cover close': () => emulator.setCoverOpen(false),
    'paper out': () => emulator.runOutOfPaper(),
    'paper near-end': () => emulator.setPaperNearEnd(true),
    'paper load': () => emulator.loadPaper(),
    'cutter error': () => emulator.setCutterError(true),
    'cutter ok': () => emulator.setCutterError(false),
    fault: () => emulator.setUnrecoverableError(true),
    overheat: () => emulator.setOverheated(true),
    cool: () => emulator.setOverheated(false),
    recover: () => emulator.recover(),
    status: () => undefined,
    help: () => undefined,
  };
  const action = actions[words];
  if (!action) return undefined;
  action();
  if (words === 'help') return CONTROL_HELP;
  const status = emulator.status();
  const set = Object.entries(status)
    .filter(([, v]) => v)
    .map(([k]) => k);
  return `status: ${set.length ? set.join(', ') : 'ready'}`;
}
