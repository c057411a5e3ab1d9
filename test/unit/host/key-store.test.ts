import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { unionPayEcbMac } from '../../../src-main/crypto/mac';
import { buildF62, parseF62 } from '../../../src-main/crypto/working-keys';
import { keyCheckValue } from '../../../src-main/crypto/kcv';
import {
  bundleFromF62,
  SoftwareKeyStore,
  type FileKeyProtection,
} from '../../../src-main/host/key-store';
import { HostError } from '../../../src-main/host/errors';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'keystore-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const tmk = randomBytes(16);
const pik = randomBytes(16);
const mak = randomBytes(8);
const bundle = () => bundleFromF62(parseF62(buildF62({ scheme: '003', pik, mak }, tmk), '003'));

describe('SoftwareKeyStore', () => {
  it('installs verified keys, computes MACs and keeps them across restarts', async () => {
    const dir = tempDir();
    const store = new SoftwareKeyStore(dir);
    store.setMasterKey(tmk);
    await store.installWorkingKeys(bundle());
    const mab = Buffer.from('0200 some message block');
    expect(await store.calculateMac(mab)).toEqual(unionPayEcbMac(mak, mab));
    const again = new SoftwareKeyStore(dir);
    expect(again.hasWorkingKeys()).toBe(true);
    expect(again.clearKeys().pik).toEqual(pik);
  });

  it('without a TMK, keys cannot be installed (typed error)', async () => {
    const store = new SoftwareKeyStore(tempDir());
    await expect(store.installWorkingKeys(bundle())).rejects.toMatchObject({
      code: 'HOST_NO_MASTER_KEY',
    });
  });

  it('refuses keys whose check value does not match', async () => {
    const store = new SoftwareKeyStore(tempDir());
    store.setMasterKey(tmk);
    const b = bundle();
    b.checkValues.mak = Buffer.from('00000000', 'hex');
    await expect(store.installWorkingKeys(b)).rejects.toMatchObject({ code: 'HOST_KEYS_REFUSED' });
    expect(store.hasWorkingKeys()).toBe(false);
  });

  it('stores nothing in clear: neither the TMK nor the keys appear in any file', async () => {
    const dir = tempDir();
    const store = new SoftwareKeyStore(dir);
    store.setMasterKey(tmk);
    await store.installWorkingKeys(bundle());
    for (const name of readdirSync(dir)) {
      const bytes = readFileSync(join(dir, name));
      const text = bytes.toString('latin1').toLowerCase();
      for (const secret of [tmk, pik, mak, bundle().pikUnderTmk]) {
        expect(bytes.includes(secret)).toBe(false);
        expect(text.includes(secret.toString('hex'))).toBe(false);
      }
    }
    if (process.platform !== 'win32') {
      expect(statSync(join(dir, 'host-keys.filekey')).mode & 0o077).toBe(0);
    }
    expect(inspect(store)).toBe('[SoftwareKeyStore]');
    expect(JSON.stringify({ store })).toBe('{"store":"[SoftwareKeyStore]"}');
  });

  it('a tampered key file means no keys (sign on again), not a crash', async () => {
    const dir = tempDir();
    const store = new SoftwareKeyStore(dir);
    store.setMasterKey(tmk);
    await store.installWorkingKeys(bundle());
    const file = join(dir, 'host-keys.enc');
    const blob = readFileSync(file);
    blob[blob.length - 1] ^= 1;
    writeFileSync(file, blob);
    const reopened = new SoftwareKeyStore(dir);
    expect(reopened.hasWorkingKeys()).toBe(false);
    await expect(reopened.calculateMac(Buffer.alloc(8))).rejects.toBeInstanceOf(HostError);
  });

  it('names an unreadable key file at sign-on, and a new key injection repairs it', async () => {
    const dir = tempDir();
    new SoftwareKeyStore(dir).setMasterKey(tmk);
    writeFileSync(join(dir, 'host-keys.enc'), Buffer.alloc(10));
    const damaged = new SoftwareKeyStore(dir);
    const refused = await damaged.installWorkingKeys(bundle()).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'HOST_KEYS_UNREADABLE' });
    expect((refused as HostError).messageZh).toContain('重新灌装密钥');
    damaged.setMasterKey(tmk);
    await new SoftwareKeyStore(dir).installWorkingKeys(bundle());
  });

  it('keeps the check value of the TMK, and of a TMK that lives in the PIN pad', () => {
    const dir = tempDir();
    const store = new SoftwareKeyStore(dir);
    expect(store.masterKeyCheckValue()).toBeUndefined();
    store.recordPadMasterKey('tmk', '1A2B3C4D');
    expect(new SoftwareKeyStore(dir).masterKeyCheckValue()).toBe('1A2B3C4D');
    // The published KCV vector: 0123456789ABCDEFFEDCBA9876543210 -> 08D7B4FB.
    store.setMasterKey(Buffer.from('0123456789ABCDEFFEDCBA9876543210', 'hex'));
    expect(new SoftwareKeyStore(dir).masterKeyCheckValue()).toBe('08D7B4FB');
  });

  it('holds the wallet signing key encrypted, apart from the TMK', () => {
    const dir = tempDir();
    const signing = randomBytes(32);
    const store = new SoftwareKeyStore(dir);
    store.setWalletSigningKey(signing);
    store.setMasterKey(tmk);
    const reopened = new SoftwareKeyStore(dir);
    expect(reopened.walletSigningKey()).toEqual(signing);
    for (const name of readdirSync(dir)) {
      expect(readFileSync(join(dir, name)).includes(signing)).toBe(false);
    }
    expect(() => store.setWalletSigningKey(Buffer.alloc(16))).toThrow(HostError);
  });

  describe('file key sealed by the operating system', () => {
    // Electron's safeStorage cannot run on this machine (no Electron runtime): a stand-in that
    // seals with a secret the data folder does not hold plays the operating system.
    const osSecret = randomBytes(32);
    const sealing: FileKeyProtection = {
      kind: 'os',
      seal: (key) => Buffer.from(key.map((b, i) => b ^ osSecret[i % 32]!)),
      unseal: (sealed) => Buffer.from(sealed.map((b, i) => b ^ osSecret[i % 32]!)),
    };

    it('seals a new file key and leaves no plain one beside the keys', async () => {
      const dir = tempDir();
      new SoftwareKeyStore(dir, sealing).setMasterKey(tmk);
      expect(readdirSync(dir).sort()).toEqual(['host-keys.enc', 'host-keys.filekey.sealed']);
      expect(SoftwareKeyStore.protectionOf(dir)).toBe('os');
      const reopened = new SoftwareKeyStore(dir, sealing);
      await reopened.installWorkingKeys(bundle());
      expect(reopened.masterKeyCheckValue()).toBe(
        keyCheckValue(tmk, '3des').toString('hex').toUpperCase(),
      );
    });

    it('upgrades keys loaded from the command line (plain file key) on first sealed start', async () => {
      const dir = tempDir();
      new SoftwareKeyStore(dir).setMasterKey(tmk);
      expect(SoftwareKeyStore.protectionOf(dir)).toBe('file');
      await new SoftwareKeyStore(dir, sealing).installWorkingKeys(bundle());
      expect(readdirSync(dir)).not.toContain('host-keys.filekey');
      expect(SoftwareKeyStore.protectionOf(dir)).toBe('os');
    });

    it('a copied data folder without the OS secret gives up nothing, and says why', async () => {
      const dir = tempDir();
      new SoftwareKeyStore(dir, sealing).setMasterKey(tmk);
      const plain = new SoftwareKeyStore(dir);
      const refused = await plain.installWorkingKeys(bundle()).catch((e: unknown) => e);
      expect(refused).toMatchObject({ code: 'HOST_KEYS_SEALED' });
      expect(() => plain.setMasterKey(tmk)).toThrow(/sealed/);
      const otherPc: FileKeyProtection = { ...sealing, unseal: () => randomBytes(32) };
      const copied = await new SoftwareKeyStore(dir, otherPc)
        .installWorkingKeys(bundle())
        .catch((e: unknown) => e);
      expect(copied).toMatchObject({ code: 'HOST_KEYS_UNREADABLE' });
    });
  });
});
