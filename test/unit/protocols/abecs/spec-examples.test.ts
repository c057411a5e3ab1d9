// ABECS 2.12 examples, byte for byte: the expected bytes are copied by hand from the
// specification (/work/spec/abecs-2.12.md, section in each test), never produced by our encoders.
import { describe, expect, it } from 'vitest';
import {
  PAN_AND_TRACK2,
  TRACK2_ONLY,
  decodeCexOptions,
  decodeDexBlock,
  decodeFcxResult,
  decodeGcxResult,
  decodeGinInfo,
  decodeGoxResult,
  decodeGpnBlock,
  decodeGpnResult,
  decodeGtkResult,
  decodeResponse,
  dexBlock,
  displayBlock,
  encodeCommand,
  gcxParams,
  ginRequestBlocks,
  gpnBlock,
  gtkParams,
  tlvBlocks,
  tlvFromBlocks,
} from '../../../../src-main/protocols/abecs';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');
const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1');

describe('§3.1.3 Abecs parameters', () => {
  it('a repeated parameter ID keeps its first value (§6.2.2)', () => {
    const params = tlvFromBlocks([
      hex('00 06 00 06 30 31 30 30 30 30 00 06 00 06 31 31 31 31 30 30'),
    ]);
    expect(params.get(0x0006)).toEqual(latin1('010000'));
  });
});

describe('§3.2.3 GIN', () => {
  it('GIN00200 and the 100-byte answer: maker A20, model A19, CTLS A1, OS A20, spec A4, manager A16, serial A20', () => {
    expect(encodeCommand('GIN', ginRequestBlocks())).toEqual(hex('47 49 4E 30 30 32 30 30'));
    const answer = decodeResponse(
      hex(`47 49 4E 30 30 30 31 30 30 43 59 47 4E 55 53 20
        20 20 20 20 20 20 20 20 20 20 20 20 20 50 50 20
        58 2D 31 3B 31 30 4D 42 20 20 20 20 20 20 20 20
        43 38 30 36 35 58 41 30 37 37 58 30 30 36 30 58
        20 20 20 20 20 32 2E 30 30 30 30 31 2E 30 33 20
        31 33 30 37 31 35 20 20 20 30 30 31 31 30 31 30
        31 30 33 30 30 30 30 30 20 20 20 20 20`),
    );
    expect(decodeGinInfo(answer.blocks[0]!)).toEqual({
      maker: 'CYGNUS',
      model: 'PP X-1;10MB',
      contactless: true,
      osVersion: '8065XA077X0060X',
      specVersion: '2.00',
      managerVersion: '001.03 130715',
      serialNumber: '001101010300000',
    });
  });
});

describe('§3.2.6 CLO, §3.3.5 DSP, §3.3.4 DEX', () => {
  it('CLO032 "POSTO FORÇA 10" / "OBRIGADO!!!"', () => {
    expect(encodeCommand('CLO', [displayBlock('POSTO FORÇA 10', 'OBRIGADO!!!')])).toEqual(
      hex(`43 4C 4F 30 33 32 50 4F 53 54 4F 20 46 4F 52 C7
        41 20 31 30 20 20 4F 42 52 49 47 41 44 4F 21 21
        21 20 20 20 20 20`),
    );
  });

  it('DSP032 "ERRO DE OPERAÇÃO" / "CÓDIGO:  2112/76"', () => {
    expect(encodeCommand('DSP', [displayBlock('ERRO DE OPERAÇÃO', 'CÓDIGO:  2112/76')])).toEqual(
      hex(`44 53 50 30 33 32 45 52 52 4F 20 44 45 20 4F 50
        45 52 41 C7 C3 4F 43 D3 44 49 47 4F 3A 20 20 32
        31 31 32 2F 37 36`),
    );
  });

  it('DEX038 035 with CR line breaks; the pad refuses a length that does not match (§6.5.4)', () => {
    const spec = hex(`44 45 58 30 33 38 30 33 35 46 65 6C 69 7A 20 4E
      61 74 61 6C 0D 65 20 75 6D 0D 50 72 F3 73 70 65
      72 6F 0D 41 6E 6F 20 4E 6F 76 6F 21`);
    expect(encodeCommand('DEX', [dexBlock('Feliz Natal\ne um\nPróspero\nAno Novo!')])).toEqual(
      spec,
    );
    expect(decodeDexBlock(spec.subarray(6))).toBe('Feliz Natal\re um\rPróspero\rAno Novo!');
    // DEX_MSGLEN "003" with 5 characters, and a length over 160: ST_INVPARM.
    expect(() => decodeDexBlock(latin1('003HELLO'))).toThrow(/DEX_MSGLEN/);
    expect(() => decodeDexBlock(latin1('161' + 'A'.repeat(161)))).toThrow(/DEX_MSGLEN/);
    // Any byte below 20h is a line break.
    expect(decodeDexBlock(latin1('005A\nB\tC'))).toBe('A\rB\rC');
  });
});

