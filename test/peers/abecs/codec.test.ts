// Byte-level tests of the clean-room codec: every expected byte string is quoted from the shared
// vectors file or written out by hand from the specification's own examples.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildCommand,
  buildResponse,
  crc16,
  decodeFrame,
  encodeFrame,
  escapePktdata,
  frameCrc,
  parseCommand,
  parseResponse,
  parseTlvBlocks,
  splitBlocks,
  tlv,
  unescapePktdata,
} from './codec.js';
import { PP, SPE } from './ids.js';
import { decryptPacket, encryptPacket, rsaDecryptKey, secureEnvelope } from './secure.js';
import { SPEC_KSEC, SPEC_OPN_KMOD, SPEC_OPN_KPRV, SPEC_OPN_RESPONSE } from './spec-examples.js';
import { cexBlock, dexBlock, dspBlock, ginBlock, gpnBlock, gtkBlock } from './terminal.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

interface VectorFile {
  frames: { pktdata_ascii: string; frame?: string; crc?: string }[];
}
const vectors = JSON.parse(
  readFileSync(new URL('../../fixtures/vectors/abecs-frames.json', import.meta.url), 'utf8'),
) as VectorFile;

describe('CRC-16 and framing (§2.2.1, §7.2) against the shared vectors', () => {
  it.each(vectors.frames.filter((f) => f.frame !== undefined))(
    'frame of $pktdata_ascii',
    ({ pktdata_ascii, frame }) => {
      expect(encodeFrame(Buffer.from(pktdata_ascii, 'latin1')).toString('hex').toUpperCase()).toBe(
        frame,
      );
      expect(decodeFrame(hex(frame!)).toString('latin1')).toBe(pktdata_ascii);
    },
  );

  it.each(vectors.frames.filter((f) => f.crc !== undefined))(
    'CRC of $pktdata_ascii',
    ({ pktdata_ascii, crc }) => {
      const value = frameCrc(Buffer.from(pktdata_ascii, 'latin1'));
      expect(value.toString(16).toUpperCase().padStart(4, '0')).toBe(crc);
    },
  );
});

describe('spec link-level examples, written out by hand', () => {
  it('§2.2.2.1: OPN with a corrupted CRC (00 00) is rejected, with A8 A9 accepted', () => {
    expect(() => decodeFrame(hex('16 4F 50 4E 17 00 00'))).toThrow(/CRC/);
    expect(decodeFrame(hex('16 4F 50 4E 17 A8 A9')).toString('latin1')).toBe('OPN');
  });

  it('§2.2.2.2: the DSP032 command frame and the DSP000 answer (FF FF refused, 39 63 accepted)', () => {
    const dsp = hex(`16 44 53 50 30 33 32 20 20 20 20 4F 50 45 52 41
      C7 C3 4F 20 20 20 20 20 20 20 46 49 4E 41 4C 49
      5A 41 44 41 20 20 20 17 52 13`);
    const pktdata = Buffer.concat([
      Buffer.from('DSP032', 'latin1'),
      Buffer.from('    OPERAÇÃO       FINALIZADA   ', 'latin1'),
    ]);
    expect(decodeFrame(dsp)).toEqual(pktdata);
    expect(encodeFrame(pktdata)).toEqual(dsp);
    expect(() => decodeFrame(hex('16 44 53 50 30 30 30 17 FF FF'))).toThrow(/CRC/);
    expect(decodeFrame(hex('16 44 53 50 30 30 30 17 39 63')).toString('latin1')).toBe('DSP000');
  });

  it('§2.2.2.3 (as transcribed in 2.20): the blocking GCD016 frame, CRC C1 42', () => {
    const frame = hex(
      '16 47 43 44 30 31 36 00 0C 00 01 3C 00 0E 00 01 0A 00 0B 00 02 00 09 17 C1 42',
    );
    const pktdata = decodeFrame(frame);
    const cmd = parseCommand(pktdata);
    expect(cmd.id).toBe('GCD');
    const params = parseTlvBlocks(cmd.blocks);
    expect(params.get(SPE.TIMEOUT)).toEqual(Buffer.of(0x3c));
    expect(params.get(SPE.MAXDIG)).toEqual(Buffer.of(0x0a));
    expect(params.get(SPE.MSGIDX)).toEqual(Buffer.of(0x00, 0x09));
  });

  it('§7.2: CRC_Calc over the unescaped PKTDATA and ETB; CRC bytes are never escaped', () => {
    // PKTDATA "AB" 13 16 17 "C": each special byte becomes DC3 + (byte + 20h), §2.2.1.
    const pktdata = hex('41 42 13 16 17 43');
    expect(escapePktdata(pktdata)).toEqual(hex('41 42 13 33 13 36 13 37 43'));
    expect(unescapePktdata(hex('41 42 13 33 13 36 13 37 43'))).toEqual(pktdata);
    const crc = crc16(hex('41 42 13 16 17 43 17'));
    expect(encodeFrame(pktdata)).toEqual(
      Buffer.concat([hex('16 41 42 13 33 13 36 13 37 43 17'), Buffer.of(crc >> 8, crc & 0xff)]),
    );
    // A CRC that itself contains 13h/16h/17h goes out raw: search a PKTDATA whose CRC has one.
    let found: Buffer | undefined;
    for (let i = 0; i < 5000 && !found; i++) {
      const p = Buffer.from(`ERR${String(i).padStart(3, '0')}`, 'latin1');
      const c = frameCrc(p);
      if ([0x13, 0x16, 0x17].includes(c >> 8) || [0x13, 0x16, 0x17].includes(c & 0xff)) found = p;
    }
    expect(found).toBeDefined();
    const f = encodeFrame(found!);
    expect(f.length).toBe(1 + 6 + 1 + 2);
    expect(decodeFrame(f)).toEqual(found);
  });
});

