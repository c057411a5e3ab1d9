// Where working keys go after sign-on, and who computes MACs with them. A PIN pad that holds
// the TMK implements both interfaces itself; without one, SoftwareKeyStore keeps the keys
// encrypted at rest (AES-256-GCM with a random file key in the data folder).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CryptoError } from '../crypto/errors';
import { unionPayEcbMac } from '../crypto/mac';
import {
  unwrapWorkingKeys,
  type KeyScheme,
  type WorkingKeysUnderTmk,
} from '../crypto/working-keys';
import { writeFileAtomicSync } from './atomic-file';
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

interface StoredKeys {
  tmk?: string;
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
const KEY_FILE = 'host-keys.enc';

/**
 * Software key store for terminals whose PIN pad cannot hold the keys (and for training).
 * The TMK and the working keys (still under the TMK) live in one AES-256-GCM file.
 */
export class SoftwareKeyStore implements HostKeyStore {
  private stored: StoredKeys;
  private readonly fileKey: Buffer;
  // Clear keys are kept in memory only, so a MAC does not cost a TMK unwrap every time.
  private clearCache: { pik: Buffer; mak: Buffer; tdk?: Buffer } | undefined;

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    const fileKeyPath = join(dir, FILE_KEY);
    if (existsSync(fileKeyPath)) {
      this.fileKey = readFileSync(fileKeyPath);
    } else {
      this.fileKey = randomBytes(32);
      writeFileAtomicSync(fileKeyPath, this.fileKey, 0o600);
    }
    this.stored = this.load();
  }

  /** Loads the terminal master key (key injection at installation, or training). */
  setMasterKey(tmk: Buffer): void {
    if (tmk.length !== 16 && tmk.length !== 24) {
      throw new HostError('HOST_BAD_REQUEST', 'TMK must be 16 or 24 bytes');
    }
    // A new TMK makes the old working keys meaningless.
    this.stored = { tmk: tmk.toString('hex') };
    this.save();
  }

  hasMasterKey(): boolean {
    return this.stored.tmk !== undefined;
  }

  hasWorkingKeys(): boolean {
    return this.stored.working !== undefined;
  }

  async installWorkingKeys(keys: WorkingKeyBundle): Promise<void> {
    const tmk = this.tmk();
    try {
      unwrapWorkingKeys(toF62Shape(keys), tmk);
    } catch (e) {
      if (e instanceof CryptoError) throw new HostError('HOST_KEYS_REFUSED', e.message);
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

  async calculateMac(mab: Buffer): Promise<Buffer> {
    return unionPayEcbMac(this.clearKeys().mak, mab);
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
    this.stored = this.stored.tmk ? { tmk: this.stored.tmk } : {};
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
    if (!this.stored.tmk) throw new HostError('HOST_NO_MASTER_KEY');
    return Buffer.from(this.stored.tmk, 'hex');
  }

  private load(): StoredKeys {
    const path = join(this.dir, KEY_FILE);
    if (!existsSync(path)) return {};
    const blob = readFileSync(path);
    if (blob.length < 28) return {};
    const decipher = createDecipheriv('aes-256-gcm', this.fileKey, blob.subarray(0, 12));
    decipher.setAuthTag(blob.subarray(12, 28));
    try {
      const clear = Buffer.concat([decipher.update(blob.subarray(28)), decipher.final()]);
      return JSON.parse(clear.toString('utf8')) as StoredKeys;
    } catch {
      // Tampered or from another file key: start without keys (a sign-on fetches new ones).
      return {};
    }
  }

  private save(): void {
    this.clearCache = undefined;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.fileKey, iv);
    const data = Buffer.concat([
      cipher.update(Buffer.from(JSON.stringify(this.stored), 'utf8')),
      cipher.final(),
    ]);
    writeFileAtomicSync(join(this.dir, KEY_FILE), Buffer.concat([iv, cipher.getAuthTag(), data]));
  }
}
