// TCP framing of the dialect: LEN(2, binary) | TPDU(5) | HEADER(6, BCD) | MTI | BITMAP | fields.
import { Iso8583Error } from './errors';
import type { IsoMessage } from './message';
import type { Iso8583Packager } from './packager';

export interface Frame {
  /** 10 hex digits, e.g. '6000030000'. */
  tpdu: string;
  /** 12 hex digits (BCD), e.g. '603100311004'. */
  header: string;
  message: IsoMessage;
}

export const TPDU_LENGTH = 5;
export const HEADER_LENGTH = 6;

const HEX = /^[0-9A-Fa-f]*$/;

function hexField(value: string, bytes: number, what: string): Buffer {
  if (value.length !== bytes * 2 || !HEX.test(value)) {
    throw new Iso8583Error('ISO_BAD_VALUE', `${what} must be ${bytes * 2} hex digits`);
  }
  return Buffer.from(value, 'hex');
}

/** TPDU + header + packed message (the part a 2-byte length header counts). */
export function encodeFrameBody(frame: Frame, packager: Iso8583Packager): Buffer {
  return encodeFrameBodyPacked(frame.tpdu, frame.header, packager.pack(frame.message));
}

export function encodeFrameBodyPacked(tpdu: string, header: string, packed: Buffer): Buffer {
  return Buffer.concat([
    hexField(tpdu, TPDU_LENGTH, 'TPDU'),
    hexField(header, HEADER_LENGTH, 'header'),
    packed,
  ]);
}

/** Prepends the 2-byte big-endian length. */
export function withLengthHeader(body: Buffer): Buffer {
  if (body.length > 0xffff) throw new Iso8583Error('ISO_BAD_LENGTH', 'frame longer than 65535');
  const len = Buffer.alloc(2);
  len.writeUInt16BE(body.length);
  return Buffer.concat([len, body]);
}

export function encodeFrame(frame: Frame, packager: Iso8583Packager): Buffer {
  return withLengthHeader(encodeFrameBody(frame, packager));
}

/** Splits a body (no length header) into TPDU, header and message. */
export function decodeFrameBody(body: Buffer, packager: Iso8583Packager): Frame {
  if (body.length < TPDU_LENGTH + HEADER_LENGTH) {
    throw new Iso8583Error('ISO_TRUNCATED', 'shorter than TPDU and header');
  }
  return {
    tpdu: body.toString('hex', 0, 5).toUpperCase(),
    header: body.toString('hex', 5, 11).toUpperCase(),
    message: packager.unpack(body.subarray(11)),
  };
}

/** Decodes a whole frame including its 2-byte length; the length must match exactly. */
export function decodeFrame(buf: Buffer, packager: Iso8583Packager): Frame {
  if (buf.length < 2) throw new Iso8583Error('ISO_TRUNCATED', 'no length header');
  const len = buf.readUInt16BE(0);
  if (len > buf.length - 2)
    throw new Iso8583Error('ISO_TRUNCATED', 'frame shorter than its length');
  if (len < buf.length - 2)
    throw new Iso8583Error('ISO_TRAILING_BYTES', 'frame longer than its length');
  return decodeFrameBody(buf.subarray(2), packager);
}

/** A host answers with destination and source of the TPDU swapped (jPOS tpdu-swap). */
export function swapTpdu(tpdu: string): string {
  return tpdu.slice(0, 2) + tpdu.slice(6, 10) + tpdu.slice(2, 6);
}