describe('§3.3.1 CEX options (§6.5.1 robustness)', () => {
  it('SPE_CEXOPT of any length, out-of-range characters read as "0"', () => {
    const opts = (text: string) =>
      decodeCexOptions(
        tlvFromBlocks([
          Buffer.concat([hex(`00 06 00 0${text.length.toString(16)}`), latin1(text)]),
        ]),
      );
    expect(opts('01')).toEqual({
      keys: false,
      magstripe: true,
      chip: 'ignore',
      contactless: false,
    });
    expect(opts('1129')).toEqual({
      keys: true,
      magstripe: true,
      chip: 'remove',
      contactless: false,
    });
    expect(opts('0011000000')).toEqual({
      keys: false,
      magstripe: false,
      chip: 'insert',
      contactless: true,
    });
  });
});

describe('§3.3.11 GPN', () => {
  const command = hex(`47 50 4E 30 39 33 31 30 38 34 31 33 35 45 41 35
    38 42 41 31 33 45 32 36 32 46 34 34 43 35 39 45
    44 37 38 39 39 41 41 33 43 31 36 34 34 34 34 33
    33 33 33 32 32 32 32 31 31 31 31 20 20 20 31 30
    34 31 32 52 24 20 20 20 20 20 20 20 20 20 33 34
    2C 35 36 44 49 47 49 54 45 20 53 55 41 20 53 45
    4E 48 41`);
  const request = {
    method: 1 as const,
    keyIndex: 8,
    workingKeyHex: '4135EA58BA13E262F44C59ED7899AA3C',
    pan: '4444333322221111',
    minDigits: 4,
    maxDigits: 12,
    message: 'R$         34,56DIGITE SUA SENHA',
  };

  it('the MK/WK:TDES example: METHOD, KEYIDX, WKENC, PANLEN, PAN A19, ENTRIES, MIN1, MAX1, MSG1', () => {
    expect(encodeCommand('GPN', [gpnBlock(request)])).toEqual(command);
    expect(decodeGpnBlock(command.subarray(6))).toEqual(request);
  });

  it('the answer: GPN_PINBLK H16 + GPN_KSN H20 (zeros for MK/WK)', () => {
    const answer = decodeResponse(
      hex(`47 50 4E 30 30 30 30 33 36 42 42 36 42 45 32 38
        46 44 46 33 35 32 32 45 39 30 30 30 30 30 30 30
        30 30 30 30 30 30 30 30 30 30 30 30 30`),
    );
    expect(decodeGpnResult(answer.blocks[0]!)).toEqual({
      pinBlockHex: 'BB6BE28FDF3522E9',
      ksnHex: '0'.repeat(20),
    });
  });

  it('the format checks that answer ST_INVPARM (§6.5.11): MIN1 < 04, MAX1 < MIN1, PANLEN 01, ENTRIES 3', () => {
    const block = command.subarray(6).toString('latin1');
    const at = (i: number, text: string) =>
      latin1(block.slice(0, i) + text + block.slice(i + text.length));
    expect(() => decodeGpnBlock(at(57, '03'))).toThrow(/PIN lengths/);
    expect(() => decodeGpnBlock(at(57, '0604'))).toThrow(/PIN lengths/);
    expect(() => decodeGpnBlock(at(35, '01'))).toThrow(/PAN length/);
    expect(() => decodeGpnBlock(at(56, '3'))).toThrow(/entries/);
    expect(() => decodeGpnBlock(at(37, '44443333ABCD2222'))).toThrow(/PAN/);
    // The other key methods are well-formed requests (the pad answers 042 if it lacks the key).
    expect(decodeGpnBlock(at(0, '0')).method).toBe(0);
    expect(decodeGpnBlock(at(0, '2')).method).toBe(2);
    // PANLEN "00": the card read by CEX / GCX.
    expect(decodeGpnBlock(at(35, '00' + ' '.repeat(19))).pan).toBe('');
  });
});

