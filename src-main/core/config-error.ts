// The configuration's one error, apart from the schema (config.ts): `cashier serve` reports
// failures before the schema library is loaded (command.ts), and needs only this class.
import { CashierError, errorCatalogue, messageOf, type ErrorText } from '../common';

export const CONFIG_ERRORS = errorCatalogue({
  CONFIG_INVALID: {
    en: (p: { file: string }) =>
      `The configuration file is not valid and was left unchanged: ${p.file}`,
    zh: (p: { file: string }) => `配置文件有误，未作任何修改：${p.file}`,
  },
  LINK_UNPROTECTED_HOST: {
    code: 'CONFIG_INVALID',
    en: 'Live mode refuses an unprotected bank host link: turn on TLS with the pinned certificate (host.tls, host.pinnedCertSha256), or have a supervisor record that the link is a private line or VPN (host.privateLine).',
    zh: '生产模式拒绝未受保护的银行主机链路：请启用 TLS 并填写证书指纹（host.tls、host.pinnedCertSha256），或由主管登记该链路为专线或 VPN（host.privateLine）。',
  },
  LINK_UNPROTECTED_WALLET: {
    code: 'CONFIG_INVALID',
    en: 'Live mode refuses an unprotected wallet host link: pin its certificate (wallet.pinnedSha256), or have a supervisor record that the link is a private line or VPN (wallet.privateLine).',
    zh: '生产模式拒绝未受保护的支付机构主机链路：请填写其证书指纹（wallet.pinnedSha256），或由主管登记该链路为专线或 VPN（wallet.privateLine）。',
  },
  /** What to do about it, in describe(). */
  CONFIG_FIX: {
    code: 'CONFIG_INVALID',
    en: 'Fix or delete the file, then start again.',
    zh: '请修改或删除该文件后重新启动。',
  },
});

export class ConfigError extends CashierError<'CONFIG_INVALID'> {
  override readonly name = 'ConfigError';
  constructor(
    readonly file: string,
    readonly problems: string[],
    /** Problems that have words in both languages (an unprotected live link), for the screens. */
    readonly reasons: readonly ErrorText[] = [],
  ) {
    const title = messageOf(CONFIG_ERRORS, 'CONFIG_INVALID', { file }).text;
    super(
      'CONFIG_INVALID',
      {
        en: [title.en, ...reasons.map((r) => r.en)].join(' '),
        zh: title.zh + reasons.map((r) => r.zh).join(''),
      },
      { detail: problems.join('; ') },
    );
  }

  /** From the schema's findings: each problem as `path: message`, the bilingual ones kept. */
  static fromIssues(
    file: string,
    issues: readonly { path: PropertyKey[]; message: string; params?: unknown }[],
  ): ConfigError {
    const reasons = issues.flatMap((i) => {
      const text = (i.params as { text?: ErrorText } | undefined)?.text;
      return text ? [text] : [];
    });
    return new ConfigError(
      file,
      issues.map((i) => `${i.path.map(String).join('.') || '(top level)'}: ${i.message}`),
      reasons,
    );
  }

  /** Two-language text for the console and dialogs. */
  describe(): string {
    const title = messageOf(CONFIG_ERRORS, 'CONFIG_INVALID', this).text;
    const fix = messageOf(CONFIG_ERRORS, 'CONFIG_FIX', undefined).text;
    return [
      title.zh,
      title.en,
      ...this.problems.map((p) => `  - ${p}`),
      `${fix.zh}/ ${fix.en}`,
    ].join('\n');
  }
}
