// The current language (Chinese first) and the translation function used by every screen.
import type { Language } from '../../src-main/contract';
import { en } from './en';
import { fillMessage } from './format';
import { zhCN, type MessageKey } from './zh-CN';

const STORAGE_KEY = 'cashier.language';
const dictionaries: Record<Language, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

function stored(): Language | null {
  const value = localStorage.getItem(STORAGE_KEY);
  return value === 'zh-CN' || value === 'en' ? value : null;
}

let current = $state<Language>(stored() ?? 'zh-CN');
// The page's language from the start (the English font stack in styles.css follows it).
document.documentElement.lang = current;

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
  return tIn(current, key, params);
}

export function tIn(
  language: Language,
  key: MessageKey,
  params: Record<string, string | number> = {},
): string {
  return fillMessage(dictionaries[language][key], params);
}

/** A message of the app's own in both languages, shown like an error from the core (shown()),
 *  so it follows a language switch. */
export function both(
  key: MessageKey,
  params: Record<string, string | number> = {},
): { message: string; messageZh: string } {
  return { message: tIn('en', key, params), messageZh: tIn('zh-CN', key, params) };
}

/** Sentence case: lower layers' English words may start in lower case ("wrong code"). */
function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Words from the core in both languages, in the cashier's. */
export function inLanguage(words: { en: string; zh: string }): string {
  return current === 'zh-CN' ? words.zh : sentence(words.en);
}

/** An error from the core in the cashier's language. */
export function errorText(err: unknown): string {
  if (err && typeof err === 'object' && 'messageZh' in err && 'message' in err) {
    return inLanguage({ en: String(err.message), zh: String(err.messageZh) });
  }
  return current === 'zh-CN' ? '操作失败，请重试。' : 'The action failed. Please try again.';
}

/** A message to show: a string as it is, anything else as an error in the cashier's language. */
export function shown(value: unknown): string {
  return typeof value === 'string' ? value : errorText(value);
}
