// The Chinese EPP path against the clean-room EPP peer (test/peers/cn-epp) over a real socat pty:
// our driver drives the peer device, our emulator is driven by the peer terminal, and the
// terminal as the console wires it (EPP key store + bank host peer + wallet host peer) signs on
// with the working keys loaded into the EPP, MACs every host message in the EPP, refuses a card
// inquiry before it starts, and completes a payment-password inquiry with the EPP's PIN block.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InquiryRunner } from '../../../../src-main/core/inquiry';
import { defaultConfig } from '../../../../src-main/core/config';
import { openLiveTerminal } from '../../../../src-main/core/terminal';
import {
  keyCheckValue,
  pinBlockFormat0,
  tdesDecryptEcb,
  tdesEncryptEcb,
  unionPayEcbMac,
} from '../../../../src-main/crypto';
import { CardData, CnEppPinpad } from '../../../../src-main/devices/pinpad';
import { SoftwareKeyStore } from '../../../../src-main/host';
import { walletPinBlockPan } from '../../../../src-main/host/wallet';
import { startPinpadEmulator } from '../../../../src-main/sim/pinpad';
import { openStore } from '../../../../src-main/store';
import type { InquiryView } from '../../../../src-main/contract';
import { startPeerBankHost } from '../../../peers/iso8583-host';
import { startPeerEpp, PeerEppTerminal } from '../../../peers/cn-epp';
import { startPeerWalletHost } from '../../../peers/wallet';
import { makeSelfSignedCert } from '../../../peers/wallet/tls-fixture';
import { ptyPair } from './pty-fixture';

const TMK = '1F2E3D4C5B6A79880123456789ABCDEF';
const WMK = '00112233445566778899AABBCCDDEEFF';
const WALLET_PIN_KEY = '0123456789ABCDEFFEDCBA9876543210';
const SIGNING_KEY = '11'.repeat(32);
const CARD = { pan: '6222020200112233446', pin: '246810', ledgerFen: 500, availableFen: 400 };

const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
});

async function peerEppOnPty(name: string, pin: string) {
  const pty = await ptyPair(name);
  closers.push(() => pty.close());
  const epp = await startPeerEpp({
    path: pty.devicePath,
    pin,
    masterKeys: {
      1: { key: TMK, algorithm: '3des' },
      2: { key: WMK, algorithm: '3des' },
    },
  });
  closers.push(() => epp.close());
  return { pty, epp };
}

const MAC_COMMAND = 0x41;
const LOAD_WORKING_KEY = 0x32;

describe('our EPP driver against the clean-room EPP peer', () => {
  it('loads master and working keys with verified check values, gets a PIN block and a MAC', async () => {
    const { pty, epp } = await peerEppOnPty('peer-epp-driver', '1234');
    const pad = new CnEppPinpad({ path: pty.hostPath });
    closers.push(() => pad.close());
    await pad.open();
    const master = Buffer.from('0123456789ABCDEFFEDCBA9876543210', 'hex');
    const pik = Buffer.from('C24A8FB57AA20123C24A8FB57AA20123', 'hex');
    const mak = Buffer.from('AB7C577CC7A18045', 'hex');
    const loaded = await pad.loadKeys({
      algorithm: '3des',
      master: { index: 5, key: master, expectedKcv: keyCheckValue(master, '3des') },
      working: [
        {
          masterIndex: 5,
          index: 2,
          usage: 'pin',
          encryptedKey: tdesEncryptEcb(master, pik),
          expectedKcv: keyCheckValue(pik, '3des'),
        },
        {
          masterIndex: 5,
          index: 3,
          usage: 'mac',
          encryptedKey: tdesEncryptEcb(master, mak),
          expectedKcv: keyCheckValue(mak, '3des'),
        },
      ],
    });
    // The published KCV vector of this key.
    expect(loaded.masterKcv?.toString('hex').toUpperCase()).toBe('08D7B4FB');
    expect(epp.loadedKeys()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'working', index: 2, usage: '3' }),
        expect.objectContaining({ kind: 'working', index: 3, usage: '5' }),
      ]),
    );

    const card = new CardData('swipe', { pan: CARD.pan });
    const pin = await pad.getPin({
      card,
      key: { scheme: 'mkwk', algorithm: '3des', masterKeyIndex: 5, workingKeyIndex: 2 },
    });
    expect(pin.outcome).toBe('pin');
    if (pin.outcome !== 'pin') return;
    expect(tdesDecryptEcb(pik, pin.pinBlock)).toEqual(pinBlockFormat0('1234', CARD.pan));

    const mab = Buffer.from('0200302004C020C09811000000000000000051', 'hex');
    const mac = await pad.computeMac({ keyIndex: 3, algorithm: '3des', data: mab });
    expect(mac).toEqual(unionPayEcbMac(mak, mab));
    expect(epp.macs.at(-1)?.mac).toEqual(mac);
  });

  it('a working key that fails its check value is refused (KCV_MISMATCH)', async () => {
    const { pty } = await peerEppOnPty('peer-epp-kcv', '1234');
    const pad = new CnEppPinpad({ path: pty.hostPath });
    closers.push(() => pad.close());
    await pad.open();
    const tmk = Buffer.from(TMK, 'hex');
    const pik = Buffer.from('C24A8FB57AA20123C24A8FB57AA20123', 'hex');
    await expect(
      pad.loadKeys({
        algorithm: '3des',
        working: [
          {
            masterIndex: 1,
            index: 2,
            usage: 'pin',
            encryptedKey: tdesEncryptEcb(tmk, pik),
            expectedKcv: Buffer.from('00000000', 'hex'),
          },
        ],
      }),
    ).rejects.toMatchObject({ code: 'KCV_MISMATCH' });
  });
});

