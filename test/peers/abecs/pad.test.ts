// Device side against terminal side (and against raw bytes) over a real socat pty pair.
import { afterEach, describe, expect, it } from 'vitest';
import { encodeFrame, tlv } from './codec.js';
import { pinFromFormat0, tdesDecryptCbc, tdesDecryptEcb, tdesEncryptEcb } from './crypto.js';
import {
  startPeerAbecsPad,
  type PeerAbecsPad,
  type PeerAbecsPadOptions,
  type PeerCard,
} from './device.js';
import { PP, SPE } from './ids.js';
import { RawLine } from './rawline.js';
import { openPtyPair, type PtyPair } from './socat.js';
import { SPEC_OPN_KMOD, SPEC_OPN_KPRV, SPEC_OPN_KPUB } from './spec-examples.js';
import {
  AbecsLinkError,
  PeerAbecsTerminal,
  cexBlock,
  cloBlock,
  decodeGin00,
  decodeGpn,
  dspBlock,
  ginBlock,
  gpnBlock,
  gtkBlock,
  tlvBlock,
} from './terminal.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const ascii = (s: string): Buffer => Buffer.from(s, 'latin1');

/** The spec's 500 ms "silence" after EOT / before NAK, shortened so the suite stays quick. */
const FAST = { silenceMs: 50 };

const MK08 = '0123456789ABCDEFFEDCBA9876543210';
const WK = hex('11223344556677888877665544332211');
const WKENC = tdesEncryptEcb(hex(MK08), WK);
const CARD: PeerCard = {
  pan: '6222020200112233446',
  expiry: '3012',
  track1: 'B6222020200112233446^ZHANG/SAN^30121010000000000',
  track2: '6222020200112233446=30121010000000000',
};

let pair: PtyPair | undefined;
let pad: PeerAbecsPad | undefined;
let term: PeerAbecsTerminal | undefined;
let raw: RawLine | undefined;

afterEach(async () => {
  await term?.close().catch(() => undefined);
  await raw?.close().catch(() => undefined);
  await pad?.close().catch(() => undefined);
  await pair?.close();
  term = undefined;
  raw = undefined;
  pad = undefined;
  pair = undefined;
});

async function startPad(
  options: Partial<PeerAbecsPadOptions> = {},
): Promise<{ pad: PeerAbecsPad; other: string }> {
  pair = await openPtyPair();
  pad = await startPeerAbecsPad({
    path: pair.a,
    masterKeys: { 8: MK08 },
    card: CARD,
    pin: '1234',
    ...options,
  });
  return { pad, other: pair.b };
}

async function withTerminal(
  options: Partial<PeerAbecsPadOptions> = {},
): Promise<{ pad: PeerAbecsPad; term: PeerAbecsTerminal }> {
  const s = await startPad(options);
  term = await PeerAbecsTerminal.open(s.other, FAST);
  return { pad: s.pad, term };
}

async function withRaw(
  options: Partial<PeerAbecsPadOptions> = {},
): Promise<{ pad: PeerAbecsPad; raw: RawLine }> {
  const s = await startPad(options);
  raw = await RawLine.open(s.other);
  return { pad: s.pad, raw };
}

