// An ISO 8583 message as values: the MTI and the present fields. Binary fields (type b) are
// Buffers; every other field is a string.
export type FieldValue = string | Buffer;

export interface IsoMessage {
  /** Four digits, e.g. '0200'. */
  mti: string;
  fields: Map<number, FieldValue>;
}

export function isoMessage(mti: string, fields: Record<number, FieldValue> = {}): IsoMessage {
  const map = new Map<number, FieldValue>();
  for (const [k, v] of Object.entries(fields)) map.set(Number(k), v);
  return { mti, fields: map };
}