describe('our EPP emulator driven by the clean-room EPP terminal', () => {
  it('answers key loads, PIN entry, PIN block and MAC as the device profile says', async () => {
    const pty = await ptyPair('peer-epp-emu');
    closers.push(() => pty.close());
    const emulator = await startPinpadEmulator({
      protocol: 'cn-epp',
      path: pty.devicePath,
      cable: pty,
      pin: '4321',
      masterKeys: {},
    });
    closers.push(() => emulator.close());
    const terminal = await PeerEppTerminal.open(pty.hostPath);
    closers.push(() => terminal.close());
    const master = '0123456789ABCDEFFEDCBA9876543210';
    expect(await terminal.loadMasterKey(7, master)).toBe('08D7B4FB');
    const pik = Buffer.from('D931648F3DE313A4A22C15DCA4F4299E', 'hex');
    const mak = Buffer.from('AB7C577CC7A18045', 'hex');
    const m = Buffer.from(master, 'hex');
    // The 0810 vector's check values for these clear keys.
    expect(
      await terminal.loadWorkingKey(
        7,
        2,
        '3',
        tdesEncryptEcb(m, pik).toString('hex').toUpperCase(),
      ),
    ).toBe('900ECCE3');
    expect(
      await terminal.loadWorkingKey(
        7,
        3,
        '5',
        tdesEncryptEcb(m, mak).toString('hex').toUpperCase(),
      ),
    ).toBe('CFF1592A');
    const entry = await terminal.enterPin(10_000);
    expect(entry).toMatchObject({ outcome: 'entered', digitsSeen: 4 });
    const block = await terminal.pinBlock(2, CARD.pan);
    expect(tdesDecryptEcb(pik, block)).toEqual(pinBlockFormat0('4321', CARD.pan));
    const data = Buffer.from('0820002000000080000000000100', 'hex');
    expect(await terminal.mac(3, data)).toEqual(unionPayEcbMac(mak, data));
  });
});

