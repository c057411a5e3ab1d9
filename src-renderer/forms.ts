// Form checks in the app's own words: forms carry `novalidate`, so the browser never shows its
// English bubbles; a submit handler asks formProblem() first, which focuses the first field in
// error and says what is wrong with it in both languages (shown() picks the cashier's).
import type { Language } from '../src-main/contract';
import { tIn } from './i18n/index.svelte';
import type { MessageKey } from './i18n/zh-CN';

export interface FormProblem {
  message: string;
  messageZh: string;
}

/** Each field's name in words, by its `name` attribute, and the hint that says what fits. */
const FIELDS: Record<string, { label: MessageKey; hint?: MessageKey }> = {
  operatorNo: { label: 'operatorNo', hint: 'operatorNoHint' },
  newOperatorNo: { label: 'operatorNo', hint: 'operatorNoHint' },
  name: { label: 'name' },
  newName: { label: 'name' },
  password: { label: 'password', hint: 'passwordHint' },
  confirm: { label: 'confirmPassword' },
  oldPassword: { label: 'currentPassword' },
  newPassword: { label: 'newPassword', hint: 'passwordHint' },
  tempPassword: { label: 'tempPassword', hint: 'passwordHint' },
  merchantName: { label: 'merchantName' },
  merchantId: { label: 'merchantId', hint: 'merchantIdHint' },
  terminalId: { label: 'terminal', hint: 'terminalIdHint' },
  hostAddress: { label: 'hostAddress' },
  hostPort: { label: 'hostPort' },
  servicePhone: { label: 'servicePhone' },
  pinnedCert: { label: 'pinnedCert' },
  connectTimeout: { label: 'connectTimeout' },
  responseTimeout: { label: 'responseTimeout' },
  passwordMaxAge: { label: 'passwordMaxAge' },
  idleLock: { label: 'idleLock' },
  pinTries: { label: 'pinTries' },
  browserShellPort: { label: 'shellPort', hint: 'shellPortHint' },
  account: { label: 'walletAccount', hint: 'walletAccountHint' },
  code: { label: 'smsCode' },
  day: { label: 'day', hint: 'dayHint' },
  fromDay: { label: 'fromDay', hint: 'dayHint' },
  toDay: { label: 'toDay', hint: 'dayHint' },
  last4: { label: 'last4' },
  rrn: { label: 'rrn' },
  target: { label: 'devPrinterTarget', hint: 'devTargetHint' },
  path: { label: 'devPort', hint: 'devPinpadPortHint' },
};

type Field = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

function problemOf(field: Field): FormProblem {
  const known = FIELDS[field.name];
  // A field this table does not know is named by its label as shown now.
  const shownLabel =
    field.labels?.[0]?.querySelector('span')?.firstChild?.textContent?.trim() ||
    field.getAttribute('aria-label') ||
    field.name;
  const words = (key: MessageKey, params: (lang: Language) => Record<string, string>) => ({
    message: tIn('en', key, params('en')),
    messageZh: tIn('zh-CN', key, params('zh-CN')),
  });
  const fieldIn = (lang: Language) => (known ? tIn(lang, known.label) : shownLabel);
  const { validity } = field;
  if (validity.valueMissing) return words('formRequired', (l) => ({ field: fieldIn(l) }));
  if (validity.rangeUnderflow || validity.rangeOverflow) {
    const min = field.getAttribute('min') ?? '';
    const max = field.getAttribute('max') ?? '';
    return words('formRange', (l) => ({ field: fieldIn(l), min, max }));
  }
  const hint = known?.hint;
  if (hint) return words('formInvalidHint', (l) => ({ field: fieldIn(l), hint: tIn(l, hint) }));
  return words('formInvalid', (l) => ({ field: fieldIn(l) }));
}

/** The first field in error, focused, and what is wrong with it; null when all is well. */
export function formProblem(event: SubmitEvent): FormProblem | null {
  const form = event.currentTarget;
  if (!(form instanceof HTMLFormElement)) return null;
  return fieldsProblem(Array.from(form.elements));
}

/** The same for some fields outside a submit (an export's date range beside a button). */
export function fieldsProblem(elements: Iterable<Element>): FormProblem | null {
  for (const element of elements) {
    if (
      !(
        element instanceof HTMLInputElement ||
        element instanceof HTMLSelectElement ||
        element instanceof HTMLTextAreaElement
      ) ||
      element.validity.valid
    ) {
      continue;
    }
    // Marked (styles.css draws it red) until the cashier changes it.
    element.setAttribute('aria-invalid', 'true');
    element.addEventListener('input', () => element.removeAttribute('aria-invalid'), {
      once: true,
    });
    element.focus();
    return problemOf(element);
  }
  return null;
}

/** The settings' config paths (what the core names in a refused save) as the form's fields. */
export const SETTINGS_FIELDS: Record<string, string> = {
  'merchant.name': 'merchantName',
  'merchant.id': 'merchantId',
  'terminal.id': 'terminalId',
  servicePhone: 'servicePhone',
  bankPhone: 'bankPhone',
  walletPhone: 'walletPhone',
  'host.address': 'hostAddress',
  'host.port': 'hostPort',
  'host.pinnedCertSha256': 'pinnedCert',
  'host.connectTimeoutMs': 'connectTimeout',
  'host.responseTimeoutMs': 'responseTimeout',
  'host.macAlgorithm': 'macAlgorithm',
  'security.passwordMaxAgeDays': 'passwordMaxAge',
  'security.idleLockMinutes': 'idleLock',
  'security.pinTriesPerInquiry': 'pinTries',
  'browserShell.port': 'browserShellPort',
};

/** After the core refused a form naming what is wrong (`details.fields`: the API argument, or
 *  for Settings the config path), focus the first of them that the form has. `names` maps a
 *  name the core uses to the form's own where they differ (create form: password ->
 *  newPassword). Returns whether a field was focused. */
export function focusRefusedField(
  form: HTMLElement,
  err: unknown,
  names: Record<string, string> = {},
): boolean {
  const details = (err as { details?: { fields?: unknown } } | null)?.details;
  const fields = Array.isArray(details?.fields) ? details.fields : [];
  // A form, or the fields beside a button (an export's date range).
  const named = (name: string) =>
    form instanceof HTMLFormElement
      ? form.elements.namedItem(name)
      : form.querySelector(`[name="${name.replace(/["\\]/g, '')}"]`);
  for (const path of fields) {
    const field = typeof path === 'string' ? named(names[path] ?? path) : null;
    if (field instanceof HTMLElement) {
      field.setAttribute('aria-invalid', 'true');
      field.addEventListener('input', () => field.removeAttribute('aria-invalid'), { once: true });
      field.focus();
      return true;
    }
  }
  return false;
}

/** Focus a field by its name (a problem found after the browser's checks, e.g. two passwords
 *  that differ); returns the problem to show. */
export function focusField<T>(event: SubmitEvent, name: string, problem: T): T {
  const form = event.currentTarget;
  if (form instanceof HTMLFormElement) {
    const field = form.elements.namedItem(name);
    if (field instanceof HTMLElement) {
      field.setAttribute('aria-invalid', 'true');
      field.addEventListener('input', () => field.removeAttribute('aria-invalid'), { once: true });
      field.focus();
    }
  }
  return problem;
}