describe('a balance inquiry by swipe', () => {
  it('OPN → GIN → DSP → CEX → GTK "0010" → GPN → CLO', async () => {
    const { pad, term } = await withTerminal();
    expect((await term.command('OPN')).status).toBe('000');

    const gin = await term.command('GIN', ginBlock('00'));
    expect(gin.status).toBe('000');
    expect(decodeGin00(gin)).toMatchObject({ maker: 'PEER', specVersion: '2.12', ctls: false });

    expect((await term.command('DSP', dspBlock('CONSULTA SALDO', 'PASSE O CARTAO'))).status).toBe(
      '000',
    );
    expect(pad.display).toBe('CONSULTA SALDO  PASSE O CARTAO  ');

    const cex = await term.command('CEX', cexBlock({ options: '010000' }));
    expect(cex.status).toBe('000');
    expect(cex.params?.get(PP.EVENT)).toEqual(ascii('90'));
    expect(cex.params?.get(PP.TRK1INC)).toEqual(ascii('B6222020200112233446^ZHANG/SAN^3012101'));
    expect(cex.params?.get(PP.TRK2INC)).toEqual(ascii('6222020200112233446=3012101'));

    const gtk = await term.command('GTK', gtkBlock({ tracks: '0010' }));
    expect(gtk.status).toBe('000');
    expect([...gtk.params!.keys()]).toEqual([PP.TRACK2]);
    expect(gtk.params!.get(PP.TRACK2)).toEqual(
      hex('62 22 02 02 00 11 22 33 44 6D 30 12 10 10 00 00 00 00 0F'),
    );

    const gpn = await term.command(
      'GPN',
      gpnBlock({
        keyIndex: 8,
        workingKeyEnc: WKENC,
        pan: CARD.pan,
        min: 4,
        max: 12,
        message: ['VALOR: CONSULTA', 'SENHA:'],
      }),
    );
    expect(gpn.status).toBe('000');
    expect(gpn.pktdata.toString('latin1', 0, 9)).toBe('GPN000036');
    const { pinBlock, ksn } = decodeGpn(gpn);
    expect(ksn).toBe('00000000000000000000');
    // ISO 9564 format 0 by hand: 04 12 34 FF FF FF FF FF xor 00 00 02 00 11 22 33 44.
    expect(tdesDecryptEcb(WK, pinBlock)).toEqual(hex('04 12 36 FF EE DD CC BB'));
    expect(pinFromFormat0(tdesDecryptEcb(WK, pinBlock), CARD.pan)).toBe('1234');
    expect(pad.display).toBe(''); // §6.5.11: display cleared at the end

    expect((await term.command('CLO', cloBlock('OBRIGADO'))).status).toBe('000');
    expect(pad.display).toBe('OBRIGADO                        ');

    expect(pad.received.map((r) => r.id)).toEqual([
      'OPN',
      'GIN',
      'DSP',
      'CEX',
      'GTK',
      'GPN',
      'CLO',
    ]);
    expect(pad.answered).toEqual(
      ['OPN', 'GIN', 'DSP', 'CEX', 'GTK', 'GPN', 'CLO'].map((id) => ({ id, status: '000' })),
    );
    expect(pad.received[3]!.params?.get(SPE.CEXOPT)).toEqual(ascii('010000'));
    expect(pad.received[5]!.fields).toMatchObject({
      GPN_METHOD: '1',
      GPN_KEYIDX: '08',
      GPN_PANLEN: '19',
      GPN_ENTRIES: '1',
    });
    expect(pad.notifications).toEqual([]); // single-entry GPN: no NTM (§3.3.11)
  });

  it('the spec CEX example byte for byte (§3.3.1)', async () => {
    const { term } = await withTerminal({
      card: {
        pan: '4313032929830011',
        expiry: '1508',
        track2: '4313032929830011=15086011234567890',
      },
    });
    const r = await term.command('CEX', hex('00 06 00 06 30 31 30 30 30 30'));
    expect(r.pktdata).toEqual(
      hex(`43 45 58 30 30 30 30 33 34 80 40 00 02 39 30 80
        42 00 18 34 33 31 33 30 33 32 39 32 39 38 33 30
        30 31 31 3D 31 35 30 38 36 30 31`),
    );
  });

  it('SPE_PANMASK masks PP_TRK1INC and PP_TRK2INC (§5.4.1 examples)', async () => {
    const { term } = await withTerminal({
      card: {
        pan: '376432971001006',
        expiry: '2108',
        track1: 'B3764 329710 01006^JOE^2108100265123756',
        track2: '4444333322221111=2212601019923625524',
      },
    });
    const r = await term.command('CEX', cexBlock({ options: '010000', panMask: '0604' }));
    expect(r.params?.get(PP.TRK1INC)).toEqual(ascii('B3764 32**** *1006^JOE^2108100'));
    expect(r.params?.get(PP.TRK2INC)).toEqual(ascii('444433******1111=2212601'));
    const r2 = await term.command('CEX', cexBlock({ options: '010000', panMask: '0700' }));
    expect(r2.params?.get(PP.TRK2INC)).toEqual(ascii('4444333*********=2212601'));
  });

  it('GTK "0100" returns track 1 only; a second GTK answers 010', async () => {
    const { term } = await withTerminal();
    await term.command('CEX', cexBlock({ options: '010000' }));
    const gtk = await term.command('GTK', gtkBlock({ tracks: '0100' }));
    expect(gtk.status).toBe('000');
    expect([...gtk.params!.keys()]).toEqual([PP.TRACK1]);
    expect(gtk.params!.get(PP.TRACK1)).toEqual(ascii(CARD.track1!));
    expect(gtk.params!.has(PP.TRACK2)).toBe(false);
    const again = await term.command('GTK', gtkBlock({ tracks: '0100' }));
    expect(again.status).toBe('010');
    expect(again.pktdata).toEqual(ascii('GTK010'));
  });

  it('GTK without SPE_TRACKS returns every track known; PAN flag alone after CEX returns nothing', async () => {
    const { term } = await withTerminal();
    await term.command('CEX', cexBlock({ options: '010000' }));
    const all = await term.command('GTK');
    expect([...all.params!.keys()]).toEqual([PP.TRACK1, PP.TRACK2]);
    await term.command('CEX', cexBlock({ options: '010000' }));
    const panOnly = await term.command('GTK', gtkBlock({ tracks: '1' }));
    expect(panOnly.status).toBe('000');
    expect(panOnly.blocks).toEqual([]);
  });

  it('§3.3.12 GTK example command (MK/WK:TDES:DAT CBC, IV, 4 clear digits, key "07")', async () => {
    const dat07 = 'FEDCBA98765432100123456789ABCDEF';
    const { term } = await withTerminal({ dataMasterKeys: { 7: dat07 } });
    await term.command('CEX', cexBlock({ options: '010000' }));
    const gtk = await term.command(
      'GTK',
      hex(`00 07 00 04 31 30 31 30 00 03
        00 02 31 31 00 1D 00 08 7F 7C 1A FA C0 A8 4F B7
        00 08 00 01 34 00 09 00 02 30 37 00 0A 00 10 C2
        BC A2 4F 3E F8 F2 EF 1C 0F 07 A9 7D 38 C3 38`),
    );
    expect(gtk.status).toBe('000');
    expect([...gtk.params!.keys()]).toEqual([PP.TRACK2]); // no PP_ENCPAN for a magnetic card
    const track2 = gtk.params!.get(PP.TRACK2)!;
    expect(track2.subarray(0, 2)).toEqual(hex('62 22'));
    expect(track2.length).toBe(2 + 24);
    const wk = tdesDecryptEcb(hex(dat07), hex('C2BCA24F3EF8F2EF1C0F07A97D38C338'));
    expect(tdesDecryptCbc(wk, track2.subarray(2), hex('7F7C1AFAC0A84FB7'))).toEqual(
      hex('02 02 00 11 22 33 44 6D 30 12 10 10 00 00 00 00 0F FF FF FF FF FF FF FF'),
    );
  });

  it('GTK with a data key that is not loaded → 042, and the one GTK is not used up', async () => {
    const { term } = await withTerminal();
    await term.command('CEX', cexBlock({ options: '010000' }));
    const r = await term.command(
      'GTK',
      gtkBlock({ tracks: '0010', method: '10', keyIndex: '07', workingKey: Buffer.alloc(16) }),
    );
    expect(r.status).toBe('042');
    expect((await term.command('GTK', gtkBlock({ tracks: '0010', method: '10' }))).status).toBe(
      '019',
    );
    expect((await term.command('GTK', gtkBlock({ tracks: '0010' }))).status).toBe('000');
  });

  it('GIX without SPE_IDLIST returns every (†) datum this pad has (§3.2.4)', async () => {
    const { term } = await withTerminal();
    const r = await term.command('GIX');
    expect(r.status).toBe('000');
    expect([...r.params!.keys()]).toEqual([
      PP.SERNUM,
      PP.MODEL,
      PP.MNNAME,
      PP.CAPAB,
      PP.SOVER,
      PP.SPECVER,
      PP.MANVERS,
      PP.APPVERS,
      PP.GENVERS,
      PP.KRNLVER,
      PP.DSPTXTSZ,
      PP.MKTDESP,
      PP.MKTDESD,
      PP.DKPTTDESP,
      PP.DKPTTDESD,
      PP.TLRMEM,
    ]);
    expect(r.params!.get(PP.MKTDESP)!.toString('latin1')).toBe('00000000' + '1' + '0'.repeat(91));
    expect(r.params!.get(PP.SPECVER)).toEqual(ascii('2.12'));
    expect(await term.command('GIX', hex('00 01 00 03 80 01 80'))).toMatchObject({ status: '011' });
  });

  it('GTK before any CEX answers 010', async () => {
    const { term } = await withTerminal();
    expect((await term.command('GTK', gtkBlock({ tracks: '0010' }))).status).toBe('010');
  });

  it('GPN with PANLEN "00" uses the card read by CEX until GTK wipes it (then 010)', async () => {
    const { term } = await withTerminal({ pin: '987654' });
    expect(
      (await term.command('GPN', gpnBlock({ keyIndex: 8, workingKeyEnc: WKENC, pan: '' }))).status,
    ).toBe('010');
    await term.command('CEX', cexBlock({ options: '010000' }));
    const gpn = await term.command('GPN', gpnBlock({ keyIndex: 8, workingKeyEnc: WKENC, pan: '' }));
    expect(gpn.status).toBe('000');
    expect(pinFromFormat0(tdesDecryptEcb(WK, decodeGpn(gpn).pinBlock), CARD.pan)).toBe('987654');
    await term.command('GTK', gtkBlock({ tracks: '0010' }));
    expect(
      (await term.command('GPN', gpnBlock({ keyIndex: 8, workingKeyEnc: WKENC, pan: '' }))).status,
    ).toBe('010');
  });

  it('the spec GPN example command (key "08", PAN 4444333322221111)', async () => {
    const { pad, term } = await withTerminal({ pin: '4321' });
    const wkenc = hex('4135EA58BA13E262F44C59ED7899AA3C');
    const r = await term.command(
      'GPN',
      hex(`31 30 38 34 31 33 35 45 41 35
        38 42 41 31 33 45 32 36 32 46 34 34 43 35 39 45
        44 37 38 39 39 41 41 33 43 31 36 34 34 34 34 33
        33 33 33 32 32 32 32 31 31 31 31 20 20 20 31 30
        34 31 32 52 24 20 20 20 20 20 20 20 20 20 33 34
        2C 35 36 44 49 47 49 54 45 20 53 55 41 20 53 45
        4E 48 41`),
    );
    expect(r.status).toBe('000');
    expect(pad.received[0]!.fields).toMatchObject({
      GPN_KEYIDX: '08',
      GPN_PAN: '4444333322221111   ',
      GPN_MIN1: '04',
      GPN_MAX1: '12',
      GPN_MSG1: 'R$         34,56DIGITE SUA SENHA',
    });
    const wk = tdesDecryptEcb(hex(MK08), wkenc);
    expect(pinFromFormat0(tdesDecryptEcb(wk, decodeGpn(r).pinBlock), '4444333322221111')).toBe(
      '4321',
    );
  });
});

