// `cashier operators unlock NO` and `cashier operators reset-password NO`: for whoever can
// write the data folder (the installing engineer), so a shop whose only supervisor is locked
// out or has forgotten the password is never stuck. No supervisor login: the right to write
// the database file is the authority, as it already is for `restore`. Both are audited with
// source 'cli' and the operating-system user that ran them.
import { randomInt } from 'node:crypto';
import os from 'node:os';
import type { LocalActor, Operator } from '../../store';
import { CliUsageError, defineCommand } from '../command';
import { DATABASE_HELP, DATABASE_OPTIONS, databaseFile, withExistingStore } from './log-shared';

function operatorNoOf(positionals: string[]): string {
  const no = positionals[0];
  if (no === undefined || no === '') {
    throw new CliUsageError('Missing the operator number', '缺少操作员号');
  }
  if (!/^\d{2,8}$/.test(no)) {
    throw new CliUsageError(
      `The operator number must be 2 to 8 digits (got ${no})`,
      `操作员号须为2到8位数字（输入的是 ${no}）`,
    );
  }
  return no;
}

function actor(): LocalActor {
  let osUser: string | undefined;
  try {
    osUser = os.userInfo().username;
  } catch {
    // No name for this uid (e.g. in a container): the audit entry then says null.
  }
  return { source: 'cli', ...(osUser ? { osUser } : {}) };
}

/** The first line on stdin, without its line ending (a password may contain spaces). */
async function passwordFromStdin(): Promise<string> {
  if (process.stdin.isTTY) {
    throw new CliUsageError(
      'Give the new password on standard input (e.g. from a file or a pipe), or use --generate to have one made and printed once',
      '请通过标准输入提供新密码（例如从文件或管道），或使用 --generate 生成一个并只显示一次',
    );
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const [line = ''] = Buffer.concat(chunks).toString('utf8').split(/\r?\n/);
  if (line === '') {
    throw new CliUsageError('No new password on standard input', '标准输入中没有新密码');
  }
  return line;
}

/** Letters and digits that cannot be mistaken for one another when read off a screen. */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A temporary password: 10 characters, about 58 bits. */
export function generatePassword(): string {
  let out = '';
  for (let i = 0; i < 10; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

function who(op: Operator): string {
  return `${op.operatorNo}（${op.name}，${op.role === 'supervisor' ? '主管' : '收银员'}）`;
}

export const operatorsUnlockCommand = defineCommand({
  summary:
    '解除操作员的锁定（无需主管登录，须能写入数据文件夹；记入审计）/ Unlock an operator without a supervisor (for whoever can write the data folder; audited)',
  usage: 'operators unlock NO [--db FILE | --data-dir DIR]',
  options: { ...DATABASE_OPTIONS },
  positionals: 1,
  help: ['NO                the operator number', ...DATABASE_HELP],
  async run(flags, positionals) {
    const no = operatorNoOf(positionals);
    return withExistingStore(databaseFile(flags), {}, async (store) => {
      const op = await store.operators.unlockWithoutSupervisor(no, actor());
      process.stdout.write(
        `操作员 ${who(op)} 已解除锁定，可以重新登录。\nOperator ${op.operatorNo} (${op.name}) is unlocked and can log in again.\n`,
      );
      return 0;
    });
  },
});

export const operatorsResetPasswordCommand = defineCommand({
  summary:
    '为操作员设置临时密码并解除锁定（无需主管登录，须能写入数据文件夹；记入审计），下次登录时须修改 / Set a temporary password and unlock, without a supervisor (audited); it must be changed at the next login',
  usage: 'operators reset-password NO [--generate] [--db FILE | --data-dir DIR]',
  options: { generate: { type: 'boolean' }, ...DATABASE_OPTIONS },
  positionals: 1,
  help: [
    'NO                the operator number',
    '--generate        make a temporary password and print it once (otherwise the first line of stdin)',
    ...DATABASE_HELP,
  ],
  async run(flags, positionals) {
    const no = operatorNoOf(positionals);
    const password = flags.generate ? generatePassword() : await passwordFromStdin();
    return withExistingStore(databaseFile(flags), {}, async (store) => {
      const op = await store.operators.resetPasswordWithoutSupervisor(no, password, actor());
      const lines = [
        `操作员 ${who(op)} 的密码已重置并解除锁定，下次登录时须修改密码。`,
        `Operator ${op.operatorNo} (${op.name}): password reset and unlocked; it must be changed at the next login.`,
      ];
      if (flags.generate) {
        lines.push(
          `临时密码（只显示这一次）/ Temporary password (shown only this once): ${password}`,
        );
      }
      process.stdout.write(`${lines.join('\n')}\n`);
      return 0;
    });
  },
});