describe('a live cn-epp terminal with the bank host and wallet host peers', () => {
  async function liveEppTerminal(name: string, pin: string) {
    const { pty, epp } = await peerEppOnPty(name, pin);
    const bank = await startPeerBankHost({ port: 0, tmk: TMK, cards: [CARD] });
    closers.push(() => bank.close());
    const cert = makeSelfSignedCert();
    const walletHost = await startPeerWalletHost({
      port: 0,
      tls: { key: cert.key, cert: cert.cert },
      terminals: [
        {
          terminalId: 'T0000001',
          signingKeyHex: SIGNING_KEY,
          pinKeyHex: WALLET_PIN_KEY,
          walletMasterKeyHex: WMK,
        },
      ],
      accounts: [
        {
          phone: '13812345678',
          holderMasked: '*三',
          ledgerFen: 1_254_300,
          availableFen: 1_204_300,
          password: '135790',
        },
      ],
    });
    closers.push(() => walletHost.close());
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cashier-epp-live-'));
    const keys = new SoftwareKeyStore(path.join(dataDir, 'keys'));
    keys.setWalletSigningKey(Buffer.from(SIGNING_KEY, 'hex'));
    const config = defaultConfig();
    config.mode = 'live';
    // Plain TCP to the test host: recorded as a private line, as live mode needs one or TLS.
    config.host.privateLine = true;
    config.host = { ...config.host, address: '127.0.0.1', port: bank.port };
    config.pinpad = {
      protocol: 'cn-epp',
      port: { kind: 'serial', path: pty.hostPath },
      masterKeyIndex: 1,
      walletMasterKeyIndex: 2,
    };
    config.printer = { ...config.printer, target: 'none' };
    config.wallet = {
      url: walletHost.url,
      algorithm: 'HMAC-SHA256',
      pinnedSha256: cert.fingerprint,
      connectTimeoutMs: 5000,
      responseTimeoutMs: 15_000,
    };
    const terminal = await openLiveTerminal(config, dataDir);
    closers.push(() => terminal.close());
    const store = await openStore(dataDir);
    closers.push(() => store.close());
    return { terminal, store, epp, bank, walletHost };
  }

  function runner(
    terminal: Awaited<ReturnType<typeof openLiveTerminal>>,
    store: Awaited<ReturnType<typeof openStore>>,
  ) {
    let resolveDone: (v: InquiryView) => void = () => undefined;
    const done = new Promise<InquiryView>((r) => (resolveDone = r));
    const inquiries = new InquiryRunner({
      terminal,
      store,
      training: false,
      servicePhone: '95516',
      emit: (p) => {
        if (p.step === 'done' && p.result) resolveDone(p.result);
      },
    });
    return { inquiries, done };
  }

  it('sign-on loads PIK and MAK into the EPP with verified check values', async () => {
    const { terminal, epp } = await liveEppTerminal('peer-epp-signon', '135790');
    const signOn = await terminal.host.signOn('01');
    expect(signOn.responseCode).toBe('00');
    const loads = epp.received.filter((r) => r.cmd === LOAD_WORKING_KEY);
    expect(loads).toHaveLength(2);
    const working = epp.loadedKeys().filter((k) => k.kind === 'working');
    expect(working.map((k) => [k.index, k.usage, k.kcv])).toEqual(
      expect.arrayContaining([
        [2, '3', signOn.checkValues.pik],
        [3, '5', signOn.checkValues.mak],
      ]),
    );
  });

  it('a card inquiry is refused before it starts: this pad has no card reader', async () => {
    const { terminal, store, epp } = await liveEppTerminal('peer-epp-card', '135790');
    const { inquiries } = runner(terminal, store);
    let refused: unknown;
    try {
      inquiries.startCard({ id: null, operatorNo: '01' });
    } catch (err) {
      refused = err;
    }
    expect(refused).toMatchObject({ code: 'CARD_READER_REQUIRED' });
    expect((refused as { messageZh: string }).messageZh).toMatch(/^请使用读卡器/);
    expect(inquiries.busy).toBe(false);
    expect(epp.received).toHaveLength(0);
    expect((await store.transactions.search({})).rows).toHaveLength(0);
  });

  it('every MAC of a host message comes from the EPP, and the host verifies it', async () => {
    const { terminal, epp, bank } = await liveEppTerminal('peer-epp-mac', CARD.pin);
    await terminal.host.signOn('01');
    // A card read elsewhere (the card reader of a later issue); the PIN block from the EPP.
    const card = new CardData('swipe', { pan: CARD.pan });
    await terminal.pinpad.open();
    const pin = await terminal.pinpad.getPin({ card, key: terminal.cardPinKey() });
    if (pin.outcome !== 'pin') throw new Error('no PIN');
    const answer = await terminal.host.balanceInquiry({
      pan: CARD.pan,
      entryMode: '01',
      pinBlock: pin.pinBlock,
    });
    expect(answer).toMatchObject({ approved: true, responseCode: '00' });
    expect(answer.available?.signedFen).toBe(CARD.availableFen);
    const macCalls = epp.received.filter((r) => r.cmd === MAC_COMMAND);
    // One MAC for the request, one to verify the answer: both inside the EPP.
    expect(macCalls).toHaveLength(2);
    expect(bank.exchanges.at(-1)?.macValid).toBe(true);
  });

  it('a payment-password inquiry completes with the PIN block of the EPP', async () => {
    const { terminal, store, epp } = await liveEppTerminal('peer-epp-wallet', '135790');
    const { inquiries, done } = runner(terminal, store);
    inquiries.startWallet({ id: null, operatorNo: '01' }, '13812345678', { kind: 'password' });
    const result = await done;
    expect(result).toMatchObject({
      outcome: 'approved',
      accountKind: 'wallet',
      availableFen: 1_204_300,
      ledgerFen: 1_254_300,
    });
    // The wallet PIN key went into the EPP under the wallet master key, checked by its KCV.
    expect(epp.loadedKeys()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'working',
          index: 4,
          usage: '3',
          kcv: keyCheckValue(Buffer.from(WALLET_PIN_KEY, 'hex'), '3des')
            .toString('hex')
            .toUpperCase(),
        }),
      ]),
    );
    // The PIN block was asked of the EPP with the account's 12-digit PAN field.
    const asked = epp.received.find((r) => r.cmd === 0x37)!;
    expect(asked.data.subarray(3).toString('latin1')).toBe(
      walletPinBlockPan('13812345678').slice(-13, -1),
    );
  });

  it('a wrong payment password is refused by the wallet host, with tries left', async () => {
    const { terminal, store } = await liveEppTerminal('peer-epp-wallet-wrong', '999999');
    const { inquiries, done } = runner(terminal, store);
    inquiries.startWallet({ id: null, operatorNo: '01' }, '13812345678', { kind: 'password' });
    const result = await done;
    expect(result.outcome).toBe('declined');
    expect(result.errorCode).toBe('PASSWORD_WRONG');
  });
});