describe('status codes', () => {
  it('unknown command → ERR010 (frame 16 "ERR010" 17 B7 11)', async () => {
    const { raw } = await withRaw();
    await raw.write(encodeFrame(ascii('XYZ')));
    expect(await raw.byte(2000)).toBe(0x06);
    expect(await raw.frame()).toEqual(hex('16 45 52 52 30 31 30 17 B7 11'));
  });

  it('unknown command via the terminal', async () => {
    const { pad, term } = await withTerminal();
    const r = await term.command('ZZZ');
    expect([r.id, r.status]).toEqual(['ERR', '010']);
    expect(pad.answered).toEqual([{ id: 'ERR', status: '010' }]);
  });

  it('cardholder cancel: GPN → 013; CEX checking keys → PP_EVENT "13"', async () => {
    const { term } = await withTerminal({ cardholderCancels: true });
    expect(
      (await term.command('GPN', gpnBlock({ keyIndex: 8, workingKeyEnc: WKENC, pan: CARD.pan })))
        .status,
    ).toBe('013');
    const cex = await term.command('CEX', cexBlock({ options: '110000' }));
    expect(cex.status).toBe('000');
    expect(cex.params?.get(PP.EVENT)).toEqual(ascii('13'));
  });

  it('CANCEL is ignored when CEX does not check keys: SPE_TIMEOUT ends it with 012', async () => {
    const { term } = await withTerminal({ cardholderCancels: true });
    const t0 = Date.now();
    const cex = await term.command('CEX', cexBlock({ options: '010000', timeoutSec: 1 }));
    expect(cex.status).toBe('012');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
  });

  it('empty MK index → 042; index not numeric → 011', async () => {
    const { term } = await withTerminal();
    expect(
      (await term.command('GPN', gpnBlock({ keyIndex: 9, workingKeyEnc: WKENC, pan: CARD.pan })))
        .status,
    ).toBe('042');
    expect(
      (await term.command('GPN', gpnBlock({ method: '3', keyIndex: 8, pan: CARD.pan }))).status,
    ).toBe('042');
    const bad = gpnBlock({ keyIndex: 8, workingKeyEnc: WKENC, pan: CARD.pan });
    bad.write('A', 1, 'latin1');
    expect((await term.command('GPN', bad)).status).toBe('011');
  });

  it('GPN parameter checks: ENTRIES ≠ "1", MIN1 < "04", PAN not numeric → 011', async () => {
    const { term } = await withTerminal();
    const gpn = (p: Partial<Parameters<typeof gpnBlock>[0]>): Buffer =>
      gpnBlock({ keyIndex: 8, workingKeyEnc: WKENC, pan: CARD.pan, ...p });
    expect((await term.command('GPN', gpn({ entries: 3 }))).status).toBe('011');
    expect((await term.command('GPN', gpn({ min: 3 }))).status).toBe('011');
    expect((await term.command('GPN', gpn({ min: 8, max: 6 }))).status).toBe('011');
    expect((await term.command('GPN', gpn({ pan: '62220202A0112233' }))).status).toBe('011');
  });

  it('GPN gives up with 012 when no key is pressed (idle limit shortened)', async () => {
    const { term } = await withTerminal({ pin: undefined, pinIdleTimeoutMs: 300 });
    const r = await term.command(
      'GPN',
      gpnBlock({ keyIndex: 8, workingKeyEnc: WKENC, pan: CARD.pan }),
    );
    expect(r.status).toBe('012');
  });

  it('a PIN typed after GPN started is taken', async () => {
    const { pad, term } = await withTerminal({ pin: undefined });
    const pending = term.command(
      'GPN',
      gpnBlock({ keyIndex: 8, workingKeyEnc: WKENC, pan: CARD.pan }),
    );
    await new Promise((r) => setTimeout(r, 100));
    pad.setPin('55555');
    const r = await pending;
    expect(pinFromFormat0(tdesDecryptEcb(WK, decodeGpn(r).pinBlock), CARD.pan)).toBe('55555');
  });

  it('CEX without SPE_CEXOPT → 019; broken TLV → 011', async () => {
    const { term } = await withTerminal();
    expect((await term.command('CEX')).status).toBe('019');
    expect((await term.command('CEX', tlvBlock(tlv(SPE.TIMEOUT, Buffer.of(5))))).status).toBe(
      '019',
    );
    expect(await term.command('CEX', hex('00 06 00 09 30 31'))).toMatchObject({ status: '011' });
  });

  it('CEX waits for a card swiped later; ICC removal is immediate ("91")', async () => {
    const { pad, term } = await withTerminal({ card: undefined });
    const pending = term.command('CEX', cexBlock({ options: '010000' }));
    await new Promise((r) => setTimeout(r, 150));
    pad.setCard(CARD);
    expect((await pending).params?.get(PP.EVENT)).toEqual(ascii('90'));
    const removal = await term.command('CEX', cexBlock({ options: '002000' }));
    expect(removal.params?.get(PP.EVENT)).toEqual(ascii('91'));
  });

  it('GIN example of §3.2.3 byte for byte, and GIN "02"', async () => {
    const { term } = await withTerminal({
      info: {
        maker: 'CYGNUS',
        model: 'PP X-1;10MB',
        contactless: true,
        osVersion: '8065XA077X0060X',
        specVersion: '2.00',
        managerVersion: '001.03 130715',
        serialNumber: '001101010300000',
        kernelVersion: 'V1.09',
        appVersion: '001.03 130715',
      },
    });
    const r = await term.command('GIN', ascii('00'));
    expect(r.pktdata).toEqual(
      hex(`47 49 4E 30 30 30 31 30 30 43 59 47 4E 55 53 20
        20 20 20 20 20 20 20 20 20 20 20 20 20 50 50 20
        58 2D 31 3B 31 30 4D 42 20 20 20 20 20 20 20 20
        43 38 30 36 35 58 41 30 37 37 58 30 30 36 30 58
        20 20 20 20 20 32 2E 30 30 30 30 31 2E 30 33 20
        31 33 30 37 31 35 20 20 20 30 30 31 31 30 31 30
        31 30 33 30 30 30 30 30 20 20 20 20 20`),
    );
    const r2 = await term.command('GIN', ascii('02'));
    expect(r2.pktdata).toEqual(
      hex(`47 49 4E 30 30 30 30 34 32 41 62 65 63 73 20 20
        20 56 31 2E 30 39 20 20 20 20 20 20 20 30 30 31
        2E 30 33 20 31 33 30 37 31 35 32 2E 30 30 20 20
        20 30 30`),
    );
    expect((await term.command('GIN', ascii('0'))).status).toBe('011');
  });

  it('DEX, DSP and CLO examples of the spec', async () => {
    const { pad, raw } = await withRaw();
    const exchange = async (pktdata: Buffer): Promise<Buffer> => {
      await raw.write(encodeFrame(pktdata));
      expect(await raw.byte(2000)).toBe(0x06);
      return raw.frame();
    };
    const dex = hex(`44 45 58 30 33 38 30 33 35 46 65 6C 69 7A 20 4E
      61 74 61 6C 0D 65 20 75 6D 0D 50 72 F3 73 70 65
      72 6F 0D 41 6E 6F 20 4E 6F 76 6F 21`);
    expect(await exchange(dex)).toEqual(encodeFrame(ascii('DEX000')));
    expect(pad.display).toBe('Feliz Natal\ne um\nPróspero\nAno Novo!');
    const dsp = hex(`44 53 50 30 33 32 45 52 52 4F 20 44 45 20 4F 50
      45 52 41 C7 C3 4F 43 D3 44 49 47 4F 3A 20 20 32
      31 31 32 2F 37 36`);
    expect(await exchange(dsp)).toEqual(hex('16 44 53 50 30 30 30 17 39 63'));
    expect(pad.display).toBe('ERRO DE OPERAÇÃOCÓDIGO:  2112/76');
    const clo = hex(`43 4C 4F 30 33 32 50 4F 53 54 4F 20 46 4F 52 C7
      41 20 31 30 20 20 4F 42 52 49 47 41 44 4F 21 21
      21 20 20 20 20 20`);
    expect((await exchange(clo)).subarray(1, 7)).toEqual(ascii('CLO000'));
    expect(pad.display).toBe('POSTO FORÇA 10  OBRIGADO!!!     ');
    // DSP robustness (§6.5.5): short message padded, control characters shown as spaces.
    expect((await exchange(ascii('DSP005AB\x01CD'))).subarray(1, 7)).toEqual(ascii('DSP000'));
    expect(pad.display).toBe('AB CD' + ' '.repeat(27));
    // DEX_MSGLEN not matching DEX_MSG → 011 (§6.5.4).
    expect((await exchange(ascii('DEX006004ABC'))).subarray(1, 7)).toEqual(ascii('DEX011'));
  });
});

