// Commands typed on a simulator's stdin (`cashier host-sim`, `pinpad-sim`, `printer-sim`) and
// their answers, always in Chinese and English. Each simulator has an apply function
// (line → Reply, or undefined when the line is not one of its commands) and a help table;
// serveControl() reads the lines, asks the apply functions in turn and prints the replies.
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { CashierError } from '../common';

export interface Reply {
  zh: string;
  en: string;
}

export function reply(zh: string, en: string): Reply {
  return { zh, en };
}

/** The same text in both (numbers, JSON, card ids). */
export function plain(text: string): Reply {
  return { zh: text, en: text };
}

/** One row of a help table: the command as typed, what it does in both languages. */
export type HelpRow = readonly [command: string, zh: string, en: string];

/** A help table as a Reply: one line per command, `command  中文 / English`. */
export function helpReply(rows: readonly HelpRow[]): Reply {
  const width = Math.max(...rows.map(([command]) => command.length)) + 2;
  return plain(rows.map(([command, zh, en]) => `${command.padEnd(width)}${zh} / ${en}`).join('\n'));
}

/** How a reply is printed: `中文 / English` on one line when both fit, else Chinese then English. */
export function formatReply(r: Reply): string {
  if (r.zh === r.en) return r.zh;
  if (!r.zh.includes('\n') && !r.en.includes('\n')) return `${r.zh} / ${r.en}`;
  return `${r.zh}\n${r.en}`;
}

export function unknownCommand(line: string): Reply {
  const typed = line.trim();
  return reply(`未知命令：${typed}（输入 help 查看）`, `unknown command: ${typed} (help)`);
}

export function errorReply(err: unknown): Reply {
  const en = err instanceof Error ? err.message : String(err);
  return reply(`错误：${err instanceof CashierError ? err.messageZh : en}`, `error: ${en}`);
}

/** A plan as JSON, `{}` when no fault is on. */
export function planReply(name: { zh: string; en: string }, plan: object): Reply {
  const json = JSON.stringify(plan);
  return reply(`${name.zh}故障：${json}`, `${name.en} faults: ${json}`);
}

export type ControlApply = (line: string) => Reply | undefined | Promise<Reply | undefined>;

/**
 * Reads control lines from `input` (stdin) until it ends or `stop()` is called, asks each
 * apply function in turn and writes the first reply (or "unknown command") with `write`.
 */
export function serveControl(
  applies: readonly ControlApply[],
  options: { input?: Readable; write?: (text: string) => void } = {},
): { stop(): void } {
  const write = options.write ?? ((text: string) => process.stderr.write(text));
  const rl = createInterface({ input: options.input ?? process.stdin, terminal: false });
  // One line at a time, in order, even when an answer takes a moment (unplug, replug).
  let queue: Promise<void> = Promise.resolve();
  rl.on('line', (line) => {
    if (line.trim() === '') return;
    queue = queue.then(async () => {
      let answer: Reply | undefined;
      try {
        for (const apply of applies) {
          answer = await apply(line);
          if (answer) break;
        }
      } catch (err) {
        answer = errorReply(err);
      }
      write(`${formatReply(answer ?? unknownCommand(line))}\n`);
    });
  });
  return { stop: () => rl.close() };
}

/** Resolves on Ctrl+C or SIGTERM: how a simulator command knows to close. */
export function untilStopSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}
