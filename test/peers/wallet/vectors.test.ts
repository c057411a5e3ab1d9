// The example vectors of PROTOCOL.md ("Example vectors", "Training host"), copied by hand as
// literals: nothing here is computed by the peer to produce an expected value.
import { describe, expect, it } from 'vitest';
import {
  bodyDigestHex,
  canonicalReplyText,
  canonicalRequestText,
  clearPinBlockFormat0,
  clearPinBlockFormat1,
  keyCheckValue,
  maskAccount,
  readClearPinBlock,
  signReply,
  signRequest,
  tdesEcbDecrypt,
  tdesEcbEncrypt,
  walletPanField,
} from './protocol.js';

const SIGNING_KEY = Buffer.from(
  '54303030303030312d77616c6c65742d747261696e696e672d7369676e6b6579',
  'hex',
);
const REQUEST_BODY = '{"account":"13812345678"}';
const REPLY_BODY =
  '{"ok":true,"accountMasked":"138****5678","sentToMasked":"138****5678","expiresInSeconds":300,"resendAfterSeconds":60}';
const PIN_KEY = Buffer.from('0123456789ABCDEFFEDCBA9876543210', 'hex');
const WMK = Buffer.from('6B5E2F3A9C8D7E1F0A2B3C4D5E6F7081', 'hex');

const VECTORS = [
  {
    alg: 'HMAC-SHA256',
    digest: '2c872711482a9699f9dd3eb76081fcc1bd9efde869d857b391583dea61b80cdd',
    signature: '015620ed71b5dda0c8f1cd6f687fadd5c4a5dfe5809527c3d1791b3c10db5ace',
    replySignature: 'edba49db89c3d365291c1d59029b98abbbff5f2ae16ceefc5f2cec74a0aee5f9',
  },
  {
    alg: 'HMAC-SM3',
    digest: '066c13e2078091a3c5c7736f58f641e73ef99d69fa7301bc1f408b23e03c541e',
    signature: 'cbaffa6af4e8db5b986e65c703d4be66de58847a9261b1a588d2029ea8a6519d',
    replySignature: '9be7fd0a1bdd1d74c71bff75a8ba0db0dc92b3703f19cdfa237a7f10e7230b7f',
  },
] as const;

describe('wallet peer: signing vectors', () => {
  it('the training key is the ASCII text of the document', () => {
    expect(SIGNING_KEY.toString('latin1')).toBe('T0000001-wallet-training-signkey');
    expect(Buffer.byteLength(REQUEST_BODY)).toBe(25);
  });

  for (const v of VECTORS) {
    it(`${v.alg}: body digest, canonical request text and X-Signature`, () => {
      expect(bodyDigestHex(v.alg, REQUEST_BODY)).toBe(v.digest);
      const input = {
        alg: v.alg,
        method: 'post',
        path: '/wallet/v1/sms-code',
        terminalId: 'T0000001',
        timestamp: '1795440000',
        nonce: '0123456789abcdef0123456789abcdef',
        body: Buffer.from(REQUEST_BODY),
      };
      expect(canonicalRequestText(input)).toBe(
        `WALLET-HMAC-V1\n${v.alg}\nPOST\n/wallet/v1/sms-code\nT0000001\n1795440000\n` +
          `0123456789abcdef0123456789abcdef\n${v.digest}`,
      );
      expect(signRequest(SIGNING_KEY, input)).toBe(v.signature);
    });

    it(`${v.alg}: reply signature`, () => {
      const input = {
        alg: v.alg,
        status: 200,
        terminalId: 'T0000001',
        requestNonce: '0123456789abcdef0123456789abcdef',
        replyTimestamp: '1795440001',
        replyNonce: 'fedcba9876543210fedcba9876543210',
        body: REPLY_BODY,
      };
      expect(canonicalReplyText(input).split('\n').slice(0, 7)).toEqual([
        'WALLET-HMAC-V1-RESPONSE',
        v.alg,
        '200',
        'T0000001',
        '0123456789abcdef0123456789abcdef',
        '1795440001',
        'fedcba9876543210fedcba9876543210',
      ]);
      expect(signReply(SIGNING_KEY, input)).toBe(v.replySignature);
    });
  }

  it('empty body digest is the digest of zero bytes', () => {
    expect(bodyDigestHex('HMAC-SHA256', '')).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(bodyDigestHex('HMAC-SM3', '')).toBe(
      '1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b',
    );
  });
});

describe('wallet peer: PIN block and key vectors', () => {
  it('format 0 PAN field is the rightmost 12 digits, left-padded', () => {
    expect(walletPanField('13812345678')).toBe('013812345678');
    expect(walletPanField('8800000012345678')).toBe('000012345678');
  });

  it('format 0: 123456 for 13812345678', () => {
    const clear = clearPinBlockFormat0('123456', '13812345678');
    expect(clear.toString('hex').toUpperCase()).toBe('0612356EEDCBA987');
    expect(tdesEcbEncrypt(PIN_KEY, clear).toString('hex').toUpperCase()).toBe('775D28C98240744A');
    const back = tdesEcbDecrypt(PIN_KEY, Buffer.from('775D28C98240744A', 'hex'));
    expect(readClearPinBlock(back, 0, '13812345678')).toBe('123456');
    // bound to the account: the same block read for another account is not a valid block
    expect(readClearPinBlock(back, 0, '13900000002')).toBeUndefined();
  });

  it('format 1 with fill 12345678', () => {
    const clear = clearPinBlockFormat1('123456', '12345678');
    expect(clear.toString('hex').toUpperCase()).toBe('1612345612345678');
    expect(tdesEcbEncrypt(PIN_KEY, clear).toString('hex').toUpperCase()).toBe('7D2ECEDB972DC7C0');
    const back = tdesEcbDecrypt(PIN_KEY, Buffer.from('7D2ECEDB972DC7C0', 'hex'));
    expect(readClearPinBlock(back, 1, '13812345678')).toBe('123456');
    expect(readClearPinBlock(back, 0, '13812345678')).toBeUndefined();
  });

  it('pin-key: key under the WMK and check value', () => {
    expect(tdesEcbEncrypt(WMK, PIN_KEY).toString('hex').toUpperCase()).toBe(
      '23294D0C4D716EBD0995F5B976A33798',
    );
    expect(
      tdesEcbDecrypt(WMK, Buffer.from('23294D0C4D716EBD0995F5B976A33798', 'hex'))
        .toString('hex')
        .toUpperCase(),
    ).toBe('0123456789ABCDEFFEDCBA9876543210');
    expect(keyCheckValue(PIN_KEY)).toBe('08D7B4FB');
  });

  it('account masks', () => {
    expect(maskAccount('13812345678')).toBe('138****5678');
    expect(maskAccount('8800000012345678')).toBe('8800********5678');
  });
});