describe('link level (§2.2, §6.2.1)', () => {
  it('§2.2.2.1 example: CRC 00 00 → NAK; resent with A8 A9 → ACK and OPN000', async () => {
    const { pad, raw } = await withRaw();
    await raw.write(hex('16 4F 50 4E 17 00 00'));
    expect(await raw.byte(2000)).toBe(0x15);
    await raw.write(hex('16 4F 50 4E 17 A8 A9'));
    expect(await raw.byte(2000)).toBe(0x06);
    expect(await raw.frame()).toEqual(hex('16 4F 50 4E 30 30 30 17 77 5E'));
    expect(pad.linkLog).toEqual(['NAK', 'ACK']);
  });

  it('NAK after a response makes the pad send it again; a NAK with nothing sent is ignored', async () => {
    const { pad, raw } = await withRaw();
    await raw.write(Buffer.of(0x15));
    expect(await raw.byte(300)).toBeNull();
    await raw.write(hex('16 4F 50 4E 17 A8 A9'));
    expect(await raw.byte(2000)).toBe(0x06);
    const first = await raw.frame();
    await raw.write(Buffer.of(0x15));
    expect(await raw.frame()).toEqual(first);
    expect(pad.linkLog).toEqual(['ACK', 'NAK-resend']);
  });

  it('CAN → EOT in the idle state; a stray ACK is ignored', async () => {
    const { raw } = await withRaw();
    await raw.write(Buffer.of(0x18));
    expect(await raw.byte(2000)).toBe(0x04);
    await raw.write(Buffer.of(0x06));
    expect(await raw.byte(300)).toBeNull();
    await raw.write(hex('16 4F 50 4E 17 A8 A9'));
    expect(await raw.bytes(1)).toEqual(Buffer.of(0x06));
    expect(await raw.frame()).toEqual(hex('16 4F 50 4E 30 30 30 17 77 5E'));
  });

  it('CAN aborts a blocking CEX: EOT, no CEX answer', async () => {
    const { pad, raw } = await withRaw({ card: undefined });
    await raw.write(
      encodeFrame(Buffer.concat([ascii('CEX010'), hex('00 06 00 06 30 31 30 30 30 30')])),
    );
    expect(await raw.byte(2000)).toBe(0x06);
    await new Promise((r) => setTimeout(r, 100));
    await raw.write(Buffer.of(0x18));
    expect(await raw.byte(2000)).toBe(0x04);
    pad.setCard(CARD); // too late: CEX was aborted
    expect(await raw.drain(300)).toEqual(Buffer.alloc(0));
    expect(pad.aborted).toEqual([{ id: 'CEX', by: 'CAN' }]);
    expect(pad.answered).toEqual([]);
  });

  it('a new command aborts a blocking CEX (§6.2.1) and is answered', async () => {
    const { pad, raw } = await withRaw({ card: undefined });
    await raw.write(
      encodeFrame(Buffer.concat([ascii('CEX010'), hex('00 06 00 06 30 31 30 30 30 30')])),
    );
    expect(await raw.byte(2000)).toBe(0x06);
    await new Promise((r) => setTimeout(r, 100));
    await raw.write(hex('16 4F 50 4E 17 A8 A9'));
    expect(await raw.byte(2000)).toBe(0x06);
    expect(await raw.frame()).toEqual(hex('16 4F 50 4E 30 30 30 17 77 5E'));
    expect(pad.aborted).toEqual([{ id: 'CEX', by: 'command' }]);
    expect(pad.answered).toEqual([{ id: 'OPN', status: '000' }]);
  });

  it('terminal abort() during CEX: CAN/EOT and the command rejects as cancelled', async () => {
    const { pad, term } = await withTerminal({ card: undefined });
    const pending = term.command('CEX', cexBlock({ options: '010000' }));
    await new Promise((r) => setTimeout(r, 150));
    await term.abort();
    await expect(pending).rejects.toMatchObject({ code: 'cancelled' });
    expect(pad.aborted).toEqual([{ id: 'CEX', by: 'CAN' }]);
    expect((await term.command('OPN')).status).toBe('000');
  });

  it('inter-byte timeout inside a packet → NAK (timeout shortened)', async () => {
    const { raw } = await withRaw({ interByteTimeoutMs: 200 });
    await raw.write(hex('16 4F 50'));
    const t0 = Date.now();
    expect(await raw.byte(3000)).toBe(0x15);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(600); // 200 ms + 500 ms of silence
  });

  it('escaped bytes in a command (DC3 33 / 36 / 37) are restored before the CRC check', async () => {
    const { pad, raw } = await withRaw();
    // CEX with SPE_TIMEOUT = 17h (23 s): the value byte goes as 13 37 on the line.
    const pktdata = Buffer.concat([
      ascii('CEX015'),
      hex('00 06 00 06 30 31 30 30 30 30 00 0C 00 01 17'),
    ]);
    const frame = encodeFrame(pktdata);
    expect(frame.subarray(-5, -2)).toEqual(hex('13 37 17'));
    await raw.write(frame);
    expect(await raw.byte(2000)).toBe(0x06);
    await raw.frame();
    expect(pad.received[0]!.params?.get(SPE.TIMEOUT)).toEqual(Buffer.of(0x17));
  });
});

