// The words a cashier reads, checked as text: the screens' two catalogues and every layer's
// error catalogue. Chinese uses full-width colons; English labels and headings are in sentence
// case and say "1 try" not "1 tries"; no message shows an internal code, field name or trace
// instead of words; one term for the payment account (支付账户); never two colons in a row of
// words ("Printer not ready: Printer is out of paper: ...").
import { describe, expect, it } from 'vitest';
import { messageOf, type ErrorCatalogue } from '../../../src-main/common';
import { API_ERRORS } from '../../../src-main/contract';
import { CONFIG_ERRORS } from '../../../src-main/core/config';
import { INQUIRY_ERRORS } from '../../../src-main/core/inquiry/failures';
import { SLIP_ERRORS } from '../../../src-main/core/slip/errors';
import { TERMINAL_ERRORS } from '../../../src-main/core/terminal/types';
import { PINPAD_ERRORS } from '../../../src-main/devices/pinpad';
import { PRINTER_ERRORS } from '../../../src-main/devices/printer';
import { HOST_ERRORS } from '../../../src-main/host';
import { WALLET_ERRORS } from '../../../src-main/host/wallet';
import { STORE_ERRORS } from '../../../src-main/store';
import { SYSTEM_ERRORS } from '../../../src-main/system';
import { en } from '../../../src-renderer/i18n/en';
import { fillMessage } from '../../../src-renderer/i18n/format';
import { zhCN } from '../../../src-renderer/i18n/zh-CN';

/** English values shown right after a label and its colon, or inside a sentence ("Host: online
 *  · no answer in time", "Link: bank private line"): lower case there. */
const MID_SENTENCE =
  /^(status|device|devHealth_|link_|hostProblem_|printerProblem_|trainingFault_|devField_)/;
const MID_SENTENCE_KEYS = new Set(['colon', 'language', 'pinpadReplacedShort']);
const midSentence = (key: string) => MID_SENTENCE.test(key) || MID_SENTENCE_KEYS.has(key);

/** A half-width colon in Chinese text: after a character beyond ASCII, or a placeholder, or
 *  followed by a space (serial:COM3 in an example address is not text). */
const HALF_WIDTH_COLON = /[^ -~]:|\}:|:\s/;
/** An internal code (HOST_TIMEOUT, SLIP_BAD_DATA) or name instead of words. */
const INTERNAL = /\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b|\btrace\b|\bfield\b|maskedAccount|字段/;
/** The words without their placeholders ({field} is filled in with words). */
const words = (value: string) => value.replace(/\{[^}]*\}/g, '');
/** A count followed by an English plural that does not change for one. */
const FIXED_PLURAL =
  /\{\w+\} (tries|digits|inquiries|rows|times|minutes|days|seconds|lines|flags|flag\(s\))/;

const entries = (catalogue: Record<string, string>) => Object.entries(catalogue);

describe('the Chinese screen text', () => {
  it('uses full-width colons', () => {
    const wrong = entries(zhCN).filter(([, value]) => HALF_WIDTH_COLON.test(value));
    expect(wrong).toEqual([]);
  });

  it('calls a payment account 支付账户, never 钱包 or 帐户', () => {
    expect(entries(zhCN).filter(([, value]) => /钱包|帐户|电子账户/.test(value))).toEqual([]);
  });
});

describe('the English screen text', () => {
  it('starts every label, heading and hint with a capital (sentence case)', () => {
    const lower = entries(en).filter(([key, value]) => !midSentence(key) && /^[a-z]/.test(value));
    expect(lower).toEqual([]);
  });

  it('calls the device a terminal, as the terminal ID does (not "till")', () => {
    expect(entries(en).filter(([, value]) => /\btill\b/i.test(value))).toEqual([]);
  });

  it('says "1 try", "2 tries": counts use the plural form', () => {
    expect(entries(en).filter(([, value]) => FIXED_PLURAL.test(value))).toEqual([]);
    expect(fillMessage(en.triesLeft, { n: 1 })).toBe('1 try left');
    expect(fillMessage(en.triesLeft, { n: 2 })).toBe('2 tries left');
    expect(fillMessage(en.pinDigits, { n: 1 })).toBe('1 digit typed');
    expect(fillMessage(en.verifyOk, { rows: 1 })).toContain('1 inquiry,');
  });

  it('calls it a payment account, not a wallet', () => {
    expect(entries(en).filter(([, value]) => /\bwallet\b/i.test(value))).toEqual([]);
  });
});

