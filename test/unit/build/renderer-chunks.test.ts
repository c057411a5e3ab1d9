// A fresh window loads the login and nothing more (src-renderer/App.svelte): the first-run form
// and Home, with every screen it opens, are chunks of their own that the entry imports only
// when they are shown, so the browser compiles and runs less before the login takes input.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const renderer = path.join(root, 'dist', 'renderer');
let entry = '';
let entrySource = '';
let assets: string[] = [];

/** The chunks a module imports before it runs (`import ... from "./x.js"`, `import "./x.js"`). */
function staticImports(source: string): string[] {
  return [
    ...source.matchAll(/\bimport\s*(?:[\w${},\s*]+from\s*)?["'`]\.\/([^"'`]+\.js)["'`]/g),
  ].map((m) => m[1]!);
}

/** The chunks a module imports on demand (`import("./x.js")`). */
function dynamicImports(source: string): string[] {
  return [...source.matchAll(/\bimport\(\s*["'`]\.\/([^"'`]+\.js)["'`]\s*\)/g)].map((m) => m[1]!);
}

beforeAll(() => {
  const html = path.join(renderer, 'index.html');
  if (!existsSync(html)) throw new Error('dist/renderer missing: run `npm run build` first');
  entry = /<script type="module"[^>]*src="\.\/assets\/([^"]+\.js)"/.exec(
    readFileSync(html, 'utf8'),
  )![1]!;
  entrySource = readFileSync(path.join(renderer, 'assets', entry), 'utf8');
  assets = readdirSync(path.join(renderer, 'assets'));
});

describe('the renderer build', () => {
  it('puts Home and the first-run form in chunks of their own, loaded on demand', () => {
    for (const screen of ['Home', 'FirstRun']) {
      const chunk = assets.find((f) => f.startsWith(`${screen}-`) && f.endsWith('.js'));
      expect(chunk, `${screen} chunk`).toBeDefined();
      expect(dynamicImports(entrySource)).toContain(chunk);
    }
  });

  it('has the login load only its entry and what that imports statically, none of the screens', () => {
    const firstScreen = new Set([entry]);
    for (const file of firstScreen) {
      const source = readFileSync(path.join(renderer, 'assets', file), 'utf8');
      for (const imported of staticImports(source)) firstScreen.add(imported);
    }
    expect([...firstScreen].filter((f) => /^(Home|FirstRun)-/.test(f))).toEqual([]);
    // Before the split, the entry carried every screen: 178 KB.
    const bytes = [...firstScreen].reduce(
      (sum, f) => sum + readFileSync(path.join(renderer, 'assets', f)).length,
      0,
    );
    expect(bytes).toBeLessThan(120 * 1024);
  });
});