describe('terminal side against a raw pad', () => {
  it('§2.2.2.2 example: a DSP000 answer with CRC FF FF is NAKed, the resent one accepted', async () => {
    pair = await openPtyPair();
    raw = await RawLine.open(pair.a);
    const opening = PeerAbecsTerminal.open(pair.b, FAST);
    expect(await raw.byte(2000)).toBe(0x18);
    await raw.write(Buffer.of(0x04));
    term = await opening;
    const pending = term.command('DSP', dspBlock('    OPERAÇÃO', '   FINALIZADA'));
    expect(await raw.frame()).toEqual(
      hex(`16 44 53 50 30 33 32 20 20 20 20 4F 50 45 52 41
        C7 C3 4F 20 20 20 20 20 20 20 46 49 4E 41 4C 49
        5A 41 44 41 20 20 20 17 52 13`),
    );
    await raw.write(Buffer.of(0x06));
    await raw.write(hex('16 44 53 50 30 30 30 17 FF FF'));
    expect(await raw.byte(3000)).toBe(0x15);
    await raw.write(hex('16 44 53 50 30 30 30 17 39 63'));
    const r = await pending;
    expect([r.id, r.status]).toEqual(['DSP', '000']);
    expect(term.linkLog).toEqual(['CAN', 'EOT', 'ACK', 'NAK-sent']);
  });

  it('a NAKed command is sent again, at most three times', async () => {
    pair = await openPtyPair();
    raw = await RawLine.open(pair.a);
    const opening = PeerAbecsTerminal.open(pair.b, FAST);
    expect(await raw.byte(2000)).toBe(0x18);
    await raw.write(Buffer.of(0x04));
    term = await opening;
    const pending = term.command('OPN');
    for (let i = 0; i < 3; i++) {
      expect(await raw.frame()).toEqual(hex('16 4F 50 4E 17 A8 A9'));
      await raw.write(Buffer.of(0x15));
    }
    await expect(pending).rejects.toBeInstanceOf(AbecsLinkError);
    await expect(pending).rejects.toMatchObject({ code: 'nak' });
  });

  it('NTM notifications during a blocking command are reported, then the answer', async () => {
    pair = await openPtyPair();
    raw = await RawLine.open(pair.a);
    const opening = PeerAbecsTerminal.open(pair.b, FAST);
    expect(await raw.byte(2000)).toBe(0x18);
    await raw.write(Buffer.of(0x04));
    term = await opening;
    const seen: string[] = [];
    const pending = term.command('GPN', gpnBlock({ keyIndex: 0, pan: '4444333322221111' }), {
      onNotification: (m) => seen.push(m),
    });
    await raw.frame();
    await raw.write(Buffer.of(0x06));
    // §3.3.11 example notification: "NTM000032" + "RG: últimos 2   dígitos:        "
    await raw.write(
      encodeFrame(
        hex(`4E 54 4D 30 30 30 30 33 32 52 47 3A 20 FA 6C 74
          69 6D 6F 73 20 32 20 20 20 64 ED 67 69 74 6F 73
          3A 20 20 20 20 20 20 20 20`),
      ),
    );
    await raw.write(encodeFrame(ascii('GPN013')));
    const r = await pending;
    expect(r.status).toBe('013');
    expect(seen).toEqual(['RG: últimos 2   dígitos:        ']);
  });

  it('no ACK within the wait → no-ack error (timing shortened)', async () => {
    pair = await openPtyPair();
    raw = await RawLine.open(pair.a);
    const opening = PeerAbecsTerminal.open(pair.b, { ...FAST, ackTimeoutMs: 200 });
    expect(await raw.byte(2000)).toBe(0x18);
    await raw.write(Buffer.of(0x04));
    term = await opening;
    await expect(term.command('OPN')).rejects.toMatchObject({ code: 'no-ack' });
  });
});

