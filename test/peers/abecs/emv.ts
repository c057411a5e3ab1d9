// EMV pieces of the peer: BER-TLV (spec §7.1), the EMV table records of chapter 4 (§4.1.1 AID
// records, §4.1.2 CAPK, §4.1.3 revoked certificates) as loaded by TLR (§3.5.3), and the tag rules
// of §6.8.6.3 / §6.8.6.4.

export type BerTlv = [tag: string, value: Buffer];

/** Decodes BER-TLV objects (§7.1); 00h bytes between objects are skipped. Tags as upper-case hex. */
export function parseBerTlv(data: Uint8Array): BerTlv[] {
  const buf = Buffer.from(data);
  const out: BerTlv[] = [];
  let i = 0;
  while (i < buf.length) {
    if (buf[i] === 0x00) {
      i++;
      continue;
    }
    const tagStart = i;
    if ((buf[i++]! & 0x1f) === 0x1f) {
      while (i < buf.length && buf[i]! & 0x80) i++;
      i++;
    }
    if (i > buf.length) throw new Error('truncated BER-TLV tag');
    const tag = buf.subarray(tagStart, i).toString('hex').toUpperCase();
    if (i >= buf.length) throw new Error('truncated BER-TLV length');
    let len = buf[i++]!;
    if (len & 0x80) {
      const n = len & 0x7f;
      if (n === 0 || n > 3 || i + n > buf.length) throw new Error('bad BER-TLV length');
      len = 0;
      for (let k = 0; k < n; k++) len = len * 256 + buf[i++]!;
    }
    if (i + len > buf.length) throw new Error('BER-TLV value overruns data');
    out.push([tag, Buffer.from(buf.subarray(i, i + len))]);
    i += len;
  }
  return out;
}

export function encodeBerTlv(tag: string, value: Uint8Array): Buffer {
  const v = Buffer.from(value);
  let len: Buffer;
  if (v.length < 0x80) len = Buffer.of(v.length);
  else if (v.length < 0x100) len = Buffer.of(0x81, v.length);
  else len = Buffer.of(0x82, v.length >> 8, v.length & 0xff);
  return Buffer.concat([Buffer.from(tag, 'hex'), len, v]);
}

/** A list of tags only (SPE_TAGLIST), e.g. 5F28 5F24 → ['5F28', '5F24']. */
export function parseTagList(data: Uint8Array): string[] {
  const buf = Buffer.from(data);
  const tags: string[] = [];
  let i = 0;
  while (i < buf.length) {
    const start = i;
    if ((buf[i++]! & 0x1f) === 0x1f) {
      while (i < buf.length && buf[i]! & 0x80) i++;
      i++;
    }
    if (i > buf.length) throw new Error('truncated tag in tag list');
    tags.push(buf.subarray(start, i).toString('hex').toUpperCase());
  }
  return tags;
}

/** §6.8.6.3: never returned through a tag list, even when known. */
export const PROTECTED_TAGS: ReadonlySet<string> = new Set(['5A', '9F1F', '9F20', '57']);

/** §6.8.6.4: card-originated objects the pad ignores when the SPE sends them in SPE_EMVDATA. */
export const CARD_ONLY_TAGS: ReadonlySet<string> = new Set(
  (
    '42 4F 50 57 5A 5F20 5F24 5F25 5F28 5F2D 5F30 5F34 5F50 5F53 5F54 5F55 5F56 61 6F 70 ' +
    '73 77 80 82 84 87 88 8C 8D 8E 8F 90 92 93 94 95 97 9B 9D 9F05 ' +
    '9F07 9F08 9F0B 9F0D 9F0E 9F0F 9F10 9F11 9F12 9F13 9F14 9F17 9F1F 9F20 9F23 9F26 9F27 9F2D 9F2E 9F2F ' +
    '9F32 9F34 9F36 9F38 9F3B 9F42 9F43 9F44 9F45 9F46 9F47 9F48 9F49 9F4A 9F4B 9F4C 9F4D 9F4F A5 BF0C'
  ).split(' '),
);

/** One record of an EMV table (chapter 4): TAB_LEN N3, TAB_ID N1, TAB_ACQ N2, TAB_RECIDX A2, ... */
export interface TableRecord {
  /** TAB_ID: "1" AID, "2" CAPK, "3" revoked certificates. */
  tableId: string;
  /** TAB_ACQ N2. */
  acq: string;
  /** TAB_RECIDX A2. */
  recIdx: string;
  /** The whole record text, TAB_LEN included. */
  raw: string;
  aid?: AidRecord;
}

