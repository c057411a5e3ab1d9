// `cashier inquiry --config FILE --json`: a headless balance inquiry for installation checks.
// It uses the same terminal and workflow as the console: signs on if needed, reads the card and
// PIN on the configured PIN pad, asks the configured host, logs the attempt, prints the answer.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { InquiryView } from '../../contract';
import { ConfigError, parseConfig } from '../../core/config';
import { InquiryRunner } from '../../core/inquiry';
import { openTerminal } from '../../core/terminal';
import { openStore } from '../../store';
import { parseFlags, type CliCommand } from '../command';

const STEP_TEXT: Record<string, string> = {
  'signing-on': '正在签到 / signing on',
  'waiting-card': '请刷卡/插卡/挥卡 / swipe, insert or tap the card',
  'waiting-pin': '请在密码键盘上输入密码 / enter the PIN on the PIN pad',
  processing: '正在查询 / asking the host',
};

function asJson(view: InquiryView): Record<string, unknown> {
  return {
    outcome: view.outcome,
    responseCode: view.responseCode,
    responseText: view.message,
    advice: view.advice,
    maskedPan: view.maskedAccount,
    entryMode: view.entryMode,
    balances: {
      availableFen: view.availableFen,
      ledgerFen: view.ledgerFen,
      currency: view.currency,
    },
    rrn: view.rrn,
    trace: view.stan,
    transactionId: view.transactionId,
  };
}

export const inquiryCommand: CliCommand = {
  name: ['inquiry'],
  summary: 'Run one card balance inquiry with the configured PIN pad and host, and print it.',
  usage: 'inquiry --config FILE [--data-dir DIR] [--operator NO] [--json]',
  async run(args) {
    const flags = parseFlags(args);
    if (typeof flags.config !== 'string') {
      process.stderr.write('请指定 --config FILE / Give --config FILE\n');
      return 2;
    }
    let config;
    try {
      config = parseConfig(readFileSync(flags.config, 'utf8'), flags.config);
    } catch (err) {
      process.stderr.write(`${err instanceof ConfigError ? err.describe() : String(err)}\n`);
      return 2;
    }
    const dataDir =
      typeof flags['data-dir'] === 'string' ? flags['data-dir'] : path.dirname(flags.config);
    const operatorNo = typeof flags.operator === 'string' ? flags.operator : '00';
    const json = flags.json === true;
    const store = await openStore(dataDir);
    const terminal = await openTerminal(config, dataDir).catch(async (err: unknown) => {
      await store.close();
      throw err;
    });
    try {
      const result = await new Promise<InquiryView>((resolve) => {
        const runner = new InquiryRunner({
          terminal,
          store,
          training: config.mode === 'training',
          servicePhone: config.servicePhone,
          emit: (progress) => {
            if (progress.step === 'done' && progress.result) resolve(progress.result);
            else if (!json) process.stderr.write(`${STEP_TEXT[progress.step] ?? progress.step}\n`);
          },
        });
        runner.startCard({ id: null, operatorNo });
      });
      if (json) {
        process.stdout.write(`${JSON.stringify(asJson(result), null, 2)}\n`);
      } else {
        process.stdout.write(
          `${result.message.zh} / ${result.message.en}  ${result.maskedAccount}\n` +
            `可用余额 available ${result.availableFen ?? '-'} 分 · 账面余额 ledger ${result.ledgerFen ?? '-'} 分 · RRN ${result.rrn ?? '-'}\n`,
        );
      }
      return result.outcome === 'approved' ? 0 : 1;
    } finally {
      await terminal.close();
      await store.close();
    }
  },
};