describe('spec application-level examples, written out by hand', () => {
  it('§3.3.1 CEX example: command CEX010 + 00 06 00 06 "010000"', () => {
    const spec = hex('43 45 58 30 31 30 00 06 00 06 30 31 30 30 30 30');
    expect(buildCommand('CEX', [cexBlock({ options: '010000' })])).toEqual(spec);
    const cmd = parseCommand(spec);
    expect(parseTlvBlocks(cmd.blocks).get(SPE.CEXOPT)?.toString('latin1')).toBe('010000');
  });

  it('§3.3.1 CEX example: response with PP_EVENT "90" and PP_TRK2INC 4313032929830011=1508601', () => {
    const spec = hex(`43 45 58 30 30 30 30 33 34 80 40 00 02 39 30 80
      42 00 18 34 33 31 33 30 33 32 39 32 39 38 33 30
      30 31 31 3D 31 35 30 38 36 30 31`);
    const r = parseResponse(spec);
    expect(r.id).toBe('CEX');
    expect(r.status).toBe('000');
    const params = parseTlvBlocks(r.blocks);
    expect(params.get(PP.EVENT)?.toString('latin1')).toBe('90');
    expect(params.get(PP.TRK2INC)?.toString('latin1')).toBe('4313032929830011=1508601');
    expect(
      buildResponse('CEX', '000', [
        Buffer.concat([tlv(PP.EVENT, '90'), tlv(PP.TRK2INC, '4313032929830011=1508601')]),
      ]),
    ).toEqual(spec);
  });

  it('§3.2.3 GIN example: GIN00200', () => {
    expect(buildCommand('GIN', [ginBlock('00')])).toEqual(hex('47 49 4E 30 30 32 30 30'));
  });

  it('§3.3.5 DSP example: "ERRO DE OPERAÇÃO" / "CÓDIGO:  2112/76"', () => {
    const spec = hex(`44 53 50 30 33 32 45 52 52 4F 20 44 45 20 4F 50
      45 52 41 C7 C3 4F 43 D3 44 49 47 4F 3A 20 20 32
      31 31 32 2F 37 36`);
    expect(buildCommand('DSP', [dspBlock('ERRO DE OPERAÇÃO', 'CÓDIGO:  2112/76')])).toEqual(spec);
  });

  it('§3.3.4 DEX example: four lines separated by CR', () => {
    const spec = hex(`44 45 58 30 33 38 30 33 35 46 65 6C 69 7A 20 4E
      61 74 61 6C 0D 65 20 75 6D 0D 50 72 F3 73 70 65
      72 6F 0D 41 6E 6F 20 4E 6F 76 6F 21`);
    expect(buildCommand('DEX', [dexBlock('Feliz Natal\ne um\nPróspero\nAno Novo!')])).toEqual(spec);
  });

  it('§3.3.11 GPN example: MK/WK:TDES, key "08", PAN 4444333322221111, 4 to 12 digits', () => {
    const spec = hex(`47 50 4E 30 39 33 31 30 38 34 31 33 35 45 41 35
      38 42 41 31 33 45 32 36 32 46 34 34 43 35 39 45
      44 37 38 39 39 41 41 33 43 31 36 34 34 34 34 33
      33 33 33 32 32 32 32 31 31 31 31 20 20 20 31 30
      34 31 32 52 24 20 20 20 20 20 20 20 20 20 33 34
      2C 35 36 44 49 47 49 54 45 20 53 55 41 20 53 45
      4E 48 41`);
    const built = buildCommand('GPN', [
      gpnBlock({
        method: '1',
        keyIndex: 8,
        workingKeyEnc: '4135EA58BA13E262F44C59ED7899AA3C',
        pan: '4444333322221111',
        min: 4,
        max: 12,
        message: ['R$         34,56', 'DIGITE SUA SENHA'],
      }),
    ]);
    expect(built).toEqual(spec);
    // And its answer: GPN000036 + PIN block (H16) + KSN zeroed for MK/WK (H20).
    const rsp = parseResponse(
      hex(`47 50 4E 30 30 30 30 33 36 42 42 36 42 45 32 38
        46 44 46 33 35 32 32 45 39 30 30 30 30 30 30 30
        30 30 30 30 30 30 30 30 30 30 30 30 30`),
    );
    expect(rsp.blocks.map((b) => b.toString('latin1'))).toEqual([
      'BB6BE28FDF3522E900000000000000000000',
    ]);
  });

  it('§3.3.12 GTK example: SPE_TRACKS "1010" asks for the PAN and track 2', () => {
    const spec = hex(`47 54 4B 30 35 37 00 07 00 04 31 30 31 30 00 03
      00 02 31 31 00 1D 00 08 7F 7C 1A FA C0 A8 4F B7
      00 08 00 01 34 00 09 00 02 30 37 00 0A 00 10 C2
      BC A2 4F 3E F8 F2 EF 1C 0F 07 A9 7D 38 C3 38`);
    const cmd = parseCommand(spec);
    const params = parseTlvBlocks(cmd.blocks);
    expect(params.get(SPE.TRACKS)?.toString('latin1')).toBe('1010');
    expect(params.get(SPE.MTHDDAT)?.toString('latin1')).toBe('11');
    expect(params.get(SPE.OPNDIG)?.toString('latin1')).toBe('4');
    expect(params.get(SPE.KEYIDX)?.toString('latin1')).toBe('07');
    expect(splitBlocks(spec.subarray(3))[0]!.length).toBe(57);
    expect(buildCommand('GTK', [gtkBlock({ tracks: '0010' })])).toEqual(
      hex('47 54 4B 30 30 38 00 07 00 04 30 30 31 30'),
    );
  });

  it('§2.3.2: an error response is exactly CMD + status and never carries data', () => {
    expect(buildResponse('GTK', '010')).toEqual(Buffer.from('GTK010', 'latin1'));
    expect(() => buildResponse('GTK', '010', [Buffer.from('x')])).toThrow();
  });
});

