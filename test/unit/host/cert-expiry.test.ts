// The pinned certificate's end date: a real TLS handshake with the host simulator serving a
// certificate made by openssl to expire in 10 days (and one for 90), the client hears valid_to
// after the pin matched, and the warning starts 30 days ahead.
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CERT_WARNING_DAYS,
  certificateExpiryWarning,
  type SeenCertificate,
} from '../../../src-main/host/cert-expiry';
import { makeRig } from './helpers';

let dir: string;
const certs: Record<number, { key: string; cert: string; fingerprint: string }> = {};

function makeCert(days: number): void {
  const key = join(dir, `key-${days}.pem`);
  const cert = join(dir, `cert-${days}.pem`);
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
      key,
      '-out',
      cert,
      '-days',
      String(days),
      '-subj',
      '/CN=bank-host-sim',
    ],
    { stdio: 'ignore' },
  );
  const pem = readFileSync(cert, 'utf8');
  certs[days] = {
    key: readFileSync(key, 'utf8'),
    cert: pem,
    fingerprint: new X509Certificate(pem).fingerprint256,
  };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'host-cert-expiry-'));
  makeCert(10);
  makeCert(90);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function handshake(days: number): Promise<SeenCertificate> {
  const { key, cert, fingerprint } = certs[days]!;
  const seen: SeenCertificate[] = [];
  const rig = await makeRig(
    { tls: { key, cert } },
    { tls: { pinnedSha256: fingerprint, onCertificate: (c) => seen.push(c) } },
  );
  try {
    expect((await rig.client.networkTest()).responseCode).toBe('00');
  } finally {
    await rig.stop();
  }
  expect(seen).toHaveLength(1);
  return seen[0]!;
}

describe('pinned certificate expiry', () => {
  it('hears valid_to of a certificate expiring in 10 days, and warns', async () => {
    const seen = await handshake(10);
    expect(seen.sha256).toBe(certs[10]!.fingerprint.replace(/:/g, ''));
    const days = (seen.validTo.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(9.9);
    expect(days).toBeLessThanOrEqual(10);
    expect(certificateExpiryWarning(seen.validTo, new Date())).toEqual({ daysLeft: 9 });
  });

  it('says nothing about a certificate with 90 days left', async () => {
    const seen = await handshake(90);
    expect(certificateExpiryWarning(seen.validTo, new Date())).toBeNull();
  });

  it('starts warning 30 days ahead, and counts an expired one below zero', () => {
    const now = new Date('2026-12-02T08:00:00Z');
    const at = (days: number) => new Date(now.getTime() + days * 86_400_000);
    expect(CERT_WARNING_DAYS).toBe(30);
    expect(certificateExpiryWarning(at(31), now)).toBeNull();
    expect(certificateExpiryWarning(at(30), now)).toEqual({ daysLeft: 30 });
    expect(certificateExpiryWarning(at(0.5), now)).toEqual({ daysLeft: 0 });
    expect(certificateExpiryWarning(at(-2), now)).toEqual({ daysLeft: -2 });
  });
});
