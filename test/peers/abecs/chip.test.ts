// EMV tables (TLI/TLR/TLE/GTS), then GCX → GTK → GOX → FCX with a simulated contact chip card,
// device against terminal over a socat pty pair.
import { afterEach, describe, expect, it } from 'vitest';
import { pinFromFormat0, tdesDecryptEcb, tdesEncryptEcb } from './crypto.js';
import {
  startPeerAbecsPad,
  type PeerAbecsPad,
  type PeerAbecsPadOptions,
  type PeerCard,
} from './device.js';
import { parseBerTlv } from './emv.js';
import { PP } from './ids.js';
import { openPtyPair, type PtyPair } from './socat.js';
import { SPEC_TLR_AID_EXAMPLE } from './spec-examples.js';
import {
  PeerAbecsTerminal,
  cexBlock,
  cloBlock,
  fcxBlock,
  gcxBlock,
  goxBlock,
  gtkBlock,
} from './terminal.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const ascii = (s: string): Buffer => Buffer.from(s, 'latin1');

const MK08 = '0123456789ABCDEFFEDCBA9876543210';
const WK = hex('00112233445566778899AABBCCDDEEFF');
const WKENC = tdesEncryptEcb(hex(MK08), WK);
const CHIP: PeerCard = {
  pan: '5413330089020011',
  expiry: '2802',
  track2: '5413330089020011=28022011234567890',
  cardholderName: 'SILVA/JOAO',
  emv: {
    aid: 'A0000000041010',
    label: 'MASTERCARD',
    issuerCountry: '076',
    panSequenceNumber: '01',
  },
};

let pair: PtyPair | undefined;
let pad: PeerAbecsPad | undefined;
let term: PeerAbecsTerminal | undefined;

afterEach(async () => {
  await term?.close().catch(() => undefined);
  await pad?.close().catch(() => undefined);
  await pair?.close();
  term = undefined;
  pad = undefined;
  pair = undefined;
});

async function withTerminal(
  options: Partial<PeerAbecsPadOptions> = {},
): Promise<{ pad: PeerAbecsPad; term: PeerAbecsTerminal }> {
  pair = await openPtyPair();
  pad = await startPeerAbecsPad({
    path: pair.a,
    masterKeys: { 8: MK08 },
    card: CHIP,
    pin: '2468',
    ...options,
  });
  term = await PeerAbecsTerminal.open(pair.b, { silenceMs: 50 });
  return { pad, term };
}

/** Loads the spec's TLR example (network "03": A0000000041010 credit, A0000000043060 debit). */
async function loadTables(t: PeerAbecsTerminal): Promise<void> {
  expect((await t.command('TLI', ascii('03TABVER0001'))).status).toBe('020');
  const tlr = hex(SPEC_TLR_AID_EXAMPLE);
  expect(tlr.toString('latin1', 0, 6)).toBe('TLR630');
  expect((await t.command('TLR', tlr.subarray(3), { raw: true })).status).toBe('000');
  expect((await t.command('TLE')).status).toBe('000');
}

describe('EMV tables (§3.5, §6.7)', () => {
  it('TLI → TLR (spec example) → TLE; GTS and GIX PP_TABVER03 report the version', async () => {
    const { term } = await withTerminal();
    expect((await term.command('GTS', ascii('03'))).blocks[0]).toEqual(ascii('0000000000'));
    await loadTables(term);
    expect((await term.command('GTS', ascii('03'))).pktdata).toEqual(ascii('GTS000010TABVER0001'));
    expect((await term.command('GTS', ascii('00'))).blocks[0]).toEqual(ascii('0000000000'));
    const gix = await term.command('GIX', hex('00 01 00 02 93 03'));
    expect(gix.params?.get(PP.TABVER00 + 3)).toEqual(ascii('TABVER0001'));
    // Same version again: ST_OK (informative), and TLR/TLE without TLI: 010.
    expect((await term.command('TLI', ascii('03TABVER0001'))).status).toBe('000');
    expect((await term.command('TLE')).status).toBe('000');
    expect((await term.command('TLE')).status).toBe('010');
    expect((await term.command('GTS', ascii('03'))).blocks[0]).toEqual(ascii('0000000000')); // no TLR: erased
  });

  it('records of another network are dropped when TLI_ACQIDX is not "00"', async () => {
    const { term } = await withTerminal();
    await term.command('TLI', ascii('05TABVER0001'));
    await term.command('TLR', hex(SPEC_TLR_AID_EXAMPLE).subarray(3), { raw: true });
    await term.command('TLE');
    expect((await term.command('GTS', ascii('05'))).blocks[0]).toEqual(ascii('0000000000'));
    expect((await term.command('GTS', ascii('03'))).blocks[0]).toEqual(ascii('0000000000'));
  });
});

