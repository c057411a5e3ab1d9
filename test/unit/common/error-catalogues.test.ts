// Every layer's error catalogue, walked: each message has words in English and in Chinese (with
// Chinese characters in them), made from sample parameters; each code says its layer, except the
// codes kept as they were because they cross the wire (README, "One error model"); and no
// catalogue is left out of this walk, nor any error class out of the one base.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { messageOf, type ErrorCatalogue } from '../../../src-main/common';
import { API_ERRORS } from '../../../src-main/contract';
import { CONFIG_ERRORS } from '../../../src-main/core/config';
import { INQUIRY_ERRORS } from '../../../src-main/core/inquiry/failures';
import { SLIP_ERRORS } from '../../../src-main/core/slip/errors';
import { TERMINAL_ERRORS } from '../../../src-main/core/terminal/types';
import { CRYPTO_ERRORS } from '../../../src-main/crypto/errors';
import { PINPAD_ERRORS } from '../../../src-main/devices/pinpad';
import { PRINTER_ERRORS } from '../../../src-main/devices/printer';
import { SERIAL_ERRORS, type Listing } from '../../../src-main/devices/serial';
import { HOST_ERRORS } from '../../../src-main/host';
import { WALLET_ERRORS } from '../../../src-main/host/wallet';
import { ABECS_ERRORS } from '../../../src-main/protocols/abecs';
import { EPP_ERRORS } from '../../../src-main/protocols/cn-epp';
import { ISO8583_ERRORS } from '../../../src-main/protocols/iso8583';
import { HOST_SIM_ERRORS } from '../../../src-main/sim/host';
import { STORE_ERRORS } from '../../../src-main/store';
import { SYSTEM_ERRORS } from '../../../src-main/system';

interface Layer {
  catalogue: ErrorCatalogue;
  /** Every code starts with this; null where the codes are the wire's and were kept. */
  prefix: string | null;
}

const LAYERS: Record<string, Layer> = {
  API_ERRORS: { catalogue: API_ERRORS, prefix: null },
  CONFIG_ERRORS: { catalogue: CONFIG_ERRORS, prefix: 'CONFIG_' },
  INQUIRY_ERRORS: { catalogue: INQUIRY_ERRORS, prefix: null },
  SLIP_ERRORS: { catalogue: SLIP_ERRORS, prefix: 'SLIP_' },
  TERMINAL_ERRORS: { catalogue: TERMINAL_ERRORS, prefix: null },
  CRYPTO_ERRORS: { catalogue: CRYPTO_ERRORS, prefix: 'CRYPTO_' },
  PINPAD_ERRORS: { catalogue: PINPAD_ERRORS, prefix: null },
  PRINTER_ERRORS: { catalogue: PRINTER_ERRORS, prefix: 'PRINTER_' },
  SERIAL_ERRORS: { catalogue: SERIAL_ERRORS, prefix: 'SERIAL_' },
  HOST_ERRORS: { catalogue: HOST_ERRORS, prefix: 'HOST_' },
  WALLET_ERRORS: { catalogue: WALLET_ERRORS, prefix: null },
  ABECS_ERRORS: { catalogue: ABECS_ERRORS, prefix: 'ABECS_' },
  EPP_ERRORS: { catalogue: EPP_ERRORS, prefix: 'EPP_' },
  ISO8583_ERRORS: { catalogue: ISO8583_ERRORS, prefix: 'ISO_' },
  HOST_SIM_ERRORS: { catalogue: HOST_SIM_ERRORS, prefix: 'HOST_SIM_' },
  STORE_ERRORS: { catalogue: STORE_ERRORS, prefix: null },
  SYSTEM_ERRORS: { catalogue: SYSTEM_ERRORS, prefix: 'SYS_' },
};

