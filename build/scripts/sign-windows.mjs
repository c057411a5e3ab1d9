// Windows code-signing hook for electron-builder (electron-builder.yml, win.signtoolOptions.sign).
// electron-builder calls it for every file it signs: the app executable, the installer and the
// uninstaller. The certificate comes from the build machine's environment, never from this
// repository:
//   CASHIER_SIGN_PFX, CASHIER_SIGN_PFX_PASSWORD  a .pfx/.p12 file and its password; or
//   CASHIER_SIGN_SHA1                            the SHA-1 thumbprint of a certificate in the
//                                                Windows certificate store (EV token, HSM);
//   CASHIER_SIGN_MACHINE_STORE=1                 look in the machine store, not the user's;
//   CASHIER_SIGN_TIMESTAMP_URL                   RFC 3161 timestamp server (default DigiCert);
//   CASHIER_SIGNTOOL                             signtool.exe when it is not on PATH;
//   CASHIER_SIGN_REQUIRED=1                      fail instead of building unsigned (release CI).
// With no certificate set the files stay unsigned and the build goes on, with a warning.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const DEFAULT_TIMESTAMP_URL = 'http://timestamp.digicert.com';
const yes = (value) => /^(1|true|yes)$/i.test(value ?? '');

/** The signing settings in `env`, or null when no certificate is configured. */
export function signingSettings(env = process.env) {
  const pfx = env.CASHIER_SIGN_PFX?.trim() || undefined;
  // Thumbprints copied from the certificate dialog carry spaces (and sometimes invisible marks).
  const sha1 = env.CASHIER_SIGN_SHA1?.replace(/[^0-9a-f]/gi, '').toUpperCase() || undefined;
  if (pfx && sha1)
    throw new Error('sign-windows: set CASHIER_SIGN_PFX or CASHIER_SIGN_SHA1, not both');
  if (!pfx && !sha1) return null;
  if (sha1 && sha1.length !== 40) {
    throw new Error('sign-windows: CASHIER_SIGN_SHA1 must be a 40-hex-digit thumbprint');
  }
  return {
    pfx,
    password: env.CASHIER_SIGN_PFX_PASSWORD || undefined,
    sha1,
    machineStore: yes(env.CASHIER_SIGN_MACHINE_STORE),
    timestampUrl: env.CASHIER_SIGN_TIMESTAMP_URL || DEFAULT_TIMESTAMP_URL,
    signtool: env.CASHIER_SIGNTOOL || 'signtool.exe',
  };
}

/** signtool.exe arguments: SHA-256 digest, RFC 3161 timestamp, certificate from file or store. */
export function signtoolArgs(file, settings, { hash = 'sha256', description } = {}) {
  const args = ['sign', '/fd', hash, '/tr', settings.timestampUrl, '/td', hash];
  if (description) args.push('/d', description);
  if (settings.pfx) {
    args.push('/f', settings.pfx);
    if (settings.password) args.push('/p', settings.password);
  } else {
    args.push('/sha1', settings.sha1);
    if (settings.machineStore) args.push('/sm');
  }
  args.push(file);
  return args;
}

/**
 * The hook. `configuration` is electron-builder's task: `path` to sign, `hash`, `name`.
 * `deps` lets the tests replace the environment, the platform and the process runner.
 */
export async function sign(configuration, _packager, deps = {}) {
  const env = deps.env ?? process.env;
  const platform = deps.platform ?? process.platform;
  const run = deps.run ?? promisify(execFile);
  const file = configuration.path;
  const settings = signingSettings(env);
  if (!settings) {
    if (yes(env.CASHIER_SIGN_REQUIRED)) {
      throw new Error(
        `sign-windows: CASHIER_SIGN_REQUIRED is set but no certificate is (CASHIER_SIGN_PFX or CASHIER_SIGN_SHA1): ${file}`,
      );
    }
    console.warn(`  • not signed (no CASHIER_SIGN_PFX or CASHIER_SIGN_SHA1)  file=${file}`);
    return false;
  }
  if (platform !== 'win32') {
    throw new Error(
      'sign-windows: signing uses signtool.exe, so build the Windows installer on Windows',
    );
  }
  const args = signtoolArgs(file, settings, {
    hash: configuration.hash ?? 'sha256',
    description: configuration.name,
  });
  // The arguments may hold the PFX password: never print them.
  await run(settings.signtool, args, { windowsHide: true });
  console.log(`  • signed  file=${path.basename(file)}`);
  return true;
}

export default sign;
