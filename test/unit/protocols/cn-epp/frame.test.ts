import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  Control,
  decodeControl,
  decodeMasterKeyData,
  decodePinBlockRequest,
  decodePinBlockResponse,
  decodeSm4WorkingKeyData,
  decodeStatusResponse,
  decodeWorkingKeyData,
  encodeEppFrame,
  EppCommand,
  EppDataError,
  EppFrameParser,
  isSuccessCode,
  masterKeyData,
  pan12Of,
  PinFormat,
  pinBlockRequestData,
  pinBlockResponseData,
  sm4WorkingKeyData,
  statusResponseData,
  workingKeyData,
  type EppFrameEvent,
} from '../../../../src-main/protocols/cn-epp';

const referenceExample = '02 30 31 36 37 33 31 20 34 30 30 30 30 30 31 32 33 34 35 36 03 32 32';

describe('EPP framing', () => {
  it('reproduces the reference example (get PIN block, key 31h, ISO 0, PAN 400000123456)', () => {
    const data = pinBlockRequestData({
      keyIndex: 0x31,
      format: PinFormat.ISO0,
      pan12: '400000123456',
    });
    const frame = encodeEppFrame(EppCommand.GET_PIN_BLOCK, data);
    expect(frame.toString('hex').match(/../g)!.join(' ')).toBe(referenceExample);
    const events = new EppFrameParser().push(
      Buffer.from(referenceExample.replace(/ /g, ''), 'hex'),
    );
    expect(events).toEqual([{ type: 'frame', code: 0x37, data }]);
    expect(decodePinBlockRequest(data)).toEqual({
      keyIndex: 0x31,
      format: 0x20,
      pan12: '400000123456',
    });
  });

  it('uses "000" + 4 digits when the body exceeds 999 bytes', () => {
    const frame = encodeEppFrame(0x41, Buffer.alloc(1200, 0x41));
    expect(frame.subarray(1, 8).toString()).toBe('0001201');
    expect(new EppFrameParser().push(frame)).toEqual([
      { type: 'frame', code: 0x41, data: Buffer.alloc(1200, 0x41) },
    ]);
  });

  it('reports a bad LRC, a missing ETX and key bytes between frames', () => {
    const good = encodeEppFrame(0x60, Buffer.from('1234'));
    const badLrc = Buffer.from(good);
    badLrc[badLrc.length - 1] = 0x30 + ((badLrc[badLrc.length - 1]! - 0x2f) % 10);
    const noEtx = Buffer.from(good);
    noEtx[noEtx.length - 3] = 0x41;
    const events = new EppFrameParser().push(
      Buffer.concat([Buffer.from('**\r'), badLrc, noEtx, good]),
    );
    expect(events.slice(0, 3)).toEqual([
      { type: 'key', byte: 0x2a },
      { type: 'key', byte: 0x2a },
      { type: 'key', byte: 0x0d },
    ]);
    expect(events[3]).toEqual({ type: 'bad-frame', reason: 'lrc' });
    expect(events[4]).toEqual({ type: 'bad-frame', reason: 'etx' });
    expect(events.at(-1)).toEqual({ type: 'frame', code: 0x60, data: Buffer.from('1234') });
  });

  it('classifies RTN codes', () => {
    expect(isSuccessCode(0x60)).toBe(true);
    expect(isSuccessCode(0x9f)).toBe(true);
    expect(isSuccessCode(0xe3)).toBe(false);
  });

  it('round-trips any frame split at any points', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 255 }),
        fc.uint8Array({ maxLength: 200 }),
        fc.array(fc.nat(300)),
        (code, data, cuts) => {
          const frame = encodeEppFrame(code, data);
          const parser = new EppFrameParser();
          const events: EppFrameEvent[] = [];
          let last = 0;
          for (const p of [...new Set(cuts.map((c) => c % frame.length))]
            .sort((a, b) => a - b)
            .concat(frame.length)) {
            events.push(...parser.push(frame.subarray(last, p)));
            last = p;
          }
          expect(events).toEqual([{ type: 'frame', code, data: Buffer.from(data) }]);
        },
      ),
    );
  });
});

describe('EPP command data', () => {
  it('master and working key loads round-trip', () => {
    const key = Buffer.from('0123456789ABCDEFFEDCBA9876543210', 'hex');
    expect(masterKeyData({ index: 1, key }).toString()).toBe(
      '0102' + key.toString('hex').toUpperCase(),
    );
    expect(decodeMasterKeyData(masterKeyData({ index: 10, key }))).toEqual({ index: 10, key });
    const w = { masterIndex: 1, workingIndex: 2, usage: '3' as const, encryptedKey: key };
    expect(decodeWorkingKeyData(workingKeyData(w))).toEqual(w);
    expect(sm4WorkingKeyData(w).subarray(0, 6).toString()).toBe('300102');
    expect(decodeSm4WorkingKeyData(sm4WorkingKeyData(w))).toEqual(w);
    expect(() => masterKeyData({ index: 1, key: Buffer.alloc(5) })).toThrow(/8, 16 or 24/);
  });

  it('control, PIN block answer, PAN digits and status', () => {
    expect(decodeControl(Control.minPinLength(4))).toEqual({ kind: 'min', value: 4 });
    expect(decodeControl(Control.cancelInput())).toEqual({ kind: 'cancel' });
    expect(() => decodeControl(Buffer.from('99'))).toThrow();
    const req = { keyIndex: 1, format: 0x20, pan12: '400000123456' };
    const resp = pinBlockResponseData(req, Buffer.from('0412AC89ABCDEF67', 'hex'));
    expect(resp.length).toBe(20);
    expect(resp.subarray(4).toString()).toBe('0412AC89ABCDEF67');
    expect(decodePinBlockResponse(resp, 8).toString('hex')).toBe('0412ac89abcdef67');
    expect(pan12Of('4000001234562')).toBe('400000123456');
    const status = { maker: 'M', model: 'ZT598', serialNumber: 'S1', firmware: 'V1' };
    expect(decodeStatusResponse(statusResponseData(status))).toEqual(status);
  });
});

describe('PIN block answers (reference L20-23, profile rows 37h / 6Fh)', () => {
  it('a 37h answer is exactly 20 characters, the PIN block in characters 4-19', () => {
    const answer = Buffer.from('31200412AC89ABCDEF67', 'latin1'); // key 31, format 20, block
    expect(decodePinBlockResponse(answer, 8).toString('hex').toUpperCase()).toBe(
      '0412AC89ABCDEF67',
    );
    // 18 characters (no key number): not the 20 the reference gives, so not a PIN block.
    expect(() => decodePinBlockResponse(Buffer.from('200412AC89ABCDEF67', 'latin1'), 8)).toThrow(
      EppDataError,
    );
    expect(() =>
      decodePinBlockResponse(Buffer.from('3120000412AC89ABCDEF67', 'latin1'), 8),
    ).toThrow(EppDataError);
  });

  it('a 6Fh answer is 32 hex characters (reference) or key number + format + 32 (profile)', () => {
    const block = '00112233445566778899AABBCCDDEEFF';
    expect(decodePinBlockResponse(Buffer.from(block, 'latin1'), 16).toString('hex')).toBe(
      block.toLowerCase(),
    );
    expect(decodePinBlockResponse(Buffer.from('0620' + block, 'latin1'), 16).toString('hex')).toBe(
      block.toLowerCase(),
    );
    expect(() => decodePinBlockResponse(Buffer.from('20' + block, 'latin1'), 16)).toThrow(
      EppDataError,
    );
  });
});
