// ABECS application messages carried in PKTDATA:
//   command  = CMD(3 letters) [LLL(3 digits) BLOCK]...
//   response = CMD STATUS(3 digits) [LLL BLOCK]...
// plus the TLV parameters (ID 2 bytes + LEN 2 bytes, big-endian) that the newer commands use.

import { AbecsMessageError } from './errors';

/** Largest block behind one LLL prefix. */
export const MAX_BLOCK = 999;

export interface AbecsCommand {
  id: string;
  blocks: Buffer[];
}

export interface AbecsResponse {
  id: string;
  status: number;
  blocks: Buffer[];
}

const ID_PATTERN = /^[A-Z]{3}$/;

function checkId(id: string): void {
  if (!ID_PATTERN.test(id))
    throw new AbecsMessageError('ABECS_BAD_ID', `invalid ABECS command id "${id}"`);
}

function encodeBlocks(blocks: readonly Uint8Array[]): Buffer[] {
  return blocks.map((block) => {
    if (block.length > MAX_BLOCK) {
      throw new AbecsMessageError(
        'ABECS_BAD_LENGTH',
        `block of ${block.length} bytes exceeds ${MAX_BLOCK}`,
      );
    }
    return Buffer.concat([Buffer.from(String(block.length).padStart(3, '0'), 'latin1'), block]);
  });
}

function decodeBlocks(data: Buffer, offset: number): Buffer[] {
  const blocks: Buffer[] = [];
  let at = offset;
  while (at < data.length) {
    const lll = data.subarray(at, at + 3).toString('latin1');
    if (!/^\d{3}$/.test(lll))
      throw new AbecsMessageError('ABECS_BAD_LENGTH', `invalid block length "${lll}"`);
    const length = Number(lll);
    if (at + 3 + length > data.length) {
      throw new AbecsMessageError(
        'ABECS_TRUNCATED',
        `block announces ${length} bytes, ${data.length - at - 3} present`,
      );
    }
    blocks.push(Buffer.from(data.subarray(at + 3, at + 3 + length)));
    at += 3 + length;
  }
  return blocks;
}

export function encodeCommand(id: string, blocks: readonly Uint8Array[] = []): Buffer {
  checkId(id);
  return Buffer.concat([Buffer.from(id, 'latin1'), ...encodeBlocks(blocks)]);
}

export function decodeCommand(pktdata: Buffer): AbecsCommand {
  const id = pktdata.subarray(0, 3).toString('latin1');
  checkId(id);
  return { id, blocks: decodeBlocks(pktdata, 3) };
}

export function encodeResponse(
  id: string,
  status: number,
  blocks: readonly Uint8Array[] = [],
): Buffer {
  checkId(id);
  if (!Number.isInteger(status) || status < 0 || status > 999) {
    throw new AbecsMessageError('ABECS_BAD_STATUS', `invalid status ${status}`);
  }
  return Buffer.concat([
    Buffer.from(id + String(status).padStart(3, '0'), 'latin1'),
    ...encodeBlocks(blocks),
  ]);
}

export function decodeResponse(pktdata: Buffer): AbecsResponse {
  const id = pktdata.subarray(0, 3).toString('latin1');
  checkId(id);
  const status = pktdata.subarray(3, 6).toString('latin1');
  if (!/^\d{3}$/.test(status))
    throw new AbecsMessageError('ABECS_BAD_STATUS', `invalid status "${status}"`);
  return { id, status: Number(status), blocks: decodeBlocks(pktdata, 6) };
}

/** Splits data longer than one block into consecutive blocks (the receiver concatenates). */
export function splitBlocks(data: Uint8Array): Buffer[] {
  const blocks: Buffer[] = [];
  for (let at = 0; at < data.length; at += MAX_BLOCK) {
    blocks.push(Buffer.from(data.subarray(at, at + MAX_BLOCK)));
  }
  return blocks;
}

// --- TLV parameters ---------------------------------------------------------------------

export interface TlvParam {
  id: number;
  value: Buffer;
}

export function encodeTlv(params: readonly TlvParam[]): Buffer {
  return Buffer.concat(
    params.map(({ id, value }) => {
      if (value.length > 0xffff)
        throw new AbecsMessageError('ABECS_BAD_TLV', `TLV ${id.toString(16)} too long`);
      const head = Buffer.alloc(4);
      head.writeUInt16BE(id, 0);
      head.writeUInt16BE(value.length, 2);
      return Buffer.concat([head, value]);
    }),
  );
}

export function decodeTlv(data: Uint8Array): TlvParam[] {
  const params: TlvParam[] = [];
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  let at = 0;
  while (at < buf.length) {
    if (at + 4 > buf.length) throw new AbecsMessageError('ABECS_BAD_TLV', 'truncated TLV header');
    const id = buf.readUInt16BE(at);
    const length = buf.readUInt16BE(at + 2);
    if (at + 4 + length > buf.length) {
      throw new AbecsMessageError(
        'ABECS_BAD_TLV',
        `TLV ${id.toString(16)} announces ${length} bytes`,
      );
    }
    params.push({ id, value: Buffer.from(buf.subarray(at + 4, at + 4 + length)) });
    at += 4 + length;
  }
  return params;
}

/**
 * TLV parameters of a command or response whose blocks carry TLV (blocks are concatenated). A
 * repeated ID keeps its first value (§6.2.2: "acatar o primeiro valor e ignorar os demais").
 */
export function tlvFromBlocks(blocks: readonly Buffer[]): Map<number, Buffer> {
  const map = new Map<number, Buffer>();
  for (const p of decodeTlv(Buffer.concat(blocks))) if (!map.has(p.id)) map.set(p.id, p.value);
  return map;
}

export function tlvBlocks(params: readonly TlvParam[]): Buffer[] {
  return params.length === 0 ? [] : splitBlocks(encodeTlv(params));
}

export function ascii(text: string): Buffer {
  return Buffer.from(text, 'latin1');
}
