import { describe, expect, it } from 'vitest';
import {
  Pp,
  Spe,
  cexParams,
  decodeCexOptions,
  decodeCommand,
  decodeEmvTlv,
  decodeGinInfo,
  decodeGpnBlock,
  decodeGpnResult,
  decodeResponse,
  decodeTlv,
  decodeTrackNibbles,
  displayBlock,
  encodeCommand,
  encodeEmvTlv,
  encodeGinInfo,
  encodeResponse,
  encodeTlv,
  encodeTrackNibbles,
  GIN_INFO_LENGTH,
  gpnBlock,
  gpnResultBlock,
  tlvBlocks,
  tlvFromBlocks,
} from '../../../../src-main/protocols/abecs';

describe('command and response blocks', () => {
  it('encodes a command with LLL blocks', () => {
    expect(encodeCommand('GIN', [Buffer.from('00')]).toString()).toBe('GIN00200');
    expect(encodeCommand('OPN').toString()).toBe('OPN');
    expect(decodeCommand(Buffer.from('DSP032' + 'A'.repeat(32)))).toEqual({
      id: 'DSP',
      blocks: [Buffer.from('A'.repeat(32))],
    });
  });

  it('encodes responses; an error response is exactly CMD + status', () => {
    expect(encodeResponse('ERR', 10).toString()).toBe('ERR010');
    expect(encodeResponse('OPN', 0).toString()).toBe('OPN000');
    expect(decodeResponse(Buffer.from('GPN000036' + '1'.repeat(36)))).toEqual({
      id: 'GPN',
      status: 0,
      blocks: [Buffer.from('1'.repeat(36))],
    });
  });

  it('rejects malformed messages with typed errors', () => {
    expect(() => decodeCommand(Buffer.from('op'))).toThrow(/invalid ABECS command id/);
    expect(() => decodeCommand(Buffer.from('DSP03'))).toThrow(/invalid block length/);
    expect(() => decodeCommand(Buffer.from('DSP032AB'))).toThrow(/announces 32 bytes/);
    expect(() => decodeResponse(Buffer.from('OPNx00'))).toThrow(/invalid status/);
    expect(() => encodeCommand('DSP', [Buffer.alloc(1000)])).toThrow(/exceeds 999/);
  });
});

describe('TLV parameters', () => {
  it('reproduces the spec CEX example', () => {
    const cmd = encodeCommand(
      'CEX',
      tlvBlocks(cexParams({ keys: false, magstripe: true, chip: 'ignore', contactless: false })),
    );
    expect(cmd.toString('hex')).toBe(
      Buffer.concat([
        Buffer.from('CEX010'),
        Buffer.from([0, 6, 0, 6]),
        Buffer.from('010000'),
      ]).toString('hex'),
    );
    expect(decodeCexOptions(tlvFromBlocks(decodeCommand(cmd).blocks))).toEqual({
      keys: false,
      magstripe: true,
      chip: 'ignore',
      contactless: false,
    });
  });

  it('round-trips TLV and rejects truncation', () => {
    const params = [
      { id: Pp.EVENT, value: Buffer.from('90') },
      { id: Spe.TIMEOUT, value: Buffer.of(30) },
    ];
    expect(decodeTlv(encodeTlv(params))).toEqual(params);
    expect(() => decodeTlv(Buffer.from([0x80, 0x40, 0x00, 0x05, 0x39]))).toThrow(/announces 5/);
  });
});

describe('command layouts', () => {
  it('GIN info is 100 characters and round-trips', () => {
    const info = {
      maker: 'TRAINING',
      model: 'EMU-ABECS',
      contactless: true,
      osVersion: 'OS 1.0',
      specVersion: '2.12',
      managerVersion: '001.00 260101',
      serialNumber: 'SN0001',
    };
    const block = encodeGinInfo(info);
    expect(block.length).toBe(GIN_INFO_LENGTH);
    expect(GIN_INFO_LENGTH).toBe(100);
    expect(decodeGinInfo(block)).toEqual(info);
  });

  it('DSP block is 2 x 16 Latin-1, non-Latin-1 shown as ?', () => {
    expect(displayBlock('请刷卡 CARD', 'OK').toString('latin1')).toBe(
      '??? CARD        OK              ',
    );
  });

  it('GPN block has the reference layout', () => {
    const req = {
      method: 1 as const,
      keyIndex: 3,
      workingKeyHex: '0123456789ABCDEF0123456789ABCDEF',
      pan: '6222021234567890123',
      minDigits: 4,
      maxDigits: 6,
      message: 'SENHA:',
    };
    const block = gpnBlock(req);
    expect(block.length).toBe(93);
    expect(block.subarray(0, 37).toString()).toBe(
      '103' + '0123456789ABCDEF0123456789ABCDEF' + '19',
    );
    expect(decodeGpnBlock(block)).toEqual(req);
    const res = gpnResultBlock({ pinBlockHex: '0412ac89abcdef67', ksnHex: '0'.repeat(20) });
    expect(res.length).toBe(36);
    expect(decodeGpnResult(res)).toEqual({
      pinBlockHex: '0412AC89ABCDEF67',
      ksnHex: '0'.repeat(20),
    });
  });

  it('track 2 nibbles pad with F and round-trip', () => {
    const t2 = '6222021234567890=30122011234500000';
    const enc = encodeTrackNibbles(t2);
    expect(enc.toString('hex').toUpperCase()).toBe(
      '6222021234567890D30122011234500000'.padEnd(34, 'F') + 'F'.repeat(0),
    );
    expect(decodeTrackNibbles(enc)).toBe(t2);
    expect(encodeTrackNibbles('123').toString('hex')).toBe('123f');
  });

  it('EMV BER-TLV round-trips multi-byte tags and long lengths', () => {
    const tags = [
      { tag: '9F26', value: Buffer.from('0102030405060708', 'hex') },
      { tag: '82', value: Buffer.from('5800', 'hex') },
      { tag: '9F10', value: Buffer.alloc(200, 1) },
    ];
    const enc = encodeEmvTlv(tags);
    expect(enc.subarray(0, 11).toString('hex').toUpperCase()).toBe('9F26080102030405060708');
    expect(decodeEmvTlv(enc)).toEqual(tags);
  });
});
