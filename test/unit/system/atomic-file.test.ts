import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PRIVATE_FILE_MODE, writeFileAtomic, writeFileAtomicSync } from '../../../src-main/system';

const POSIX = process.platform !== 'win32';
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'cashier-atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('atomic file writes', () => {
  it('writes text, bytes and produced chunks, private by default', async () => {
    const file = path.join(dir, 'a.json');
    expect(await writeFileAtomic(file, '{"a":1}')).toEqual({ written: true, bytes: 7 });
    expect(await readFile(file, 'utf8')).toBe('{"a":1}');
    expect(writeFileAtomicSync(file, Buffer.from('中文'))).toEqual({ written: true, bytes: 6 });
    expect(await readFile(file, 'utf8')).toBe('中文');
    const result = await writeFileAtomic(file, async (write) => {
      await write('one,');
      await write(Buffer.from('two'));
    });
    expect(result).toEqual({ written: true, bytes: 7 });
    expect(await readFile(file, 'utf8')).toBe('one,two');
    if (POSIX) expect((await stat(file)).mode & 0o777).toBe(PRIVATE_FILE_MODE);
    expect(await readdir(dir)).toEqual(['a.json']);
  });

  it('gives a new file the mode asked for (less the umask)', async () => {
    if (!POSIX) return;
    const file = path.join(dir, 'report.csv');
    await writeFileAtomic(file, 'x', { mode: 0o640 });
    expect((await stat(file)).mode & 0o777).toBe(0o640 & ~process.umask());
  });

  it('leaves an existing file alone when asked not to overwrite', async () => {
    const file = path.join(dir, 'marker.json');
    await writeFile(file, 'first');
    expect(await writeFileAtomic(file, 'second', { overwrite: false })).toEqual({
      written: false,
      bytes: 0,
    });
    expect(writeFileAtomicSync(file, 'third', { overwrite: false }).written).toBe(false);
    expect(await readFile(file, 'utf8')).toBe('first');
    expect(await readdir(dir)).toEqual(['marker.json']);
  });

  it('keeps the old content and no temporary file when writing fails', async () => {
    const file = path.join(dir, 'config.json');
    await writeFile(file, 'old');
    await expect(
      writeFileAtomic(file, async (write) => {
        await write('half of it');
        throw new Error('producer failed');
      }),
    ).rejects.toThrow('producer failed');
    expect(await readFile(file, 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['config.json']);
  });

  it('fails without a trace when the folder is missing', async () => {
    const file = path.join(dir, 'missing', 'x.json');
    await expect(writeFileAtomic(file, 'x')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(() => writeFileAtomicSync(file, 'x')).toThrow(
      expect.objectContaining({ code: 'ENOENT' }),
    );
    expect(await readdir(dir)).toEqual([]);
  });
});
