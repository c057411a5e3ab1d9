// Where working keys go after sign-on, and who computes MACs with them. A PIN pad that holds
// the TMK implements both interfaces itself; without one, SoftwareKeyStore keeps the keys
// encrypted at rest (AES-256-GCM under a random file key, which the operating system seals where
// it can: see FileKeyProtection).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CryptoError } from '../crypto/errors';
import { keyCheckValue } from '../crypto/kcv';
import type { HostMacAlgorithm } from '../common';
import { hostMac } from '../crypto/mac';
import {
  unwrapWorkingKeys,
  type KeyScheme,
  type WorkingKeysUnderTmk,
} from '../crypto/working-keys';
import { PRIVATE_DIR_MODE, writeFileAtomicSync } from '../system';
import { HostError } from './errors';

/** Working keys exactly as they arrive in F62: encrypted under the TMK, with check values. */
export interface WorkingKeyBundle {
  scheme: KeyScheme;
  pikUnderTmk: Buffer;
  makUnderTmk: Buffer;
  tdkUnderTmk?: Buffer;
  checkValues: { pik: Buffer; mak: Buffer; tdk?: Buffer };
}

export interface WorkingKeyInstaller {
  /** Verifies the check values and installs the keys; a mismatch must reject (typed error). */
  installWorkingKeys(keys: WorkingKeyBundle): Promise<void>;
}

export interface MacProvider {
  /** UnionPay ECB MAC of `mab` with the current MAK: 8 ASCII bytes for F64. */
  calculateMac(mab: Buffer): Promise<Buffer>;
}

export type HostKeyStore = WorkingKeyInstaller & MacProvider;

export function bundleFromF62(keys: WorkingKeysUnderTmk): WorkingKeyBundle {
  const bundle: WorkingKeyBundle = {
    scheme: keys.scheme,
    pikUnderTmk: keys.pik.underTmk,
    makUnderTmk: keys.mak.underTmk,
    checkValues: { pik: keys.pik.checkValue, mak: keys.mak.checkValue },
  };
  if (keys.tdk) {
    bundle.tdkUnderTmk = keys.tdk.underTmk;
    bundle.checkValues.tdk = keys.tdk.checkValue;
  }
  return bundle;
}

function toF62Shape(b: WorkingKeyBundle): WorkingKeysUnderTmk {
  const out: WorkingKeysUnderTmk = {
    scheme: b.scheme,
    pik: { underTmk: b.pikUnderTmk, checkValue: b.checkValues.pik },
    mak: { underTmk: b.makUnderTmk, checkValue: b.checkValues.mak },
  };
  if (b.tdkUnderTmk && b.checkValues.tdk) {
    out.tdk = { underTmk: b.tdkUnderTmk, checkValue: b.checkValues.tdk };
  }
  return out;
}

/**
 * How the key store's own file key is kept at rest. `os`: sealed by the operating system for this
 * user and program (Electron safeStorage: DPAPI on Windows, the keyring on Linux), so a copied
 * data folder alone does not give up the keys. `file`: a plain file readable by this user only
 * (mode 0600), for the browser shell and the command line where no such service is reachable.
 */
export interface FileKeyProtection {
  readonly kind: 'os' | 'file';
  seal(fileKey: Buffer): Buffer;
  unseal(sealed: Buffer): Buffer;
}

export const PLAIN_FILE_KEY: FileKeyProtection = {
  kind: 'file',
  seal: (fileKey) => fileKey,
  unseal: (sealed) => sealed,
};

interface StoredKeys {
  tmk?: string;
  /** Check value of a TMK held by the PIN pad itself (loaded into an EPP), never the key. */
  padTmkKcv?: string;
  /** Check value of the wallet master key loaded into the PIN pad. */
  padWmkKcv?: string;
  /** Wallet host request signing key (32 bytes hex). */
  walletSigningKey?: string;
  working?: {
    scheme: KeyScheme;
    pik: string;
    mak: string;
    tdk?: string;
    cvPik: string;
    cvMak: string;
    cvTdk?: string;
  };
}

const FILE_KEY = 'host-keys.filekey';
const SEALED_FILE_KEY = 'host-keys.filekey.sealed';
const KEY_FILE = 'host-keys.enc';

/**
 * Software key store for terminals whose PIN pad cannot hold the keys (and for training).
 * The TMK and the working keys (still under the TMK) live in one AES-256-GCM file.
 */
export class SoftwareKeyStore implements HostKeyStore {
  private stored: StoredKeys = {};
  /** Set when the file key or the key file cannot be read: every use of a key names it, and
   *  only a new key injection (setMasterKey) replaces the file. */
  private problem: HostError | undefined;
  private fileKey: Buffer | undefined;
  // Clear keys are kept in memory only, so a MAC does not cost a TMK unwrap every time.
  private clearCache: { pik: Buffer; mak: Buffer; tdk?: Buffer } | undefined;