describe('§3.3.12 GTK', () => {
  it('SPE_TRACKS "0010" after a swipe and "1010" after GCX', () => {
    expect(encodeCommand('GTK', tlvBlocks(gtkParams(TRACK2_ONLY)))).toEqual(
      hex('47 54 4B 30 30 38 00 07 00 04 30 30 31 30'),
    );
    // The second §3.3.12 example opens with the same parameter: 00 07 00 04 "1010".
    expect(encodeCommand('GTK', tlvBlocks(gtkParams(PAN_AND_TRACK2)))).toEqual(
      hex('47 54 4B 30 30 38 00 07 00 04 31 30 31 30'),
    );
  });

  it('PP_ENCPAN and PP_TRACK2 one symbol per nibble, F filler (§3.1.3.2: 9781234789432 = 97 81 23 47 89 43 2F)', () => {
    const answer = decodeResponse(
      hex(`47 54 4B 30 30 30 30 32 35
        80 4A 00 07 97 81 23 47 89 43 2F
        80 45 00 0A 97 81 23 47 89 43 2D 30 12 01`),
    );
    expect(decodeGtkResult(answer.blocks)).toEqual({
      pan: '9781234789432',
      track2: '9781234789432=301201',
    });
  });
});

describe('§3.7.1 GCX', () => {
  it('our balance-inquiry GCX: no SPE_APPTYPE (its values are "01"-"98"), SPE_GCXOPT, SPE_PANMASK "0604"', () => {
    const at = { transactionType: 0x30, acquirer: '03', amountCents: 0, currency: '156' };
    const request = { ...at, date: '260102', time: '103000' };
    const expected = (ctls: '0' | '1') =>
      Buffer.concat([
        latin1('GCX071'),
        hex('00 21 00 01 30'),
        hex('00 10 00 02'),
        latin1('03'),
        hex('00 13 00 0C'),
        latin1('000000000000'),
        hex('00 22 00 03'),
        latin1('156'),
        hex('00 15 00 06'),
        latin1('260102'),
        hex('00 16 00 06'),
        latin1('103000'),
        hex('00 17 00 05'),
        latin1(`${ctls}0000`),
        hex('00 23 00 04'),
        latin1('0604'),
      ]);
    expect(encodeCommand('GCX', tlvBlocks(gcxParams(request)))).toEqual(expected('0'));
    expect(encodeCommand('GCX', tlvBlocks(gcxParams({ ...request, contactless: true })))).toEqual(
      expected('1'),
    );
  });

  it('the ICC EMV answer: no full track and no PP_TRACK2, only PP_TRK2INC', () => {
    const answer = decodeResponse(
      hex(`47 43 58 30 30 30 31 32 35 80 55 00 08 4A 4F 48
        4E 20 44 4F 45 80 52 00 10 34 34 34 34 33 33 33
        33 32 32 32 32 31 31 31 31 80 42 00 18 34 34 34
        34 33 33 33 33 32 32 32 32 31 31 31 31 3D 31 36
        30 38 32 30 31 80 4F 00 02 30 33 80 51 00 06 30
        38 30 33 30 31 80 53 00 02 30 31 80 54 00 0B 5F
        28 02 00 76 5F 24 03 16 08 31 80 5B 00 06 52 C9
        44 49 54 4F 80 5C 00 04 30 30 37 36 80 5D 00 06
        31 36 30 38 33 31`),
    );
    expect(decodeGcxResult(answer.blocks)).toEqual({
      cardType: '03',
      aidTableInfo: '080301',
      pan: '4444333322221111',
      panSequence: '01',
      track2Incomplete: '4444333322221111=1608201',
      cardholderName: 'JOHN DOE',
      label: 'RÉDITO',
      issuerCountry: '0076',
      expiry: '160831',
      emvData: hex('5F 28 02 00 76 5F 24 03 16 08 31'),
    });
  });

  it('the CTLS EMV answer with two AID table records', () => {
    const answer = decodeResponse(
      hex(`47 43 58 30 30 30 30 39 36 80 42 00 19 35 30 30
        39 38 32 33 37 32 33 34 32 33 38 30 30 32 3D 31
        37 30 31 36 30 30 80 4F 00 02 30 36 80 51 00 0C
        30 32 30 35 30 33 32 35 30 34 30 33 80 52 00 11
        35 30 30 39 38 32 33 37 32 33 34 32 33 38 30 30
        32 80 53 00 02 30 30 80 5B 00 07 50 41 59 50 41
        53 53 80 5C 00 03 38 34 30`),
    );
    expect(decodeGcxResult(answer.blocks)).toEqual({
      cardType: '06',
      aidTableInfo: '020503250403',
      pan: '50098237234238002',
      panSequence: '00',
      track2Incomplete: '50098237234238002=1701600',
      label: 'PAYPASS',
      issuerCountry: '840',
    });
  });

  it('a magnetic answer has no PP_PAN; an EMV answer without PP_PAN is refused', () => {
    expect(decodeGcxResult([hex('80 4F 00 02 30 30 80 50 00 01 30')])).toEqual({
      cardType: '00',
      iccStatus: '0',
    });
    expect(() => decodeGcxResult([hex('80 4F 00 02 30 33')])).toThrow(/without PP_PAN/);
  });
});

