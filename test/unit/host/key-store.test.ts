import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { unionPayEcbMac } from '../../../src-main/crypto/mac';
import { buildF62, parseF62 } from '../../../src-main/crypto/working-keys';
import { bundleFromF62, SoftwareKeyStore } from '../../../src-main/host/key-store';
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
});