  constructor(
    private readonly dir: string,
    private readonly sealing: FileKeyProtection = PLAIN_FILE_KEY,
  ) {
    mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    try {
      this.fileKey = openFileKey(dir, sealing);
      this.stored = this.load(this.fileKey);
    } catch (err) {
      if (!(err instanceof HostError)) throw err;
      // The console still starts; sign-on and key commands say what is wrong.
      this.problem = err;
    }
  }

  /** How this store's file key is kept at rest. */
  protection(): 'os' | 'file' | 'none' {
    return SoftwareKeyStore.protectionOf(this.dir);
  }

  /** How the file key is protected here ('os' or 'file'), for the Devices screen and README. */
  static protectionOf(dir: string): 'os' | 'file' | 'none' {
    if (existsSync(join(dir, SEALED_FILE_KEY))) return 'os';
    return existsSync(join(dir, FILE_KEY)) ? 'file' : 'none';
  }

  /** Loads the terminal master key (key injection at installation, or training). */
  setMasterKey(tmk: Buffer): void {
    if (tmk.length !== 16 && tmk.length !== 24) {
      throw new HostError('HOST_BAD_REQUEST', 'TMK must be 16 or 24 bytes');
    }
    if (!this.fileKey) {
      // Sealed for another program: refuse. Unreadable: a new injection starts a new key file.
      if (this.problem?.code !== 'HOST_KEYS_UNREADABLE') throw this.problem;
      rmSync(join(this.dir, SEALED_FILE_KEY), { force: true });
      rmSync(join(this.dir, FILE_KEY), { force: true });
      this.fileKey = openFileKey(this.dir, this.sealing);
    }
    this.problem = undefined;
    // A new TMK makes the old working keys meaningless; the wallet keys stay.
    const next: StoredKeys = { ...this.stored, tmk: tmk.toString('hex') };
    delete next.working;
    delete next.padTmkKcv;
    this.stored = next;
    this.save();
  }

  hasMasterKey(): boolean {
    return this.stored.tmk !== undefined;
  }

  /**
   * Check value (8 hex) of the terminal master key, for the engineer to compare with the bank's
   * key letter: of the TMK held here, or as recorded when it was loaded into the PIN pad.
   */
  masterKeyCheckValue(): string | undefined {
    if (this.stored.tmk) {
      return keyCheckValue(Buffer.from(this.stored.tmk, 'hex'), '3des')
        .toString('hex')
        .toUpperCase();
    }
    return this.stored.padTmkKcv;
  }

  /** Records that a master key now lives in the PIN pad (EPP), by its check value only. */
  recordPadMasterKey(which: 'tmk' | 'wmk', kcvHex: string): void {
    this.stored = {
      ...this.stored,
      ...(which === 'tmk' ? { padTmkKcv: kcvHex } : { padWmkKcv: kcvHex }),
    };
    this.save();
  }

  walletMasterKeyCheckValue(): string | undefined {
    return this.stored.padWmkKcv;
  }

  /** Installs the wallet host signing key (`cashier keys load-wallet-key`). */
  setWalletSigningKey(key: Buffer): void {
    if (key.length !== 32) throw new HostError('HOST_BAD_REQUEST', 'signing key must be 32 bytes');
    this.stored = { ...this.stored, walletSigningKey: key.toString('hex') };
    this.save();
  }

  walletSigningKey(): Buffer | undefined {
    const hex = this.stored.walletSigningKey;
    return hex ? Buffer.from(hex, 'hex') : undefined;
  }

  hasWorkingKeys(): boolean {
    return this.stored.working !== undefined;
  }

  async installWorkingKeys(keys: WorkingKeyBundle): Promise<void> {
    const tmk = this.tmk();
    try {
      unwrapWorkingKeys(toF62Shape(keys), tmk);
    } catch (e) {
      if (e instanceof CryptoError) {
        throw new HostError('HOST_KEYS_REFUSED', { detail: e.message, cause: e });
      }
      throw e;
    }
    const working: NonNullable<StoredKeys['working']> = {
      scheme: keys.scheme,
      pik: keys.pikUnderTmk.toString('hex'),
      mak: keys.makUnderTmk.toString('hex'),
      cvPik: keys.checkValues.pik.toString('hex'),
      cvMak: keys.checkValues.mak.toString('hex'),
    };
    if (keys.tdkUnderTmk && keys.checkValues.tdk) {
      working.tdk = keys.tdkUnderTmk.toString('hex');
      working.cvTdk = keys.checkValues.tdk.toString('hex');
    }
    this.stored = { ...this.stored, working };
    this.save();
  }

  /** The MAC of `mab` with the MAK, by the host's algorithm (UnionPay ECB unless set). */
  async calculateMac(mab: Buffer, algorithm: HostMacAlgorithm = 'ecb'): Promise<Buffer> {
    return hostMac(algorithm, this.clearKeys().mak, mab);
  }