describe('both screen catalogues', () => {
  it('show no internal code or field name', () => {
    const leaks = [...entries(en), ...entries(zhCN)].filter(
      ([key, value]) => key !== 'devTargetHint' && INTERNAL.test(words(value)),
    );
    expect(leaks).toEqual([]);
  });

  it('never put two colons in one message', () => {
    const doubled = [...entries(en), ...entries(zhCN)].filter(
      ([, value]) => (value.match(/：|: /g) ?? []).length > 1,
    );
    expect(doubled).toEqual([]);
    // A label the screen follows with its own colon (the day summary: "… 3 in all: approved 2").
    expect(en.summaryTotal).not.toContain(':');
    expect(zhCN.summaryTotal).not.toContain('：');
  });
});

const CATALOGUES: Record<string, ErrorCatalogue> = {
  API_ERRORS,
  CONFIG_ERRORS,
  INQUIRY_ERRORS,
  SLIP_ERRORS,
  TERMINAL_ERRORS,
  PINPAD_ERRORS,
  PRINTER_ERRORS,
  HOST_ERRORS,
  WALLET_ERRORS,
  STORE_ERRORS,
  SYSTEM_ERRORS,
};

/** The printer's status words, as PRINTER_NOT_READY and PRINTER_STOPPED_DURING_PRINT get them. */
const PROBLEM = {
  problem: {
    message: 'Printer is out of paper: load a new paper roll',
    messageZh: '打印机缺纸，请装入新纸卷',
  },
};
const SAMPLES: Record<string, unknown> = {
  'PRINTER_ERRORS.PRINTER_NOT_READY': PROBLEM,
  'PRINTER_ERRORS.PRINTER_STOPPED_DURING_PRINT': PROBLEM,
  'SLIP_ERRORS.SLIP_FIELD_MISSING': { field: 'merchantName' },
  'API_ERRORS.LOGIN_FAILED': { triesLeft: 1 },
};

/** The wallet host's own words for its codes (PROTOCOL.md), which the client repeats. */
const WALLET_HOST_WORDS = new Set(['UNKNOWN_TERMINAL', 'PIN_KEY_UNAVAILABLE', 'SYSTEM_ERROR']);

function cashierWords(): { where: string; en: string; zh: string }[] {
  return Object.entries(CATALOGUES).flatMap(([name, catalogue]) =>
    Object.keys(catalogue).flatMap((key) => {
      const sample = SAMPLES[`${name}.${key}`];
      if (!sample && typeof catalogue[key]!.en === 'function') return [];
      const { text } = messageOf(catalogue, key, (sample ?? undefined) as never);
      return [{ where: `${name}.${key}`, ...text }];
    }),
  );
}

describe('the error catalogues, as the cashier reads them', () => {
  const words = cashierWords();

  it('use full-width colons in Chinese', () => {
    expect(words.filter((w) => HALF_WIDTH_COLON.test(w.zh)).map((w) => w.where)).toEqual([]);
  });

  it('show no internal code in Chinese', () => {
    // A command the engineer types (cashier keys load-tmk) is words for the engineer.
    const leaks = words.filter((w) => /\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b|\btrace\b/.test(w.zh));
    expect(leaks.map((w) => `${w.where}: ${w.zh}`)).toEqual([]);
  });

  it('call the payment account 支付账户 in Chinese', () => {
    const other = words.filter(
      (w) => /钱包|帐户/.test(w.zh) && !WALLET_HOST_WORDS.has(w.where.split('.')[1]!),
    );
    expect(other.map((w) => `${w.where}: ${w.zh}`)).toEqual([]);
  });

  it('never chain two colons ("Printer not ready: Printer is out of paper: ...")', () => {
    const doubled = words.filter(
      (w) => (w.en.match(/: /g) ?? []).length > 1 || (w.zh.match(/：/g) ?? []).length > 1,
    );
    expect(doubled.map((w) => `${w.where}: ${w.en} / ${w.zh}`)).toEqual([]);
  });

  it('say "1 try left" to the operator who has one', () => {
    const login = words.find((w) => w.where === 'API_ERRORS.LOGIN_FAILED');
    expect(login?.en).toContain('1 try left');
  });
});