describe('secure communication (§5.2) with the spec example RSA key', () => {
  it('OPN (secure) → encrypted GIX → CLO in clear', async () => {
    const { pad, term } = await withTerminal({
      info: { serialNumber: '991274366155', maker: 'HEMISPHERES  ' },
    });
    const opn = await term.openSecure({
      modulus: hex(SPEC_OPN_KMOD),
      publicExponent: hex(SPEC_OPN_KPUB),
      privateExponent: hex(SPEC_OPN_KPRV),
    });
    expect(opn.status).toBe('000');
    expect(opn.pktdata.toString('latin1', 0, 12)).toBe('OPN000515256');
    expect(term.secure).toBe(true);
    const gix = await term.command('GIX', hex('00 01 00 04 80 01 80 04'));
    expect(gix.secure).toBe(true);
    expect(gix.params?.get(PP.SERNUM)).toEqual(ascii('991274366155'));
    expect(gix.params?.get(PP.MNNAME)).toEqual(ascii('HEMISPHERES  '));
    expect(pad.received[1]).toMatchObject({ id: 'GIX', secure: true });
    const clo = await term.command('CLO', cloBlock());
    expect(clo.secure).toBe(false);
    expect(term.secure).toBe(false);
    expect((await term.command('OPN')).secure).toBe(false);
  });

  it('an encrypted packet without secure communication → ERR003', async () => {
    const { raw } = await withRaw();
    await raw.write(encodeFrame(hex('12 00 11 22 33 44 55 66 77 88 99 AA BB CC DD EE FF')));
    expect(await raw.byte(2000)).toBe(0x06);
    expect((await raw.frame()).subarray(1, 7)).toEqual(ascii('ERR003'));
  });
});
