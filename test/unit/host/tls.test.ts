// TLS with a pinned certificate, against the simulator serving a throw-away self-signed cert.
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostError } from '../../../src-main/host/errors';
import { makeRig } from './helpers';

let dir: string;
let key: string;
let cert: string;
let fingerprint: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'host-tls-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
      '-days',
      '2',
      '-subj',
      '/CN=bank-host-sim',
    ],
    { stdio: 'ignore' },
  );
  key = readFileSync(join(dir, 'key.pem'), 'utf8');
  cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  fingerprint = new X509Certificate(cert).fingerprint256;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('TLS with a pinned certificate', () => {
  it('works when the fingerprint matches (colons or not)', async () => {
    const rig = await makeRig(
      { tls: { key, cert } },
      { tls: { pinnedSha256: fingerprint.replace(/:/g, '').toLowerCase() } },
    );
    try {
      const r = await rig.client.signOn('01');
      expect(r.responseCode).toBe('00');
      expect((await rig.client.networkTest()).responseCode).toBe('00');
    } finally {
      await rig.stop();
    }
  });

  it('refuses a host whose certificate does not match the pin', async () => {
    const wrong = 'AB'.repeat(32);
    const rig = await makeRig({ tls: { key, cert } }, { tls: { pinnedSha256: wrong } });
    try {
      const e = await rig.client.signOn('01').catch((x: unknown) => x);
      expect(e).toBeInstanceOf(HostError);
      expect((e as HostError).code).toBe('HOST_TLS_PIN_MISMATCH');
      expect(rig.sim.stats.signOns).toBe(0);
    } finally {
      await rig.stop();
    }
  });
});
