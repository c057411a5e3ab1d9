// The browser shell's static files (the built renderer): compressed and cacheable.
// - Compressed: the build puts brotli and gzip copies beside each text file
//   (build/scripts/compress-renderer.mjs); the best one the browser accepts is sent as it is,
//   never compressed per request.
// - Cacheable: Vite names the JS and CSS by their content hash, so those are `immutable` for a
//   year (private: they are behind the token cookie); index.html, which names them, is
//   `no-cache` and revalidated by its ETag (304 when unchanged), so a new build is picked up.
// Security headers stay the shell's (web-shell.ts); only Cache-Control differs from its
// `no-store`. A path outside the renderer folder, or a compressed copy asked for by name, is
// not a file here.
import { createHash } from 'node:crypto';
import { promises as fs, statSync } from 'node:fs';
import path from 'node:path';

export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** Vite's output names: `assets/<name>-<content hash>.<ext>`. */
const HASHED = /^assets\/[^/]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

export const IMMUTABLE = 'private, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';

type Encoding = 'br' | 'gzip' | 'identity';
const SUFFIX: Record<Exclude<Encoding, 'identity'>, string> = { br: '.br', gzip: '.gz' };

interface Variant {
  body: Buffer;
  etag: string;
}

interface Asset {
  mtimeMs: number;
  size: number;
  type: string;
  cacheControl: string;
  variants: Partial<Record<Encoding, Variant>>;
}

export interface AssetAnswer {
  status: 200 | 304;
  headers: Record<string, string | number>;
  body: Buffer | null;
}

/** The encodings `accept-encoding` allows, best first (q=0 refuses one). */
export function acceptedEncodings(header: string | undefined): Encoding[] {
  const allowed = new Set<string>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q !== undefined && !(Number(q.slice(2)) > 0)) continue;
    if (name) allowed.add(name);
  }
  const out: Encoding[] = [];
  if (allowed.has('br')) out.push('br');
  if (allowed.has('gzip')) out.push('gzip');
  out.push('identity');
  return out;
}

/** Whether `if-none-match` names this ETag (or `*`); weak comparison, as RFC 9110 asks. */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === '*' || t === etag);
}

async function readOptional(file: string): Promise<Buffer | undefined> {
  try {
    return await fs.readFile(file);
  } catch {
    return undefined;
  }
}

function etagOf(body: Buffer, encoding: Encoding): string {
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 27);
  return `"${hash}${encoding === 'identity' ? '' : `-${encoding}`}"`;
}

export function assetServer(rendererDir: string) {
  const root = path.resolve(rendererDir);
  // Read once per file version (mtime and size), then answered from memory.
  const cache = new Map<string, Asset>();

  async function load(file: string, relative: string): Promise<Asset | undefined> {
    // Synchronous: a local file's stat takes microseconds, and an asynchronous one would wait
    // behind whatever else the process is doing (`cashier serve` loading the console).
    let stat;
    try {
      stat = statSync(file);
    } catch {
      return undefined;
    }
    if (!stat.isFile()) return undefined;
    const known = cache.get(file);
    if (known && known.mtimeMs === stat.mtimeMs && known.size === stat.size) return known;
    const body = await fs.readFile(file);
    const variants: Asset['variants'] = { identity: { body, etag: etagOf(body, 'identity') } };
    for (const encoding of ['br', 'gzip'] as const) {
      const copy = await readOptional(file + SUFFIX[encoding]);
      if (copy) variants[encoding] = { body: copy, etag: etagOf(body, encoding) };
    }
    const asset: Asset = {
      mtimeMs: stat.mtimeMs,
      size: stat.size,
      type: CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
      cacheControl: HASHED.test(relative.split(path.sep).join('/')) ? IMMUTABLE : REVALIDATE,
      variants,
    };
    cache.set(file, asset);
    return asset;
  }

  return {
    /**
     * Reads every file of the renderer folder into memory: the shell does so before it listens,
     * so that a browser's first requests are answered while the console is still loading
     * (`cashier serve`), not after it. A file that cannot be read is left to its request.
     */
    async preload(): Promise<void> {
      const entries = await fs.readdir(root, { recursive: true }).catch(() => [] as string[]);
      await Promise.all(
        entries
          .filter((name) => !name.endsWith('.br') && !name.endsWith('.gz'))
          .map((name) => load(path.join(root, name), name)),
      );
    },

    /**
     * The answer for a decoded path relative to the renderer folder (`index.html`,
     * `assets/…`), or undefined when there is no such file.
     */
    async answer(
      relative: string,
      request: { acceptEncoding?: string | undefined; ifNoneMatch?: string | undefined },
    ): Promise<AssetAnswer | undefined> {
      const file = path.resolve(root, relative);
      if (!file.startsWith(root + path.sep)) return undefined;
      // The compressed copies are representations of their file, not files of their own.
      if (file.endsWith('.br') || file.endsWith('.gz')) return undefined;
      const asset = await load(file, path.relative(root, file));
      if (!asset) return undefined;
      const encoding = acceptedEncodings(request.acceptEncoding).find((e) => asset.variants[e])!;
      const variant = asset.variants[encoding]!;
      const headers: Record<string, string | number> = {
        'Cache-Control': asset.cacheControl,
        ETag: variant.etag,
        Vary: 'Accept-Encoding',
      };
      if (matches(request.ifNoneMatch, variant.etag)) return { status: 304, headers, body: null };
      return {
        status: 200,
        headers: {
          ...headers,
          'Content-Type': asset.type,
          'Content-Length': variant.body.length,
          ...(encoding === 'identity' ? {} : { 'Content-Encoding': encoding }),
        },
        body: variant.body,
      };
    },
  };
}
