// `npm run dist`: electron-builder with the shop's or chain's settings from the environment.
//   CASHIER_UPDATE_URL      https URL where the installed app looks for updates (latest.yml and
//                           the installer); without it the build keeps the placeholder from
//                           electron-builder.yml and never checks for updates.
//   CASHIER_SIGN_PUBLISHER  the signing certificate's subject name (CN). Written into the app so
//                           electron-updater installs only updates signed with that certificate.
// Signing itself is build/scripts/sign-windows.mjs (CASHIER_SIGN_* variables, see README).
// Everything else on the command line goes to electron-builder unchanged.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const env = process.env;

const updateUrl = env.CASHIER_UPDATE_URL?.trim();
if (updateUrl) {
  let url;
  try {
    url = new URL(updateUrl);
  } catch {
    console.error(`dist: CASHIER_UPDATE_URL is not a URL: ${updateUrl}`);
    process.exit(2);
  }
  if (url.protocol !== 'https:') {
    console.error('dist: CASHIER_UPDATE_URL must be https (the app refuses other update URLs)');
    process.exit(2);
  }
  args.push(`-c.publish.url=${url.href}`);
} else {
  console.warn('dist: CASHIER_UPDATE_URL is not set: this build will not update itself');
}
const publisher = env.CASHIER_SIGN_PUBLISHER?.trim();
if (publisher) args.push(`-c.win.signtoolOptions.publisherName=${publisher}`);
// The update server is the shop's own folder: electron-builder uploads nothing.
if (!args.some((a) => a === '-p' || a === '--publish' || a.startsWith('--publish='))) {
  args.push('--publish', 'never');
}

const cli = require.resolve('electron-builder/cli.js');
const result = spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit' });
process.exit(result.status ?? 1);