describe('chip card (GCX / GOX / FCX, §3.7, §6.9)', () => {
  it('balance inquiry: GCX → GTK "1010" → GOX (online PIN) → FCX → CLO', async () => {
    const { pad, term } = await withTerminal();
    await loadTables(term);
    const notes: string[] = [];
    const gcx = await term.command(
      'GCX',
      gcxBlock({
        date: '260102',
        time: '103000',
        amountCents: 0,
        trnType: 0x30,
        acqRef: '03',
        tagList: ['9F02', '9C', '5A', '57', '5F28', '5F24'],
      }),
      { onNotification: (m) => notes.push(m) },
    );
    expect(gcx.status).toBe('000');
    const g = gcx.params!;
    expect(g.get(PP.CARDTYPE)).toEqual(ascii('03'));
    expect(g.get(PP.AIDTABINFO)).toEqual(ascii('030101'));
    expect(g.get(PP.PAN)).toEqual(ascii('5413330089020011'));
    expect(g.get(PP.PANSEQNO)).toEqual(ascii('01'));
    expect(g.get(PP.TRK2INC)).toEqual(ascii('5413330089020011=2802201'));
    expect(g.get(PP.CHNAME)).toEqual(ascii('SILVA/JOAO'));
    expect(g.get(PP.LABEL)).toEqual(ascii('MASTERCARD'));
    expect(g.get(PP.ISSCNTRY)).toEqual(ascii('076'));
    expect(g.get(PP.CARDEXP)).toEqual(ascii('280229'));
    // PP_EMVDATA in the order asked, without PAN (5A) and track 2 equivalent (57), §6.8.6.3.
    expect(parseBerTlv(g.get(PP.EMVDATA)!)).toEqual([
      ['9F02', hex('000000000000')],
      ['9C', hex('30')],
      ['5F28', hex('0076')],
      ['5F24', hex('280229')],
    ]);
    expect(notes).toEqual(['SELECIONADO:    MASTERCARD      ']); // NTM_MSG is S32

    const gtk = await term.command('GTK', gtkBlock({ tracks: '1010' }));
    expect([...gtk.params!.keys()]).toEqual([PP.ENCPAN, PP.TRACK2]);
    expect(gtk.params!.get(PP.ENCPAN)).toEqual(hex('54 13 33 00 89 02 00 11'));
    expect(gtk.params!.get(PP.TRACK2)).toEqual(
      hex('54 13 33 00 89 02 00 11 D2 80 22 01 12 34 56 78 90'),
    );

    const gox = await term.command(
      'GOX',
      goxBlock({
        acqRef: '03',
        pinMethod: '1',
        keyIndex: '08',
        workingKeyEnc: WKENC,
        amountCents: 0,
        trnType: 0x30,
        tagList: ['9F27', '9F34', '95', '9F36'],
      }),
      { onNotification: (m) => notes.push(m) },
    );
    expect(gox.status).toBe('000');
    expect(gox.params!.get(PP.GOXRES)).toEqual(ascii('202000'));
    const pinBlock = gox.params!.get(PP.PINBLK)!;
    expect(pinBlock.length).toBe(8);
    expect(pinFromFormat0(tdesDecryptEcb(WK, pinBlock), CHIP.pan)).toBe('2468');
    const goxData = new Map(parseBerTlv(gox.params!.get(PP.EMVDATA)!));
    expect(goxData.get('9F27')).toEqual(hex('80'));
    expect(goxData.get('9F34')).toEqual(hex('420300'));
    expect(goxData.get('95')).toEqual(hex('0000040000'));
    expect(notes[1]).toBe('SOLICITE A SENHA                ');

    const fcx = await term.command(
      'FCX',
      fcxBlock({ options: '0000', arc: '00', tagList: ['9F27', '8A'] }),
    );
    expect(fcx.status).toBe('000');
    expect(fcx.params!.get(PP.FCXRES)).toEqual(ascii('000'));
    expect(parseBerTlv(fcx.params!.get(PP.EMVDATA)!)).toEqual([
      ['9F27', hex('40')],
      ['8A', ascii('00')],
    ]);
    expect((await term.command('FCX', fcxBlock({ options: '0000', arc: '00' }))).status).toBe(
      '010',
    );
    expect((await term.command('CLO', cloBlock('OBRIGADO'))).status).toBe('000');
    expect(pad.answered.map((a) => `${a.id}${a.status}`)).toEqual([
      'TLI020',
      'TLR000',
      'TLE000',
      'GCX000',
      'GTK000',
      'GOX000',
      'FCX000',
      'FCX010',
      'CLO000',
    ]);
  });

  it('order rules: GOX before GCX → 010; FCX before GOX → 010; GOX twice → 010; unknown ACQREF → 011', async () => {
    const { term } = await withTerminal();
    await loadTables(term);
    const gox = goxBlock({ acqRef: '03', pinMethod: '1', keyIndex: '08', workingKeyEnc: WKENC });
    expect((await term.command('GOX', gox)).status).toBe('010');
    await term.command('GCX', gcxBlock({ date: '260102', time: '103000' }));
    expect((await term.command('FCX', fcxBlock({ options: '2000' }))).status).toBe('010');
    expect(
      (
        await term.command(
          'GOX',
          goxBlock({ acqRef: '07', pinMethod: '1', keyIndex: '08', workingKeyEnc: WKENC }),
        )
      ).status,
    ).toBe('011');
    expect((await term.command('GOX', gox)).status).toBe('000');
    expect((await term.command('GOX', gox)).status).toBe('010');
    // Unable to go online ("2xxx"): this card declines.
    expect(
      (await term.command('FCX', fcxBlock({ options: '2000' }))).params?.get(PP.FCXRES),
    ).toEqual(ascii('100'));
  });

  it('mandatory parameters: GCX without date/time → 019; GOX without SPE_MTHDPIN → 019; DUKPT key → 042', async () => {
    const { term } = await withTerminal();
    await loadTables(term);
    expect(
      (await term.command('GCX', hex('00 13 00 0C 30 30 30 30 30 30 30 30 31 30 30 30'))).status,
    ).toBe('019');
    await term.command('GCX', gcxBlock({ date: '260102', time: '103000' }));
    expect((await term.command('GOX', hex('00 10 00 02 30 33 00 09 00 02 30 38'))).status).toBe(
      '019',
    );
    expect(
      (await term.command('GOX', goxBlock({ acqRef: '03', pinMethod: '3', keyIndex: '07' })))
        .status,
    ).toBe('042');
  });

  it('no matching AID → 070 (ST_CARDAPPNAV); the next magnetic GCX reports PP_ICCSTAT "2"', async () => {
    const { pad, term } = await withTerminal({ card: { ...CHIP, emv: { aid: 'A0000000031010' } } });
    await loadTables(term);
    expect((await term.command('GCX', gcxBlock({ date: '260102', time: '103000' }))).status).toBe(
      '070',
    );
    pad.setCard({ pan: CHIP.pan, expiry: CHIP.expiry, track2: CHIP.track2 });
    const gcx = await term.command(
      'GCX',
      gcxBlock({ date: '260102', time: '103100', panMask: '0604' }),
    );
    expect(gcx.params?.get(PP.CARDTYPE)).toEqual(ascii('00'));
    expect(gcx.params?.get(PP.ICCSTAT)).toEqual(ascii('2'));
    expect(gcx.params?.get(PP.TRK2INC)).toEqual(ascii('541333******0011=2802201'));
    const again = await term.command('GCX', gcxBlock({ date: '260102', time: '103200' }));
    expect(again.params?.get(PP.ICCSTAT)).toEqual(ascii('0'));
  });

  it('CANCEL while GCX waits → 013; CEX sees the inserted chip ("92") and its removal ("91")', async () => {
    const { pad, term } = await withTerminal({ cardholderCancels: true });
    await loadTables(term);
    expect((await term.command('GCX', gcxBlock({ date: '260102', time: '103000' }))).status).toBe(
      '013',
    );
    pad.setCardholderCancels(false);
    expect(
      (await term.command('CEX', cexBlock({ options: '011000' }))).params?.get(PP.EVENT),
    ).toEqual(ascii('92'));
    expect(
      (await term.command('CEX', cexBlock({ options: '001000' }))).params?.get(PP.EVENT),
    ).toEqual(ascii('92'));
    expect(
      (await term.command('CEX', cexBlock({ options: '002000' }))).params?.get(PP.EVENT),
    ).toEqual(ascii('91'));
  });

  it('§3.7.2 GED example byte for byte (9F07, 4F, proprietary DF55; unknown 9F08 left out)', async () => {
    // The §3.5.3 example record "01" of network "03" with its AID changed to Visa's.
    const visa = hex(SPEC_TLR_AID_EXAMPLE)
      .toString('latin1')
      .slice(8, 8 + 314)
      .replace('07A0000000041010', '07A0000000031010');
    const { term } = await withTerminal({
      card: {
        ...CHIP,
        emv: { aid: 'A0000000031010', tags: { '9F07': 'FF00', DF55: '1122334455667788' } },
      },
    });
    await term.command('TLI', ascii('03TABVER0002'));
    await term.command('TLR', ascii('01' + visa));
    await term.command('TLE');
    expect((await term.command('GCX', gcxBlock({ date: '260102', time: '103000' }))).status).toBe(
      '000',
    );
    const ged = await term.command('GED', hex('00 04 00 07 9F 07 9F 08 4F DF 55'));
    expect(ged.pktdata).toEqual(
      hex(`47 45 44 30 30 30 30 32 39 80 54 00 19 9F 07 02
        FF 00 4F 07 A0 00 00 00 03 10 10 DF 55 08 11 22
        33 44 55 66 77 88`),
    );
  });

  it('§3.7.4 FCX example command: approved with "Y3", script results 20 00 00 00 00', async () => {
    const { term } = await withTerminal();
    await loadTables(term);
    await term.command('GCX', gcxBlock({ date: '260102', time: '103000' }));
    await term.command(
      'GOX',
      goxBlock({ acqRef: '03', pinMethod: '1', keyIndex: '08', workingKeyEnc: WKENC }),
    );
    const fcx = await term.command(
      'FCX',
      hex(`00 05 00 1E 91 08 A1 02 DB 6D
        41 C6 79 63 72 12 9F 18 00 86 0D 84 24 00 00 08
        A0 71 54 4A 23 76 1A A1 00 04 00 07 95 9F 26 9F
        27 9F 10 00 1C 00 02 59 33 00 19 00 04 30 30 30
        30`),
    );
    expect(fcx.status).toBe('000');
    expect(fcx.params?.get(PP.FCXRES)).toEqual(ascii('000'));
    expect(fcx.params?.get(PP.ISRESULTS)).toEqual(hex('20 00 00 00 00'));
    const tags = parseBerTlv(fcx.params!.get(PP.EMVDATA)!).map(([t]) => t);
    expect(tags).toEqual(['95', '9F26', '9F27', '9F10']);
  });

  it('a CAN during the GOX PIN screen: EOT and no answer', async () => {
    pair = await openPtyPair();
    pad = await startPeerAbecsPad({ path: pair.a, masterKeys: { 8: MK08 }, card: CHIP });
    term = await PeerAbecsTerminal.open(pair.b, { silenceMs: 50 });
    await loadTables(term);
    await term.command('GCX', gcxBlock({ date: '260102', time: '103000' }));
    const pending = term.command(
      'GOX',
      goxBlock({ acqRef: '03', pinMethod: '1', keyIndex: '08', workingKeyEnc: WKENC }),
    );
    await new Promise((r) => setTimeout(r, 150));
    await term.abort();
    await expect(pending).rejects.toMatchObject({ code: 'cancelled' });
    expect(pad.aborted).toEqual([{ id: 'GOX', by: 'CAN' }]);
    expect(pad.display).toBe('');
  });
});
