// `cashier inquiry --config FILE --json`: a headless balance inquiry for installation checks.
// It uses the same terminal and workflow as the console: signs on if needed, reads the card and
// PIN on the configured PIN pad (or takes a payment account, proved by the payment password on
// the PIN pad or an SMS code typed on stdin), asks the configured host, logs the attempt, prints
// the answer.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { InquiryView } from '../../contract';
import { parseConfig } from '../../core/config';
import { InquiryRunner, type WalletProof } from '../../core/inquiry';
import { openAccountKeyer } from '../../core/review';
import { liveKeysDir, openTerminal, type Terminal } from '../../core/terminal';
import { openStore } from '../../store';
import { CliUsageError, defineCommand, required } from '../command';
import { keyProtectionForCli } from './keys';

const STEP_TEXT: Record<string, string> = {
  'signing-on': '正在签到 / signing on',
  'waiting-card': '请刷卡/插卡/挥卡 / swipe, insert or tap the card',
  'waiting-pin': '请在密码键盘上输入密码 / enter the PIN on the PIN pad',
  processing: '正在查询 / asking the host',
};

function asJson(view: InquiryView): Record<string, unknown> {
  return {
    outcome: view.outcome,
    accountKind: view.accountKind,
    responseCode: view.responseCode,
    errorCode: view.errorCode,
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

async function readLine(prompt: string): Promise<string> {
  process.stderr.write(prompt);
  const rl = createInterface({ input: process.stdin, terminal: false });
  try {
    for await (const line of rl) return line.trim();
    return '';
  } finally {
    rl.close();
  }
}

/** For an SMS proof: asks the host to send the code, then reads it from stdin. */
async function walletProof(
  terminal: Terminal,
  account: string,
  flags: { password?: boolean | undefined; sms?: boolean | undefined },
): Promise<WalletProof> {
  if (flags.password) return { kind: 'password' };
  const sent = await terminal.requireWallet().requestSmsCode(account);
  const code = await readLine(
    `验证码已发送至 ${sent.sentToMasked}，请输入 / Code sent to ${sent.sentToMasked}, type it: `,
  );
  return { kind: 'sms', code };
}

export const inquiryCommand = defineCommand({
  summary:
    '用配置的密码键盘和主机做一笔余额查询并打印结果（安装检查）/ Run one balance inquiry with the configured PIN pad and host, and print it (installation check)',
  usage:
    'inquiry --config FILE [--data-dir DIR] [--operator NO] [--account NO (--password | --sms)] [--json]',
  options: {
    config: { type: 'string' },
    'data-dir': { type: 'string' },
    operator: { type: 'string' },
    account: { type: 'string' },
    password: { type: 'boolean' },
    sms: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  help: [
    '--config FILE    the configuration to use (mode, host, PIN pad, wallet host ...)',
    "--data-dir DIR   keys, trace numbers and the log (default: the config file's folder)",
    '--operator NO    operator number for sign-on and the log (default 00)',
    '--account NO     a payment account (11-digit mobile or 16-digit wallet id) instead of a card',
    '--password       prove it with the payment password on the PIN pad',
    '--sms            prove it with an SMS code (the code is typed on stdin)',
    '--json           print the answer as JSON',
  ],
  async run(flags) {
    const configFile = required(flags.config, '--config');
    if (flags.account !== undefined && flags.password === flags.sms) {
      throw new CliUsageError(
        'With --account, give one of --password or --sms',
        '使用 --account 时请指定 --password 或 --sms 之一',
      );
    }
    const config = parseConfig(readFileSync(configFile, 'utf8'), configFile);
    const dataDir = flags['data-dir'] ?? path.dirname(configFile);
    const operatorNo = flags.operator ?? '00';
    const json = flags.json === true;
    const store = await openStore(dataDir);
    const terminal = await openTerminal(config, dataDir, {
      keyProtection: keyProtectionForCli(),
    }).catch(async (err: unknown) => {
      await store.close();
      throw err;
    });
    try {
      const proof = flags.account ? await walletProof(terminal, flags.account, flags) : undefined;
      const result = await new Promise<InquiryView>((resolve, reject) => {
        const runner = new InquiryRunner({
          terminal,
          store,
          training: config.mode === 'training',
          servicePhone: config.servicePhone,
          phones: { bank: config.bankPhone, wallet: config.walletPhone },
          // The same install key as the console's, so the review compares these rows too.
          accountKeyer: openAccountKeyer(liveKeysDir(dataDir), keyProtectionForCli()),
          emit: (progress) => {
            if (progress.step === 'done' && progress.result) resolve(progress.result);
            else if (!json) process.stderr.write(`${STEP_TEXT[progress.step] ?? progress.step}\n`);
          },
        });
        try {
          if (flags.account && proof)
            runner.startWallet({ id: null, operatorNo }, flags.account, proof);
          else runner.startCard({ id: null, operatorNo });
        } catch (err) {
          reject(err);
        }
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
});
