import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { __faultInjection, isAtomicWriteTemp, removeAbandonedTempFiles, writeFileAtomic } from './atomic-write.js';

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

/** The pid of a process that has already exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((done) => child.on('exit', done));
  if (child.pid === undefined) throw new Error('child did not start');
  return child.pid;
}

const pidHex = (pid: number): string => pid.toString(16).padStart(8, '0');

/** Runs writeFileAtomic in a child `node` that SIGKILLs itself between writing the temp file and renaming it. */
async function killedMidWrite(target: string): Promise<void> {
  const here = dirname(fileURLToPath(import.meta.url));
  const code = join(dir, 'code');
  await mkdir(code);
  const { outputText } = ts.transpileModule(await readFile(join(here, 'atomic-write.ts'), 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  await writeFile(join(code, 'atomic-write.js'), outputText);
  await symlink(resolve(here, '../../node_modules'), join(code, 'node_modules'));
  await writeFile(
    join(code, 'child.mjs'),
    [
      "import { __faultInjection, writeFileAtomic } from './atomic-write.js';",
      "__faultInjection.beforeRename = () => process.kill(process.pid, 'SIGKILL');",
      "await writeFileAtomic(process.argv[2], 'new', { mode: 0o600 });",
    ].join('\n'),
  );
  const child = spawn(process.execPath, [join(code, 'child.mjs'), target], { stdio: 'ignore' });
  const signal = await new Promise((done) => child.on('exit', (_code, received) => done(received)));
  expect(signal).toBe('SIGKILL');
}

describe('removeAbandonedTempFiles', () => {
  it('removes the temp file of a writer killed between write and rename; the target keeps its old content', async () => {
    const secretsDir = join(dir, 'secrets');
    await mkdir(secretsDir);
    const target = join(secretsDir, 'campanel.secrets');
    await writeFile(target, 'old', { mode: 0o600 });
    await killedMidWrite(target);
    const [leftover, ...more] = (await readdir(secretsDir)).filter((name) => name !== 'campanel.secrets');
    expect(more).toEqual([]);
    expect(leftover && isAtomicWriteTemp(leftover)).toBe(true);

    expect(await removeAbandonedTempFiles(target)).toEqual([leftover]);
    expect(await readdir(secretsDir)).toEqual(['campanel.secrets']);
    expect(await readFile(target, 'utf8')).toBe('old');
  });

  it("keeps a running writer's temp file, another target's, and anything not named like one", async () => {
    const target = join(dir, 'campanel.secrets');
    const dead = `.campanel.secrets.${pidHex(await deadPid())}0123456789abcdef.tmp`;
    const kept = [
      `.campanel.secrets.${pidHex(process.pid)}0123456789abcdef.tmp`, // this process: may be mid-write
      `.campanel.secrets.${pidHex(process.ppid)}0123456789abcdef.tmp`, // a running process
      `.other.secrets.${pidHex(await deadPid())}0123456789abcdef.tmp`, // beside another file
      '.campanel.secrets.0123456789abcdef.tmp', // an older version's, but recent
      'campanel.secrets.tmp',
      '.campanel.secrets.notours.tmp',
    ];
    for (const name of [dead, ...kept]) await writeFile(join(dir, name), 'x');
    expect(await removeAbandonedTempFiles(target)).toEqual([dead]);
    expect((await readdir(dir)).sort()).toEqual([...kept].sort());
  });

  it("removes an older version's temp file (no pid in its name) once it is older than a write could take", async () => {
    const old = join(dir, '.users.json.0123456789abcdef.tmp');
    await writeFile(old, 'x');
    const anHourAgo = new Date(Date.now() - 3_600_000);
    await utimes(old, anHourAgo, anHourAgo);
    expect(await removeAbandonedTempFiles(join(dir, 'users.json'))).toEqual(['.users.json.0123456789abcdef.tmp']);
  });

  it('a missing directory removes nothing', async () => {
    expect(await removeAbandonedTempFiles(join(dir, 'missing', 'campanel.secrets'))).toEqual([]);
  });
});
