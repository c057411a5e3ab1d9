// The dependency direction of ARCHITECTURE.md is an ESLint rule; prove it bites.
import { ESLint } from 'eslint';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: path.resolve(import.meta.dirname, '..', '..', '..') });

async function importErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: file });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports')
    .map((m) => m.message);
}

describe('dependency direction lint rule', () => {
  it.each([
    ['src-main/protocols/iso8583/x.ts', "import { a } from '../../devices/serial/port';"],
    ['src-main/crypto/x.ts', "import { a } from '../store';"],
    ['src-main/contract/x.ts', "import { a } from '../core/config';"],
    ['src-main/store/x.ts', "import { a } from '../core/cashier-core';"],
    ['src-main/core/x.ts', "import { a } from '../shells/web/web-shell';"],
    ['src-main/sim/x.ts', "import { a } from '../cli/command';"],
    ['src-main/core/x.ts', "import { a } from 'electron';"],
    ['src-main/shells/web/x.ts', "import { a } from 'electron';"],
    ['src-renderer/x.ts', "import { a } from '../src-main/core/config';"],
    ['src-renderer/x.ts', "import { apiSchemas } from '../src-main/contract';"],
  ])('refuses a wrong import in %s', async (file, code) => {
    expect(await importErrors(file, `${code}\nexport const b = a;\n`)).not.toEqual([]);
  });

  it.each([
    ['src-main/core/x.ts', "import { a } from '../store';"],
    ['src-main/host/x.ts', "import { a } from '../protocols/iso8583/codec';"],
    ['src-main/sim/x.ts', "import { a } from '../devices/serial/port';"],
    ['src-main/shells/electron/x.ts', "import { a } from 'electron';"],
    ['src-main/cli/x.ts', "import { a } from '../shells/web/web-shell';"],
    ['src-renderer/x.ts', "import type { a } from '../src-main/contract';"],
  ])('allows a right import in %s', async (file, code) => {
    expect(await importErrors(file, `${code}\nexport const b = a;\n`)).toEqual([]);
  });
});
