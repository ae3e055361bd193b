import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { __faultInjection, writeFileAtomic } from './atomic-write.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'campanel-atomic-'));
});

afterEach(async () => {
  __faultInjection.beforeRename = null;
  await rm(dir, { recursive: true, force: true });
});

const modeOf = async (path: string): Promise<number> => (await stat(path)).mode & 0o777;

describe('writeFileAtomic', () => {
  it('creates a new file with exactly the given mode and leaves no temp file', async () => {
    const target = join(dir, 'new.json');
    await writeFileAtomic(target, '{"a": 1}', { mode: 0o600 });
    expect(await readFile(target, 'utf8')).toBe('{"a": 1}');
    expect(await modeOf(target)).toBe(0o600);
    expect(await readdir(dir)).toEqual(['new.json']);
  });

  it('replaces an existing file and narrows its mode', async () => {
    const target = join(dir, 'existing');
    await writeFile(target, 'old content that is longer than the new one', { mode: 0o644 });
    await writeFileAtomic(target, 'new', { mode: 0o600 });
    expect(await readFile(target, 'utf8')).toBe('new');
    expect(await modeOf(target)).toBe(0o600);
    expect(await readdir(dir)).toEqual(['existing']);
  });

  it('writes UTF-8', async () => {
    const target = join(dir, 'utf8');
    await writeFileAtomic(target, 'grüße ✓', { mode: 0o600 });
    expect(await readFile(target, 'utf8')).toBe('grüße ✓');
  });

  it('removes the temp file and rethrows when the rename fails', async () => {
    const target = join(dir, 'a-directory');
    await mkdir(target);
    await expect(writeFileAtomic(target, 'x', { mode: 0o600 })).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['a-directory']);
  });

  it('removes the temp file and keeps the old file when a fault hits before the rename', async () => {
    const target = join(dir, 'kept');
    await writeFile(target, 'old', { mode: 0o600 });
    __faultInjection.beforeRename = () => {
      throw new Error('injected fault');
    };
    await expect(writeFileAtomic(target, 'new', { mode: 0o600 })).rejects.toThrow('injected fault');
    expect(await readFile(target, 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['kept']);
  });

  it('fails cleanly when the directory does not exist', async () => {
    await expect(writeFileAtomic(join(dir, 'missing', 'f'), 'x', { mode: 0o600 })).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
