// The Electron main process starts with the console's V8 flags (build/scripts/node-flags.mjs), as
// the Node process does: it takes them from its command line only, so every launcher carries
// them. Why not v8.setFlagsFromString early in main: the first test shows it changes nothing.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ELECTRON_FLAGS, NODE_FLAGS } from '../../../build/scripts/node-flags.mjs';
import { electronArgs } from '../../../src-main/cli/commands/serve';
import { packageRoot } from '../../../src-main/cli/app-paths';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const exec = promisify(execFile);

/** The young generation's size after a steady stream of short-lived objects, in MB. */
const NEW_SPACE_PROBE = `
const v8 = require('node:v8');
if (process.argv[1] === 'late') v8.setFlagsFromString(process.argv[2]);
const keep = [];
for (let i = 0; i < 2e6; i++) {
  const o = { i, s: 'x' + i, a: [i] };
  if (i % 50 === 0) keep.push(o);
  if (keep.length > 5000) keep.splice(0, 2500);
}
const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
console.log(space.space_size / 1048576);
`;

async function newSpaceMb(args: string[]): Promise<number> {
  const { stdout } = await exec(process.execPath, args, { timeout: 60_000 });
  return Number(stdout.trim());
}

describe("the Electron main process's V8 flags", () => {
  it('must be on the command line: v8.setFlagsFromString once V8 runs does not size the heap', async () => {
    const flag = NODE_FLAGS.find((f) => f.startsWith('--max-semi-space-size='))!;
    const limit = 2 * Number(flag.split('=')[1]);
    const onCommandLine = await newSpaceMb([flag, '-e', NEW_SPACE_PROBE]);
    const setLate = await newSpaceMb(['-e', NEW_SPACE_PROBE, 'late', flag]);
    expect(onCommandLine).toBeLessThanOrEqual(limit);
    expect(setLate).toBeGreaterThan(limit);
  });

  it('are one --js-flags switch carrying the Node flags', () => {
    expect(ELECTRON_FLAGS).toEqual([`--js-flags=${NODE_FLAGS.join(' ')}`]);
  });

  it('are in the Linux desktop entry (electron-builder linux.executableArgs)', () => {
    const config = parse(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8'));
    expect(config.linux.executableArgs).toEqual(ELECTRON_FLAGS);
  });

  it('are in both Windows shortcuts the installer makes (build/installer.nsh)', () => {
    const config = parse(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8'));
    expect(config.nsis.include).toBe('build/installer.nsh');
    const script = readFileSync(path.join(root, config.nsis.include), 'utf8');
    expect(script).toContain(`!define CASHIER_ELECTRON_FLAGS "${ELECTRON_FLAGS.join(' ')}"`);
    const customInstall = /!macro customInstall([\s\S]*?)!macroend/.exec(script)?.[1] ?? '';
    for (const link of ['$newStartMenuLink', '$newDesktopLink']) {
      expect(customInstall).toContain(
        `CreateShortCut "${link}" "$appExe" "\${CASHIER_ELECTRON_FLAGS}"`,
      );
      // Windows groups the window under the app's id only with this on the new shortcut.
      expect(customInstall).toContain(`WinShell::SetLnkAUMI "${link}" "\${APP_ID}"`);
    }
  });

  it('are passed by `cashier start` (npm start) to the Electron runtime, before the app', () => {
    expect(electronArgs({ port: '4000', 'data-dir': undefined })).toEqual([
      ...ELECTRON_FLAGS,
      packageRoot(),
      '--port',
      '4000',
    ]);
  });
});
