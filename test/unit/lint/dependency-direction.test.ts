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
    // common imports nothing of ours, no Node module and no package: it runs on both sides.
    ['src-main/common/x.ts', "import { a } from '../contract';"],
    ['src-main/common/x.ts', "import { a } from '../protocols/iso8583/dump';"],
    ['src-main/common/x.ts', "import { a } from '../system';"],
    ['src-main/common/x.ts', "import { a } from '../store/sensitive';"],
    ['src-main/common/x.ts', "import { a } from '../core/slip';"],
    ['src-main/common/x.ts', "import { a } from '../../src-renderer/format';"],
    ['src-main/common/x.ts', "import { a } from 'node:crypto';"],
    ['src-main/common/x.ts', "import { a } from 'path';"],
    ['src-main/common/x.ts', "import { a } from 'zod';"],
    ['src-main/common/x.ts', "import type { a } from 'node:fs';"],
    // system (Node-only utilities) sits beside protocols / crypto: only common below it, and
    // the pure layers may not reach for I/O through it.
    ['src-main/system/x.ts', "import { a } from '../store/files';"],
    ['src-main/system/x.ts', "import { a } from '../contract';"],
    ['src-main/protocols/iso8583/x.ts', "import { a } from '../../system';"],
    ['src-main/crypto/x.ts', "import { a } from '../system/atomic-file';"],
    ['src-main/contract/x.ts', "import { a } from '../system';"],
    ['src-renderer/x.ts', "import { a } from '../src-main/system';"],
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
    // Every layer, and the renderer (values too), may import common.
    ['src-main/common/x.ts', "import { a } from './masking';"],
    ['src-main/contract/x.ts', "import { a } from '../common';"],
    ['src-main/protocols/iso8583/x.ts', "import { a } from '../../common';"],
    ['src-main/crypto/x.ts', "import { a } from '../common/masking';"],
    ['src-main/system/x.ts', "import { a } from '../common';"],
    ['src-main/store/x.ts', "import { a } from '../common';"],
    ['src-main/core/x.ts', "import { a } from '../common';"],
    ['src-main/shells/web/x.ts', "import { a } from '../../common';"],
    ['src-renderer/x.ts', "import { a } from '../src-main/common';"],
    ['src-renderer/components/x.ts', "import { a } from '../../src-main/common/money';"],
    // system: for the layers that do I/O.
    ['src-main/system/x.ts', "import { a } from 'node:fs';"],
    ['src-main/host/x.ts', "import { a } from '../system';"],
    ['src-main/store/x.ts', "import { a } from '../system/atomic-file';"],
    ['src-main/core/x.ts', "import { a } from '../system';"],
    ['src-main/cli/commands/x.ts', "import { a } from '../../system';"],
  ])('allows a right import in %s', async (file, code) => {
    expect(await importErrors(file, `${code}\nexport const b = a;\n`)).toEqual([]);
  });

  it('keeps Node and browser globals out of src-main/common', async () => {
    const [result] = await eslint.lintText(
      'export const a = Buffer.from(String(process.pid));\nexport const b = window.location;\n',
      { filePath: 'src-main/common/x.ts' },
    );
    const refused = (result?.messages ?? [])
      .filter((m) => m.ruleId === 'no-restricted-globals')
      .map((m) => m.message);
    expect(refused).toHaveLength(3);
    const [elsewhere] = await eslint.lintText(
      'export const a = Buffer.from(String(process.pid));\n',
      {
        filePath: 'src-main/system/x.ts',
      },
    );
    expect((elsewhere?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-globals')).toEqual(
      [],
    );
  });
});