/** Parameters shaped like the real ones, for the messages whose words look inside them. */
const listing = (first: Listing['first'], fallback?: Listing['fallback']): Listing => ({
  path: '/dev/serial/by-id',
  first,
  ...(fallback ? { fallback } : {}),
});
const SAMPLES: Record<string, unknown> = {
  'SERIAL_ERRORS.SERIAL_UDEV_MISSING': listing({
    kind: 'udev-missing',
    path: 'udevadm',
    detail: 'spawn udevadm ENOENT',
  }),
  'SERIAL_ERRORS.SERIAL_LIST_DENIED': listing(
    { kind: 'udev-missing', path: 'udevadm', detail: 'spawn udevadm ENOENT' },
    {
      cause: { kind: 'denied', program: false, path: '/dev/serial/by-id', detail: 'EACCES' },
      from: ['/sys/class/tty', '/dev/serial/by-id'],
    },
  ),
  'SERIAL_ERRORS.SERIAL_LIST_FAILED': listing({ kind: 'other', path: '', detail: 'odd' }),
  'SLIP_ERRORS.SLIP_FIELD_MISSING': { field: 'merchantName' },
  'STORE_ERRORS.BACKUP_UNUSABLE': { name: 'b.sqlite', why: 'integrity' },
  'STORE_ERRORS.WEAK_PASSWORD': { min: 6, max: 64, problem: 'length', length: 3 },
  'STORE_ERRORS.DATABASE_MISSING': {
    file: '/data/cashier.sqlite',
    db: 'cashier.sqlite',
    marker: 'cashier.sqlite.setup',
    state: 'missing',
  },
  'PRINTER_ERRORS.PRINTER_NOT_READY': { problem: { message: 'Paper out', messageZh: '缺纸' } },
  'PRINTER_ERRORS.PRINTER_STOPPED_DURING_PRINT': {
    problem: { message: 'Cover open', messageZh: '上盖打开' },
  },
  'API_ERRORS.ACCOUNT_LOCKED': { notice: { en: 'Locked until 10:00.', zh: '锁定至10:00。' } },
  'API_ERRORS.TERMINAL_CLOSED': { why: { en: 'port missing', zh: '找不到串口' } },
  'API_ERRORS.LINK_UNPROTECTED': {
    reasons: [{ en: 'Host link unprotected.', zh: '主机链路未受保护。' }],
  },
  'API_ERRORS.PINPAD_IDENTITY_UNREADABLE': { why: { en: 'no answer', zh: '无应答' } },
};

/** Any other message's parameters: every field reads as a small number, or a list of them. */
function anyParams(): unknown {
  const value: object = new Proxy(
    {},
    {
      get: (_target, key) => {
        if (key === Symbol.toPrimitive || key === 'toString') return () => '7';
        if (key === 'join') return () => '7';
        return value;
      },
    },
  );
  return value;
}

const CJK = /[\u4e00-\u9fff]/;

/** The code and words of one message, made from its sample parameters. */
function sample(name: string, catalogue: ErrorCatalogue, key: string) {
  const params = Object.hasOwn(SAMPLES, `${name}.${key}`) ? SAMPLES[`${name}.${key}`] : anyParams();
  return messageOf(catalogue, key, params as never);
}

describe('error catalogues', () => {
  for (const [name, { catalogue, prefix }] of Object.entries(LAYERS)) {
    describe(name, () => {
      it('has words in English and Chinese for every message', () => {
        for (const key of Object.keys(catalogue)) {
          const { code, text } = sample(name, catalogue, key);
          expect(code, `${name}.${key}`).toMatch(/^[A-Z][A-Z0-9_]+$/);
          expect(text.en.trim(), `${name}.${key} en`).not.toBe('');
          expect(text.en, `${name}.${key} en`).toMatch(/[A-Za-z]/);
          expect(text.zh, `${name}.${key} zh`).toMatch(CJK);
          for (const words of [text.en, text.zh]) {
            expect(words, `${name}.${key}`).not.toMatch(/undefined|\[object /);
          }
        }
      });

      it(prefix ? `every code says its layer (${prefix})` : 'keeps the codes of the wire', () => {
        const codes = Object.keys(catalogue).map((key) => sample(name, catalogue, key).code);
        if (prefix) for (const code of codes) expect(code).toMatch(new RegExp(`^${prefix}`));
        else expect(codes.length).toBeGreaterThan(0);
      });
    });
  }
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return entry.name.endsWith('.ts') ? [file] : [];
  });
}

const SOURCES = sourceFiles(path.resolve(__dirname, '../../../src-main')).map((file) => ({
  file: path.relative(path.resolve(__dirname, '../../..'), file),
  text: readFileSync(file, 'utf8'),
}));

describe('one error model', () => {
  it('walks every catalogue in src-main', () => {
    const declared = SOURCES.flatMap(({ text }) =>
      [...text.matchAll(/export const (\w+) = errorCatalogue\(/g)].map((m) => m[1]),
    );
    expect(declared.sort()).toEqual(Object.keys(LAYERS).sort());
  });

  it('has one base: no error class of a layer extends Error itself', () => {
    // The two left are not errors a cashier meets: the CLI's usage mistakes (printed with the
    // command's usage) and the PIN pad drivers' internal "call stopped" marker.
    const plain = SOURCES.flatMap(({ file, text }) =>
      [...text.matchAll(/class (\w+)(?:<[^>]*>)? extends Error\b/g)].map((m) => `${file}: ${m[1]}`),
    );
    expect(plain.sort()).toEqual([
      'src-main/cli/command.ts: CliUsageError',
      'src-main/common/errors.ts: CashierError',
      'src-main/devices/pinpad/call.ts: StoppedError',
    ]);
  });

  it('never recognises an error by its shape', () => {
    const duckTyped = SOURCES.filter(({ text }) => /messageZh\?: unknown/.test(text)).map(
      ({ file }) => file,
    );
    expect(duckTyped).toEqual([]);
  });
});
