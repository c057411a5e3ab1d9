// No import circle anywhere in the main process or the renderer. Type-only imports count too: a
// circle of types is still two modules that cannot be read, or moved, one without the other.
// A small scanner of import / export-from statements is enough for code written the way ours is.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..', '..');

function filesUnder(dir: string, extensions: readonly string[]): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...filesUnder(full, extensions));
    else if (extensions.some((ext) => entry.name.endsWith(ext))) found.push(full);
  }
  return found;
}

/** Every module specifier a file names: import ... from, export ... from, bare import, import(). */
export function importedSpecifiers(source: string): string[] {
  // Comments may quote import statements; they are not edges.
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const specifiers: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[\w*{}\s,$]*?\s*from\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) {
    for (const match of code.matchAll(pattern)) specifiers.push(match[1]!);
  }
  return specifiers;
}

const isFile = (file: string): boolean => {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
};

/** The file a relative specifier names, as the bundlers resolve it; undefined for packages. */
function resolve(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), specifier);
  const candidates = [base, `${base}.ts`, `${base}/index.ts`, `${base}.svelte`];
  return candidates.find(isFile);
}

type Graph = Map<string, string[]>;

function importGraph(files: string[]): Graph {
  const graph: Graph = new Map();
  for (const file of files) {
    const targets = importedSpecifiers(readFileSync(file, 'utf8'))
      .map((specifier) => resolve(file, specifier))
      .filter((target): target is string => target !== undefined);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** One circle per strongly connected component (Tarjan), each as a path back to its start. */
export function findCycles(graph: Graph): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const lowLinks = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];

  const connect = (node: string): void => {
    indices.set(node, index);
    lowLinks.set(node, index);
    index++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        connect(next);
        lowLinks.set(node, Math.min(lowLinks.get(node)!, lowLinks.get(next)!));
      } else if (onStack.has(next)) {
        lowLinks.set(node, Math.min(lowLinks.get(node)!, indices.get(next)!));
      }
    }
    if (lowLinks.get(node) !== indices.get(node)) return;
    const component = new Set<string>();
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.add(member);
    } while (member !== node);
    const selfLoop = (graph.get(node) ?? []).includes(node);
    if (component.size > 1 || selfLoop) cycles.push(circleWithin(graph, node, component));
  };

  for (const node of graph.keys()) if (!indices.has(node)) connect(node);
  return cycles;
}

/** The shortest path from `start` back to itself inside one component (breadth first). */
function circleWithin(graph: Graph, start: string, component: Set<string>): string[] {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const next of graph.get(node) ?? []) {
      if (!component.has(next)) continue;
      if (next === start) {
        const circle = [start];
        for (let at = node; at !== start; at = cameFrom.get(at)!) circle.splice(1, 0, at);
        return [...circle, start];
      }
      if (!cameFrom.has(next)) {
        cameFrom.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start, start];
}

const named = (circle: string[]): string =>
  circle.map((file) => path.relative(root, file)).join(' -> ');

describe('import graph', () => {
  it('the scanner sees every form of import and export-from, and finds a circle', () => {
    const source = [
      "import a from './a';",
      "import type { B } from './b';",
      "import {\n  c,\n  type D,\n} from './c';",
      "export { e } from './e';",
      "export * from './f';",
      "export type { G } from './g';",
      "import './h';",
      "const i = await import('./i');",
      "// import { j } from './j';",
      "import { k } from 'zod';",
    ].join('\n');
    expect(importedSpecifiers(source)).toEqual([
      './a',
      './b',
      './c',
      './e',
      './f',
      './g',
      'zod',
      './h',
      './i',
    ]);
    const graph: Graph = new Map([
      ['/x/a.ts', ['/x/b.ts']],
      ['/x/b.ts', ['/x/c.ts', '/x/d.ts']],
      ['/x/c.ts', ['/x/a.ts']],
      ['/x/d.ts', []],
    ]);
    expect(findCycles(graph)).toEqual([['/x/a.ts', '/x/b.ts', '/x/c.ts', '/x/a.ts']]);
    expect(findCycles(new Map([['/x/d.ts', ['/x/d.ts']]]))).toEqual([['/x/d.ts', '/x/d.ts']]);
  });

  it('has no circle under src-main', () => {
    const files = filesUnder(path.join(root, 'src-main'), ['.ts']);
    expect(files.length).toBeGreaterThan(100);
    expect(findCycles(importGraph(files)).map(named)).toEqual([]);
  });

  it('has no circle under src-renderer', () => {
    const files = filesUnder(path.join(root, 'src-renderer'), ['.ts', '.svelte']);
    expect(files.length).toBeGreaterThan(10);
    expect(findCycles(importGraph(files)).map(named)).toEqual([]);
  });
});