describe('§3.7.3 GOX, §3.7.4 FCX', () => {
  it('the GOX answer: PP_GOXRES, PP_EMVDATA, PP_PINBLK (B8), PP_KSN (B10)', () => {
    const answer = decodeResponse(
      hex(`47 4F 58 30 30 30 30 38 38 80 56 00 06 32 30 32
        30 30 30 80 54 00 30 95 05 00 80 00 00 00 9F 26
        08 E0 DB 51 A3 74 2F EA 83 9F 27 01 80 9F 10 0C
        2C 51 4D 27 0F C3 CD 87 6C A4 00 00 9F 34 03 42
        03 02 9F 36 02 00 4C 80 57 00 08 B9 DF 0A 99 6E
        A6 CC B7 80 4C 00 0A FF FF F7 98 41 00 34 40 00
        08`),
    );
    const gox = decodeGoxResult(answer.blocks);
    expect(gox.result).toBe('202000');
    expect(gox.pinBlock).toEqual(hex('B9 DF 0A 99 6E A6 CC B7'));
    expect(gox.ksn).toEqual(hex('FF FF F7 98 41 00 34 40 00 08'));
    expect(gox.emvData.subarray(0, 7)).toEqual(hex('95 05 00 80 00 00 00'));
  });

  it("the FCX answer as the example writes it (result under 8056h, not the table's 8058h)", () => {
    const answer = decodeResponse(
      hex(`46 43 58 30 30 30 30 35 35 80 56 00 03 30 30 30
        80 59 00 05 20 00 00 00 00 80 54 00 23 95 05 00
        80 00 00 00 9F 26 08 95 24 B3 FC 02 5E 51 72 9F
        27 01 40 9F 10 0A 7D 89 5F FF F0 15 D7 72 FB C9`),
    );
    expect(decodeFcxResult(answer.blocks).result).toBe('000');
    // And as the table of §3.1.3.2 has it: PP_FCXRES = 8058h.
    expect(decodeFcxResult([hex('80 58 00 03 31 30 30')]).result).toBe('100');
  });
});
