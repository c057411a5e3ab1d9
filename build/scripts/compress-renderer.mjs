// Precomputes brotli (.br, quality 11) and gzip (.gz, level 9) copies of the built renderer's
// text files beside them, once at build time, so the browser shell sends them compressed at no
// cost per request (src-main/shells/web/assets.ts). A copy that would not be smaller is skipped.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = path.resolve(import.meta.dirname, '..', '..');
// Another folder as the first argument (tests); the build's renderer by default.
const dir = path.resolve(process.argv[2] ?? path.join(root, 'dist', 'renderer'));
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json']);

function* files(folder) {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else yield full;
  }
}

let count = 0;
for (const file of [...files(dir)]) {
  if (file.endsWith('.br') || file.endsWith('.gz')) {
    rmSync(file);
    continue;
  }
  if (!COMPRESSIBLE.has(path.extname(file))) continue;
  const body = readFileSync(file);
  const br = brotliCompressSync(body, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
    },
  });
  const gz = gzipSync(body, { level: 9 });
  if (br.length < body.length) writeFileSync(`${file}.br`, br);
  if (gz.length < body.length) writeFileSync(`${file}.gz`, gz);
  count++;
}
console.log(`compressed ${count} renderer files (.br, .gz)`);
