// Password rules and hashing. Hashes are scrypt with a per-user random salt; the parameters
// are stored with the hash (`scrypt$N$r$p$salt$hash`, base64) so they can be raised later
// without breaking existing operators.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { StoreError } from './errors';

export const PASSWORD_MIN = 6;
export const PASSWORD_MAX = 64;

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
  keyLen: number;
}

/** About 50 ms and 16 MiB on a cashier PC: slow for a guesser, fine for a login. */
export const DEFAULT_SCRYPT: ScryptParams = { N: 16384, r: 8, p: 1, keyLen: 32 };

/** Throws WEAK_PASSWORD saying which rule failed (and all the rules). */
export function checkPasswordRules(password: string, operatorNo: string): void {
  const chars = [...password];
  const rules = { min: PASSWORD_MIN, max: PASSWORD_MAX };
  if (chars.length < PASSWORD_MIN || chars.length > PASSWORD_MAX) {
    throw new StoreError('WEAK_PASSWORD', { ...rules, problem: 'length', length: chars.length });
  }
  if (chars.every((c) => c === chars[0])) {
    throw new StoreError('WEAK_PASSWORD', { ...rules, problem: 'repeated' });
  }
  if (password === operatorNo) {
    throw new StoreError('WEAK_PASSWORD', { ...rules, problem: 'operator-no' });
  }
}

function scryptAsync(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize('NFC'),
      salt,
      params.keyLen,
      { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 1024 * 1024 },
      (err, key) => (err ? reject(err) : resolve(key)),
    );
  });
}

export async function hashPassword(
  password: string,
  params: ScryptParams = DEFAULT_SCRYPT,
): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, params);
  return [
    'scrypt',
    params.N,
    params.r,
    params.p,
    salt.toString('base64'),
    key.toString('base64'),
  ].join('$');
}

/** Constant-time comparison; a malformed stored hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, saltB64, keyB64] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(keyB64, 'base64');
  const params: ScryptParams = {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    keyLen: expected.length,
  };
  if (!Number.isInteger(params.N) || params.N < 2 || expected.length < 16) return false;
  const actual = await scryptAsync(password, Buffer.from(saltB64, 'base64'), params);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash that matches nothing, checked against for unknown operators so timing reveals nothing. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(18).toString('base64'));
  return dummyHash;
}
