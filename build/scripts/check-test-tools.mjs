// Runs before `npm test`: says plainly which system tools are missing instead of letting
// the end-to-end and serial tests fail one by one.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const missing = [];
const chromium = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].some(
  (p) => p && existsSync(p),
);
if (!chromium) missing.push('chromium');
for (const tool of ['socat', 'openssl']) {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
  } catch {
    missing.push(tool);
  }
}
if (!existsSync('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc'))
  missing.push('fonts-noto-cjk');

if (missing.length) {
  console.error(
    `npm test needs these Debian packages: ${missing.join(' ')}\n` +
      `  sudo apt-get install -y ${missing.join(' ')}   (or run: bash .ci/run)`,
  );
  process.exit(1);
}
