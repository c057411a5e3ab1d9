// Our wallet client against the clean-room wallet host peer (test/peers/wallet), and our wallet
// simulator against the clean-room wallet client peer, over real HTTPS.
import { afterEach, describe, expect, it } from 'vitest';
import { pinBlockFormat0, tdesDecryptEcb, tdesEncryptEcb } from '../../../../src-main/crypto';
import {
  WalletClient,
  walletPinBlockPan,
  type WalletError,
} from '../../../../src-main/host/wallet';
import { startTrainingWalletSimulator } from '../../../../src-main/sim/wallet/training';
import { TRAINING_WALLET_TERMINAL, TRAINING_WALLET_TLS } from '../../../../src-main/sim/wallet';
import { TRAINING_MASTER_KEY_HEX } from '../../../../src-main/sim/pinpad';
import { PeerWalletClient, startPeerWalletHost } from '../../../peers/wallet';
import { makeSelfSignedCert } from '../../../peers/wallet/tls-fixture';

const SIGNING_KEY = 'a1'.repeat(32);
const WMK = '00112233445566778899AABBCCDDEEFF';
const PIN_KEY = '0123456789ABCDEFFEDCBA9876543210';
const PHONE = '13812345678';

const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function peerHost() {
  const cert = makeSelfSignedCert();
  const host = await startPeerWalletHost({
    port: 0,
    tls: { key: cert.key, cert: cert.cert },
    terminals: [
      {
        terminalId: 'T0000001',
        signingKeyHex: SIGNING_KEY,
        pinKeyHex: PIN_KEY,
        walletMasterKeyHex: WMK,
      },
    ],
    accounts: [
      {
        phone: PHONE,
        walletId: '8800000000000001',
        holderMasked: '*三',
        ledgerFen: 1_254_300,
        availableFen: 1_204_300,
        password: '123456',
      },
    ],
  });
  closers.push(() => host.close());
  const client = new WalletClient({
    baseUrl: host.url,
    terminalId: 'T0000001',
    signingKey: SIGNING_KEY,
    tls: { pinnedSha256: cert.fingerprint },
  });
  return { host, client };
}

async function refusal(p: Promise<unknown>): Promise<WalletError> {
  return p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: WalletError) => e,
  );
}

describe('our WalletClient against the clean-room wallet host', () => {
  it('SMS code: requests a code, answers the balance once, then the code is used up', async () => {
    const { host, client } = await peerHost();
    const sent = await client.requestSmsCode(PHONE);
    expect(sent).toMatchObject({ accountMasked: '138****5678', resendAfterSeconds: 60 });
    const code = host.lastCodeFor(PHONE)!;
    const balance = await client.balanceWithSmsCode(PHONE, code);
    expect(balance).toMatchObject({ ledgerFen: 1_254_300, availableFen: 1_204_300 });
    expect((await refusal(client.balanceWithSmsCode(PHONE, code))).code).toBe(
      'SMS_CODE_NOT_REQUESTED',
    );
  });

  it('a wrong SMS code is refused with tries left', async () => {
    const { host, client } = await peerHost();
    await client.requestSmsCode(PHONE);
    const wrong = host.lastCodeFor(PHONE) === '000000' ? '111111' : '000000';
    const e = await refusal(client.balanceWithSmsCode(PHONE, wrong));
    expect(e).toMatchObject({ code: 'SMS_CODE_WRONG', kind: 'refused' });
    expect(e.details['triesLeft']).toBe(2);
  });

  it('key exchange then payment password: the PIN key comes under the WMK and its KCV holds', async () => {
    const { client } = await peerHost();
    const sent = await client.pinKey();
    // What a PIN pad holding the WMK does inside.
    const pinKey = tdesDecryptEcb(Buffer.from(WMK, 'hex'), sent.keyUnderMasterKey);
    expect(pinKey.toString('hex').toUpperCase()).toBe(PIN_KEY);
    const block = tdesEncryptEcb(pinKey, pinBlockFormat0('123456', walletPinBlockPan(PHONE)));
    const balance = await client.balanceWithPasswordBlock(PHONE, block);
    expect(balance).toMatchObject({ verifiedBy: 'password', availableFen: 1_204_300 });
    const wrong = tdesEncryptEcb(pinKey, pinBlockFormat0('654321', walletPinBlockPan(PHONE)));
    expect((await refusal(client.balanceWithPasswordBlock(PHONE, wrong))).code).toBe(
      'PASSWORD_WRONG',
    );
  });

  it('the echo test passes and reports the clock offset', async () => {
    const { client } = await peerHost();
    const echo = await client.echo();
    expect(Math.abs(echo.clockOffsetMs)).toBeLessThan(5_000);
  });
});

describe('our wallet simulator against the clean-room wallet client', () => {
  async function simAndPeer() {
    const sim = await startTrainingWalletSimulator({ port: 0 });
    closers.push(() => sim.close());
    const peer = new PeerWalletClient({
      baseUrl: sim.address.url,
      terminalId: TRAINING_WALLET_TERMINAL.terminalId,
      signingKeyHex: TRAINING_WALLET_TERMINAL.signingKey,
      pinnedSha256: TRAINING_WALLET_TLS.sha256Fingerprint,
      walletMasterKeyHex: TRAINING_MASTER_KEY_HEX,
    });
    return { sim, peer };
  }

  it('answers the SMS flow with signed replies the peer verifies', async () => {
    const { sim, peer } = await simAndPeer();
    expect((await peer.requestSmsCode(PHONE)).status).toBe(200);
    const reply = await peer.balanceWithSmsCode(PHONE, sim.lastCodeFor(PHONE)!);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      ok: true,
      ledgerFen: 1_254_300,
      accountMasked: '138****5678',
    });
  });

  it('gives the PIN key under the WMK, and takes the peer-made payment-password block', async () => {
    const { peer } = await simAndPeer();
    const key = await peer.pinKey();
    expect(key.status).toBe(200);
    expect(key.clearKeyHex?.toUpperCase()).toBe(TRAINING_WALLET_TERMINAL.pinKey);
    const approved = await peer.balanceWithPassword(PHONE, '123456');
    expect(approved.body).toMatchObject({ ok: true, availableFen: 1_204_300 });
    const wrong = await peer.balanceWithPassword(PHONE, '999999');
    expect(wrong.body).toMatchObject({
      ok: false,
      error: { code: 'PASSWORD_WRONG', triesLeft: 4 },
    });
  });

  it('refuses a replayed nonce and a stale timestamp, with signed refusals', async () => {
    const { peer } = await simAndPeer();
    const stale = await peer.sendRaw('/wallet/v1/echo', '{}', { timestamp: '1000000000' });
    expect(stale.status).toBe(401);
    expect(JSON.parse(stale.bodyBytes.toString('utf8'))).toMatchObject({
      error: { code: 'STALE_TIMESTAMP' },
    });
    expect(stale.signatureProblem).toBeUndefined();
    const first = await peer.sendRaw('/wallet/v1/echo', '{}', { nonce: 'replay-me-0123456789' });
    expect(first.status).toBe(200);
    const again = await peer.sendRaw('/wallet/v1/echo', '{}', { nonce: 'replay-me-0123456789' });
    expect(JSON.parse(again.bodyBytes.toString('utf8'))).toMatchObject({
      error: { code: 'REPLAYED_NONCE' },
    });
  });
});
