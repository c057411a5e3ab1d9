// Test helper: a throw-away self-signed P-256 certificate for 127.0.0.1, made by the openssl CLI.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCert {
  key: string;
  cert: string;
  /** `AB:CD:..` as printed by `openssl x509 -fingerprint -sha256`. */
  fingerprint: string;
}

export function makeSelfSignedCert(): TestCert {
  const dir = mkdtempSync(join(tmpdir(), 'peer-wallet-'));
  try {
    const keyPath = join(dir, 'key.pem');
    const certPath = join(dir, 'cert.pem');
    const opts = { stdio: 'pipe' as const, timeout: 15_000 };
    execFileSync(
      '/usr/bin/openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-days',
        '2',
        '-keyout',
        keyPath,
        '-out',
        certPath,
      ],
      opts,
    );
    const out = execFileSync(
      '/usr/bin/openssl',
      ['x509', '-in', certPath, '-noout', '-fingerprint', '-sha256'],
      opts,
    ).toString('utf8');
    const m = /=([0-9A-Fa-f:]+)\s*$/.exec(out.trim());
    if (m === null) throw new Error(`unexpected openssl output: ${out}`);
    return {
      key: readFileSync(keyPath, 'utf8'),
      cert: readFileSync(certPath, 'utf8'),
      fingerprint: m[1]!.toUpperCase(),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
