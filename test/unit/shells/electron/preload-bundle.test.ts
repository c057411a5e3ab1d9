// The built preload (dist/main/preload.cjs) exposes one function per API method, named from the
// contract's channels, and carries the names only: no schema library, no schema.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiEventNames, apiMethodNames } from '../../../../src-main/contract';

const bundle = path.resolve(import.meta.dirname, '..', '..', '..', '..', 'dist/main/preload.cjs');

describe('the preload bundle', () => {
  it('names every API method, and nothing of the schemas', () => {
    if (!existsSync(bundle)) throw new Error('dist/ is missing: run `npm run build` first');
    const code = readFileSync(bundle, 'utf8');
    const listed = /var apiMethodNames = (\[[^\]]*\]);/.exec(code)?.[1];
    expect(listed, 'the method names as a literal list').toBeDefined();
    expect(JSON.parse(listed!)).toEqual([...apiMethodNames]);
    for (const event of apiEventNames) expect(code).toContain(event);
    expect(code).not.toMatch(/zod|safeParse|\.regex\(|strictObject/i);
    // Small enough to read: the bridge, the names, the event check.
    expect(code.length).toBeLessThan(4_000);
  });
});
