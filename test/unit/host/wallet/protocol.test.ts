// The example vectors of PROTOCOL.md, reproduced by the client's signing code and by the
// simulator's independent one; account parsing and masking; the two error tables agree.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { pinBlockFormat0, pinBlockFormat1, tdesEncryptEcb } from '../../../../src-main/crypto';
import {
  WalletInputError,
  WalletRefusedError,
  WalletTimeoutError,
  bodyDigest,
  maskWalletAccount,
  parseWalletAccount,
  requestCanonicalText,
  signRequest,
  signResponse,
  sm3Available,
  walletAmountAsBalance,
  walletEntryMode,
  WALLET_ERRORS,
  walletLogFields,
  walletHostErrorCodes,
  walletPinBlockPan,
  walletPinPanField,
  type WalletSignAlgorithm,
} from '../../../../src-main/host/wallet';
import { TRAINING_WALLET_TERMINAL, walletSimErrors } from '../../../../src-main/sim/wallet';
import {
  expectedRequestSignature,
  responseSignature,
} from '../../../../src-main/sim/wallet/signature';

const KEY = Buffer.from(TRAINING_WALLET_TERMINAL.signingKey, 'hex');
const REQUEST = {
  method: 'POST',
  path: '/wallet/v1/sms-code',
  terminalId: 'T0000001',
  timestamp: '1795440000',
  nonce: '0123456789abcdef0123456789abcdef',
  body: '{"account":"13812345678"}',
};
const REPLY = {
  status: 200,
  terminalId: 'T0000001',
  requestNonce: REQUEST.nonce,
  timestamp: '1795440001',
  nonce: 'fedcba9876543210fedcba9876543210',
  body: '{"ok":true,"accountMasked":"138****5678","sentToMasked":"138****5678","expiresInSeconds":300,"resendAfterSeconds":60}',
};
const VECTORS: Record<WalletSignAlgorithm, { digest: string; request: string; reply: string }> = {
  'HMAC-SHA256': {
    digest: '2c872711482a9699f9dd3eb76081fcc1bd9efde869d857b391583dea61b80cdd',
    request: '015620ed71b5dda0c8f1cd6f687fadd5c4a5dfe5809527c3d1791b3c10db5ace',
    reply: 'edba49db89c3d365291c1d59029b98abbbff5f2ae16ceefc5f2cec74a0aee5f9',
  },
  'HMAC-SM3': {
    digest: '066c13e2078091a3c5c7736f58f641e73ef99d69fa7301bc1f408b23e03c541e',
    request: 'cbaffa6af4e8db5b986e65c703d4be66de58847a9261b1a588d2029ea8a6519d',
    reply: '9be7fd0a1bdd1d74c71bff75a8ba0db0dc92b3703f19cdfa237a7f10e7230b7f',
  },
};
const protocolMd = readFileSync(
  new URL('../../../../src-main/host/wallet/PROTOCOL.md', import.meta.url),
  'utf8',
);

describe('signing vectors (PROTOCOL.md)', () => {
  test('SM3 is available on this Node build', () => {
    expect(sm3Available()).toBe(true);
  });

  for (const algorithm of ['HMAC-SHA256', 'HMAC-SM3'] as const) {
    const v = VECTORS[algorithm];
    test(`${algorithm}: client and simulator reproduce the documented signatures`, () => {
      expect(bodyDigest(algorithm, REQUEST.body)).toBe(v.digest);
      expect(requestCanonicalText({ algorithm, ...REQUEST })).toBe(
        [
          'WALLET-HMAC-V1',
          algorithm,
          'POST',
          '/wallet/v1/sms-code',
          'T0000001',
          '1795440000',
          REQUEST.nonce,
          v.digest,
        ].join('\n'),
      );
      expect(signRequest(KEY, { algorithm, ...REQUEST })).toBe(v.request);
      expect(
        expectedRequestSignature(algorithm, KEY, { ...REQUEST, body: Buffer.from(REQUEST.body) }),
      ).toBe(v.request);
      expect(signResponse(KEY, { algorithm, ...REPLY })).toBe(v.reply);
      expect(responseSignature(algorithm, KEY, { ...REPLY, body: Buffer.from(REPLY.body) })).toBe(
        v.reply,
      );
      // The values in the test are the ones printed in the document.
      for (const hex of [v.digest, v.request, v.reply]) expect(protocolMd).toContain(hex);
    });
  }

  test('the documented payment-password blocks', () => {
    const pinKey = Buffer.from(TRAINING_WALLET_TERMINAL.pinKey, 'hex');
    const clear0 = pinBlockFormat0('123456', walletPinBlockPan('13812345678'));
    expect(clear0.toString('hex').toUpperCase()).toBe('0612356EEDCBA987');
    expect(tdesEncryptEcb(pinKey, clear0).toString('hex').toUpperCase()).toBe('775D28C98240744A');
    const clear1 = pinBlockFormat1('123456', Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]));
    expect(clear1.toString('hex').toUpperCase()).toBe('1612345612345678');
    expect(tdesEncryptEcb(pinKey, clear1).toString('hex').toUpperCase()).toBe('7D2ECEDB972DC7C0');
    for (const hex of ['775D28C98240744A', '7D2ECEDB972DC7C0']) expect(protocolMd).toContain(hex);
  });
});