  /** Clear working keys, for the simulated PIN pad in training mode only. */
  clearKeys(): { pik: Buffer; mak: Buffer; tdk?: Buffer } {
    if (this.clearCache) return this.clearCache;
    const w = this.stored.working;
    if (!w) throw new HostError('HOST_NOT_SIGNED_ON', 'no working keys');
    const shape = toF62Shape({
      scheme: w.scheme,
      pikUnderTmk: Buffer.from(w.pik, 'hex'),
      makUnderTmk: Buffer.from(w.mak, 'hex'),
      ...(w.tdk ? { tdkUnderTmk: Buffer.from(w.tdk, 'hex') } : {}),
      checkValues: {
        pik: Buffer.from(w.cvPik, 'hex'),
        mak: Buffer.from(w.cvMak, 'hex'),
        ...(w.cvTdk ? { tdk: Buffer.from(w.cvTdk, 'hex') } : {}),
      },
    });
    const clear = unwrapWorkingKeys(shape, this.tmk());
    this.clearCache = clear.tdk
      ? { pik: clear.pik, mak: clear.mak, tdk: clear.tdk }
      : { pik: clear.pik, mak: clear.mak };
    return this.clearCache;
  }

  /** Forgets the working keys (e.g. after a MAC error), keeping the TMK. */
  clearWorkingKeys(): void {
    const next: StoredKeys = { ...this.stored };
    delete next.working;
    this.stored = next;
    this.save();
  }

  // Keys must never reach a log through console.log / util.inspect / JSON.
  toJSON(): string {
    return '[SoftwareKeyStore]';
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return '[SoftwareKeyStore]';
  }

  private tmk(): Buffer {
    if (!this.stored.tmk) throw this.problem ?? new HostError('HOST_NO_MASTER_KEY');
    return Buffer.from(this.stored.tmk, 'hex');
  }

  private load(fileKey: Buffer): StoredKeys {
    const path = join(this.dir, KEY_FILE);
    if (!existsSync(path)) return {};
    const blob = readFileSync(path);
    if (blob.length < 28) throw new HostError('HOST_KEYS_UNREADABLE', path);
    const decipher = createDecipheriv('aes-256-gcm', fileKey, blob.subarray(0, 12));
    decipher.setAuthTag(blob.subarray(12, 28));
    try {
      const clear = Buffer.concat([decipher.update(blob.subarray(28)), decipher.final()]);
      return JSON.parse(clear.toString('utf8')) as StoredKeys;
    } catch {
      // Tampered, or from another PC's file key: refuse rather than start without a TMK.
      throw new HostError('HOST_KEYS_UNREADABLE', path);
    }
  }

  private save(): void {
    this.clearCache = undefined;
    if (!this.fileKey) throw this.problem ?? new HostError('HOST_KEYS_UNREADABLE', this.dir);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.fileKey, iv);
    const data = Buffer.concat([
      cipher.update(Buffer.from(JSON.stringify(this.stored), 'utf8')),
      cipher.final(),
    ]);
    writeFileAtomicSync(join(this.dir, KEY_FILE), Buffer.concat([iv, cipher.getAuthTag(), data]));
  }
}

/** Reads (or creates) the file key, sealing it with the OS where `protection` can. */
function openFileKey(dir: string, protection: FileKeyProtection): Buffer {
  return openInstallSecret(dir, FILE_KEY, protection);
}

/**
 * Reads (or creates) a random 32-byte per-install secret kept in `dir` the way the key store's
 * file key is: `NAME.sealed`, sealed by the operating system where `protection` can, else `NAME`,
 * a plain file readable by this user only (0600). A sealed one is never replaced: without the OS
 * it is HOST_KEYS_SEALED, one that does not unseal HOST_KEYS_UNREADABLE. The file key is one
 * such secret, the log review's account-hash key (core/review/account-key.ts) another.
 */
export function openInstallSecret(
  dir: string,
  name: string,
  protection: FileKeyProtection = PLAIN_FILE_KEY,
): Buffer {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const plainPath = join(dir, name);
  const sealedPath = join(dir, `${name}.sealed`);
  if (existsSync(sealedPath)) {
    if (protection.kind !== 'os') throw new HostError('HOST_KEYS_SEALED', sealedPath);
    try {
      return protection.unseal(readFileSync(sealedPath));
    } catch {
      throw new HostError('HOST_KEYS_UNREADABLE', sealedPath);
    }
  }
  const fileKey = existsSync(plainPath) ? readFileSync(plainPath) : randomBytes(32);
  if (protection.kind === 'os') {
    // Upgrade: keys loaded from the command line before the console first ran get sealed now.
    writeFileAtomicSync(sealedPath, protection.seal(fileKey));
    rmSync(plainPath, { force: true });
  } else if (!existsSync(plainPath)) {
    writeFileAtomicSync(plainPath, fileKey);
  }
  return fileKey;
}
