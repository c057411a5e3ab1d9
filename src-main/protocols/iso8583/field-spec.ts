// Declarative field descriptions, in the spirit of jPOS packagers: one line per field says how it
// travels, and one generic packer reads the table.

/**
 * n: numeric, packed BCD. z: track data, packed BCD with `=` as nibble D.
 * an / ans: ASCII. b: binary bytes.
 */
export type FieldType = 'n' | 'z' | 'an' | 'ans' | 'b';

/** fixed, or a BCD length prefix of 1 byte (LL) or 2 bytes (LLL). */
export type LengthKind = 'fixed' | 'LL' | 'LLL';

/** How a field is shown in log dumps. */
export type Sensitivity = 'none' | 'pan' | 'track' | 'secret';

export interface FieldSpec {
  name: string;
  type: FieldType;
  lengthKind: LengthKind;
  /**
   * Fixed length or maximum: digits for n/z, characters for an/ans, bytes for b. Variable n/z
   * prefixes count digits; an/ans/b prefixes count bytes.
   */
  length: number;
  /** Odd-length BCD padding: 'left' = value first, pad nibble after it. */
  justify: 'left' | 'right';
  sensitivity: Sensitivity;
}

export type FieldTable = Readonly<Record<number, FieldSpec>>;

type Opts = Partial<Pick<FieldSpec, 'justify' | 'sensitivity'>>;

function make(
  name: string,
  type: FieldType,
  lengthKind: LengthKind,
  length: number,
  opts: Opts = {},
): FieldSpec {
  const variable = lengthKind !== 'fixed';
  return {
    name,
    type,
    lengthKind,
    length,
    // Variable-length BCD is left-justified; fixed numeric fields are right-justified.
    justify: opts.justify ?? (variable || type === 'z' ? 'left' : 'right'),
    sensitivity: opts.sensitivity ?? 'none',
  };
}

export const fixedN = (name: string, digits: number, opts?: Opts): FieldSpec =>
  make(name, 'n', 'fixed', digits, opts);
export const llN = (name: string, max: number, opts?: Opts): FieldSpec =>
  make(name, 'n', 'LL', max, opts);
export const lllN = (name: string, max: number, opts?: Opts): FieldSpec =>
  make(name, 'n', 'LLL', max, opts);
export const llZ = (name: string, max: number, opts?: Opts): FieldSpec =>
  make(name, 'z', 'LL', max, opts);
export const lllZ = (name: string, max: number, opts?: Opts): FieldSpec =>
  make(name, 'z', 'LLL', max, opts);
export const fixedA = (name: string, type: 'an' | 'ans', chars: number, opts?: Opts): FieldSpec =>
  make(name, type, 'fixed', chars, opts);
export const llA = (name: string, type: 'an' | 'ans', max: number, opts?: Opts): FieldSpec =>
  make(name, type, 'LL', max, opts);
export const lllA = (name: string, type: 'an' | 'ans', max: number, opts?: Opts): FieldSpec =>
  make(name, type, 'LLL', max, opts);
export const fixedB = (name: string, bytes: number, opts?: Opts): FieldSpec =>
  make(name, 'b', 'fixed', bytes, opts);
export const lllB = (name: string, max: number, opts?: Opts): FieldSpec =>
  make(name, 'b', 'LLL', max, opts);