describe('accounts', () => {
  test('phone numbers and wallet ids are recognised, spaces and dashes ignored', () => {
    expect(parseWalletAccount('138 1234-5678')).toEqual({ kind: 'phone', value: '13812345678' });
    expect(parseWalletAccount('8800 0000 1234 5678')).toEqual({
      kind: 'walletId',
      value: '8800000012345678',
    });
    for (const bad of ['', '1381234567', '12812345678', '880000001234567', 'abc', '138123456789']) {
      expect(() => parseWalletAccount(bad)).toThrow(WalletInputError);
    }
  });

  test('masking', () => {
    expect(maskWalletAccount('13812345678')).toBe('138****5678');
    expect(maskWalletAccount('8800000012345678')).toBe('8800********5678');
  });

  test('the PIN pad PAN field is the rightmost 12 account digits', () => {
    expect(walletPinPanField('13812345678')).toBe('013812345678');
    expect(walletPinPanField('8800000012345678')).toBe('000012345678');
    expect(walletPinBlockPan('13812345678')).toBe('0138123456780');
  });
});

describe('error catalogue', () => {
  test('the simulated host and the client use the same codes and texts', () => {
    expect(Object.keys(walletSimErrors).sort()).toEqual([...walletHostErrorCodes].sort());
    for (const code of walletHostErrorCodes) {
      expect(walletSimErrors[code].en).toBe(WALLET_ERRORS[code].en);
      expect(walletSimErrors[code].zh).toBe(WALLET_ERRORS[code].zh);
    }
  });

  test('every code has a Chinese and an English text, and is documented', () => {
    for (const [code, texts] of Object.entries(WALLET_ERRORS)) {
      expect(texts.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(texts.en).toMatch(/[a-z]/);
      expect(protocolMd).toContain(`\`${code}\``);
    }
  });
});

describe('log fields', () => {
  test('a balance logs as approved with the reference in the RRN column', () => {
    const fields = walletLogFields({
      accountKind: 'phone',
      accountMasked: '138****5678',
      holderMasked: '*三',
      ledgerFen: 100,
      availableFen: 90,
      currency: '156',
      ledger: walletAmountAsBalance('ledger', 100),
      available: walletAmountAsBalance('available', 90),
      reference: 'W26112300001',
      hostTime: '2026-11-23T12:00:00Z',
      verifiedBy: 'password',
    });
    expect(fields).toEqual({
      outcome: 'approved',
      responseClass: 'approved',
      rrn: 'W26112300001',
      ledgerFen: 100,
      availableFen: 90,
      currency: '156',
      errorCode: null,
      errorMessage: null,
    });
    expect(walletEntryMode('password')).toBe('pay-password');
    expect(walletEntryMode('sms')).toBe('sms-code');
  });

  test('a refusal is declined, a timeout failed', () => {
    expect(walletLogFields(new WalletRefusedError('SMS_CODE_WRONG', 422, 2))).toMatchObject({
      outcome: 'declined',
      responseClass: 'refused',
      errorCode: 'SMS_CODE_WRONG',
      errorMessage: '验证码错误 / wrong code',
    });
    expect(walletLogFields(new WalletTimeoutError('response', 15000))).toMatchObject({
      outcome: 'failed',
      responseClass: 'timeout',
      errorCode: 'RESPONSE_TIMEOUT',
    });
  });
});

describe('client and simulator signatures agree on any input', () => {
  test('same signature for random requests; a changed body byte changes it', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<WalletSignAlgorithm>('HMAC-SHA256', 'HMAC-SM3'),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 1, maxLength: 300 }),
        fc.stringMatching(/^\/wallet\/v1\/[a-z-]{1,12}$/),
        fc.stringMatching(/^[A-Za-z0-9_-]{16,64}$/),
        fc.integer({ min: 0, max: 4_000_000_000 }),
        fc.nat(),
        (algorithm, keyBytes, bodyBytes, path, nonce, seconds, flip) => {
          const key = Buffer.from(keyBytes);
          const body = Buffer.from(bodyBytes);
          const r = {
            method: 'POST',
            path,
            terminalId: 'T0000001',
            timestamp: String(seconds),
            nonce,
          };
          const client = signRequest(key, { algorithm, ...r, body });
          expect(expectedRequestSignature(algorithm, key, { ...r, body })).toBe(client);
          const changed = Buffer.from(body);
          changed[flip % changed.length] ^= 0x01;
          expect(expectedRequestSignature(algorithm, key, { ...r, body: changed })).not.toBe(
            client,
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  test('masking never shows more than 7 digits of a phone or 8 of a wallet id', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^(1[3-9]\d{9}|\d{16})$/), (account) => {
        const masked = maskWalletAccount(account);
        expect(masked.length).toBe(account.length);
        expect(masked.replace(/\*/g, '').length).toBeLessThanOrEqual(account.length === 11 ? 7 : 8);
      }),
    );
  });
});
