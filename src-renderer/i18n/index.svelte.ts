// The current language (Chinese first) and the translation function used by every screen.
import type { Language } from '../../src-main/contract';
import { en } from './en';
import { zhCN, type MessageKey } from './zh-CN';

const STORAGE_KEY = 'cashier.language';
const dictionaries: Record<Language, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

function stored(): Language | null {
  const value = localStorage.getItem(STORAGE_KEY);
  return value === 'zh-CN' || value === 'en' ? value : null;
}

let current = $state<Language>(stored() ?? 'zh-CN');

export const i18n = {
  get language(): Language {
    return current;
  },
  /** The configured default applies until the cashier picks a language on this PC. */
  applyDefault(language: Language): void {
    if (!stored()) this.set(language, false);
  },
  set(language: Language, remember = true): void {
    current = language;
    document.documentElement.lang = language;
    if (remember) localStorage.setItem(STORAGE_KEY, language);
  },
  toggle(): void {
    this.set(current === 'zh-CN' ? 'en' : 'zh-CN');
  },
};

export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  return dictionaries[current][key].replace(/\{(\w+)\}/g, (_, name: string) =>
    String(params[name] ?? `{${name}}`),
  );
}

/** An error from the core in the cashier's language. */
export function errorText(err: unknown): string {
  if (err && typeof err === 'object' && 'messageZh' in err && 'message' in err) {
    return current === 'zh-CN' ? String(err.messageZh) : String(err.message);
  }
  return current === 'zh-CN' ? '操作失败，请重试。' : 'The action failed. Please try again.';
}

/** A message to show: a string as it is, anything else as an error in the cashier's language. */
export function shown(value: unknown): string {
  return typeof value === 'string' ? value : errorText(value);
}