describe('secure communication examples (§3.2.2, §5.2.2)', () => {
  it('§3.2.2: CRKSEC of the example opens with KPRV to KSEC DB3B…9A94', () => {
    const crksec = Buffer.from(SPEC_OPN_RESPONSE.slice('OPN000515256'.length), 'hex');
    expect(crksec.length).toBe(256);
    const ksec = rsaDecryptKey(crksec, hex(SPEC_OPN_KMOD), hex(SPEC_OPN_KPRV));
    expect(ksec.toString('hex').toUpperCase()).toBe(SPEC_KSEC);
  });

  it('§5.2.2.1: the encrypted GIX014 command', () => {
    const clr = hex('47 49 58 30 31 34 00 01 00 0A 80 01 80 04 80 34 91 01 91 0E');
    expect(secureEnvelope(clr)).toEqual(
      hex(`00 14 8D F2 47 49 58 30 31 34 00 01 00 0A 80 01
        80 04 80 34 91 01 91 0E 00 00 00 00 00 00 00 00`),
    );
    const expected = hex(`12 EA 22 9E DD 36 F8 4C 2A A7 E0 02 75 10 5C 3A
      8A 78 7F C9 B2 88 35 40 AE E8 27 BA 1C 5A 03 94 96`);
    expect(encryptPacket(hex(SPEC_KSEC), clr)).toEqual(expected);
    expect(decryptPacket(hex(SPEC_KSEC), expected)).toEqual(clr);
  });

  it('§5.2.2.2: the encrypted GIX000151 response decrypts to its CLRDATA', () => {
    const pktdata = hex(`12 BA 90 C3 82 65 12 69 B2 2D 0E FC 90 B9 2B C3
      08 83 71 38 6A 69 B9 A7 A8 5B C6 AC 76 E4 84 37
      BC 73 A2 02 86 EC B6 73 A4 93 4C 85 35 4E 47 16
      0F 27 2E 1A 2B 53 BA C1 B7 95 85 9E 4C 62 2F C8
      66 1A 4B AE 1F EE 45 09 75 B7 CA 04 20 C6 18 A1
      FC 74 47 65 C3 E7 08 AF 56 02 25 6B 75 A9 07 C3
      F9 A2 56 89 CB 11 23 9C 01 E3 6F C6 18 B4 17 A0
      2A 21 77 E3 C3 C8 73 B1 F0 6E 3B D6 20 8F F2 B4
      96 A2 B0 BD F8 12 32 FD A0 97 30 0C 7D 19 B0 07
      DD C1 7E 6D EF 8B E7 BB 0E 82 58 8C 07 11 C0 1B
      39 B1 21 BB 8C 66 E3 E0 31 3C 82 69 27 FB 7F 13
      36`);
    const clr = decryptPacket(hex(SPEC_KSEC), pktdata);
    expect(clr.length).toBe(0xa0);
    const r = parseResponse(clr);
    expect(r.id).toBe('GIX');
    const params = parseTlvBlocks(r.blocks);
    expect(params.get(PP.SERNUM)?.toString('latin1')).toBe('991274366155');
    expect(params.get(PP.MNNAME)?.toString('latin1')).toBe('HEMISPHERES  ');
    expect(params.get(PP.KSNTDESP00 + 1)).toEqual(hex('FF FF F9 13 25 00 43 20 04 43'));
  });
});