/** The §4.1.1 fields this peer uses (offsets follow the table's field order). */
export interface AidRecord {
  /** T1_AID cut to T1_AIDLEN bytes, hex. */
  aid: string;
  appType: string;
  defaultLabel: string;
  iccStd: string;
  appVer1: string;
  appVer2: string;
  appVer3: string;
  terminalCountry: string;
  currency: string;
  currencyExponent: string;
  merchantId: string;
  mcc: string;
  terminalId: string;
  terminalCapabilities: string;
  additionalCapabilities: string;
  terminalType: string;
  tacDefault: string;
  tacDenial: string;
  tacOnline: string;
  floorLimit: string;
  tcc: string;
}

/**
 * Parses one table record. Returns undefined for a record that is unknown, inconsistent or has
 * invalid fields: §6.7.3 says such records are simply ignored.
 */
export function parseTableRecord(raw: string): TableRecord | undefined {
  if (!/^[0-9]{3}[1-3][0-9]{2}[0-9A-Za-z]{2}/.test(raw)) return undefined;
  const len = Number(raw.slice(0, 3));
  if (len !== raw.length) return undefined;
  const rec: TableRecord = { tableId: raw[3]!, acq: raw.slice(4, 6), recIdx: raw.slice(6, 8), raw };
  if (rec.tableId === '1') {
    // §4.1.1: 284 (BibComp), 314 (v2.0x), 340 (this spec) or more bytes.
    if (len < 284) return undefined;
    const f = (a: number, b: number): string => raw.slice(a, b);
    const aidLen = Number(f(8, 10));
    if (!/^[0-9]{2}$/.test(f(8, 10)) || aidLen < 5 || aidLen > 16) return undefined;
    const aidHex = f(10, 42);
    if (!/^[0-9A-Fa-f]{32}$/.test(aidHex)) return undefined;
    rec.aid = {
      aid: aidHex.slice(0, aidLen * 2).toUpperCase(),
      appType: f(42, 44),
      defaultLabel: f(44, 60),
      iccStd: f(60, 62),
      appVer1: f(62, 66),
      appVer2: f(66, 70),
      appVer3: f(70, 74),
      terminalCountry: f(74, 77),
      currency: f(77, 80),
      currencyExponent: f(80, 81),
      merchantId: f(81, 96),
      mcc: f(96, 100),
      terminalId: f(100, 108),
      terminalCapabilities: f(108, 114),
      additionalCapabilities: f(114, 124),
      terminalType: f(124, 126),
      tacDefault: f(126, 136),
      tacDenial: f(136, 146),
      tacOnline: f(146, 156),
      floorLimit: f(156, 164),
      tcc: f(164, 165),
    };
  } else if (rec.tableId === '2') {
    if (len !== 611) return undefined;
  } else if (len !== 26) return undefined;
  return rec;
}

/**
 * TLR data (§3.5.3): TLR_NREC N2 then the records, each starting with its TAB_LEN (N3).
 * Throws when the structure itself is broken (→ ST_INVPARM).
 */
export function splitTlrRecords(data: string): string[] {
  if (!/^[0-9]{2}/.test(data)) throw new Error('TLR_NREC is not N2');
  const n = Number(data.slice(0, 2));
  const records: string[] = [];
  let i = 2;
  for (let k = 0; k < n; k++) {
    const lenText = data.slice(i, i + 3);
    if (!/^[0-9]{3}$/.test(lenText)) throw new Error('TAB_LEN is not N3');
    const len = Number(lenText);
    if (len < 3 || i + len > data.length) throw new Error('record shorter than TAB_LEN');
    records.push(data.slice(i, i + len));
    i += len;
  }
  if (i !== data.length) throw new Error('data after the last record');
  return records;
}

/** "Partial match" AID selection (EMV Book 1): the terminal's AID is a prefix of the card's. */
export function aidMatches(tableAid: string, cardAid: string): boolean {
  return cardAid.toUpperCase().startsWith(tableAid.toUpperCase());
}

/** Numeric value as EMV "n" (BCD, right-aligned, `bytes` long). */
export function bcd(value: string | number, bytes: number): Buffer {
  const s = String(value)
    .padStart(bytes * 2, '0')
    .slice(-bytes * 2);
  return Buffer.from(s, 'hex');
}
