import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TIMESTAMP_KEY } from '../../shared/domain.js';
import { __faultInjection } from '../util/atomic-write.js';
import { SYSTEM_CONFIG_FILE, SystemConfigStore, type ConfigEntry } from './config-store.js';

let dir: string;
let path: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'campanel-sysconfig-'));
  path = join(dir, SYSTEM_CONFIG_FILE);
});

afterEach(async () => {
  __faultInjection.beforeRename = null;
  await rm(dir, { recursive: true, force: true });
});

const entry = (value: string | null, type = '', desc = ''): ConfigEntry => ({ value, type, desc });
const onDisk = async (): Promise<{ format: string; version: number; entries: Record<string, ConfigEntry> }> =>
  JSON.parse(await readFile(path, 'utf8'));
const backups = async (): Promise<string[]> => (await readdir(dir)).filter((name) => name.startsWith(`${SYSTEM_CONFIG_FILE}.bak-`));

describe('SystemConfigStore', () => {
  it('starts empty without a file, and writes nothing until a change', async () => {
    const store = await SystemConfigStore.open(dir);
    expect(store.entries()).toEqual([]);
    expect(store.warnings).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('writes the whole state in its format, mode 0600, with __timestamp__ as an entry', async () => {
    const store = await SystemConfigStore.open(dir);
    const before = Date.now() / 1000;
    const result = await store.apply((draft) => {
      draft.set('a', entry('1', 'public', 'first'));
      draft.set('b', entry(null));
      return 'done';
    });
    expect(result).toBe('done');
    const file = await onDisk();
    expect(file.format).toBe('campanel-system-config');
    expect(file.version).toBe(1);
    expect(Object.keys(file.entries)).toEqual(['a', 'b', TIMESTAMP_KEY]);
    expect(file.entries.a).toEqual(entry('1', 'public', 'first'));
    expect(file.entries.b).toEqual(entry(null));
    const stamp = Number(file.entries[TIMESTAMP_KEY]?.value);
    expect(stamp).toBeGreaterThanOrEqual(before - 1);
    expect(stamp).toBeLessThanOrEqual(Date.now() / 1000 + 1);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual([SYSTEM_CONFIG_FILE]);
    // And it reads back after a restart.
    const reopened = await SystemConfigStore.open(dir);
    expect(reopened.entries()).toEqual(store.entries());
    expect(reopened.get('a')).toEqual(entry('1', 'public', 'first'));
  });

  it('bumps __timestamp__ on every write and delete, not on a change that touches nothing', async () => {
    const store = await SystemConfigStore.open(dir);
    await store.apply((draft) => draft.set('a', entry('1')));
    const first = store.get(TIMESTAMP_KEY)?.value;
    await new Promise((done) => setTimeout(done, 5));
    await store.apply((draft) => draft.delete('a'));
    const second = store.get(TIMESTAMP_KEY)?.value;
    expect(Number(second)).toBeGreaterThan(Number(first));
    const bytes = await readFile(path, 'utf8');
    expect(await store.apply((draft) => draft.delete('missing'))).toBe(false);
    expect(await store.apply((draft) => draft.get('x'))).toBeUndefined();
    expect(await readFile(path, 'utf8')).toBe(bytes);
    expect(store.get(TIMESTAMP_KEY)?.value).toBe(second);
  });

  it('re-creates __timestamp__ in the same write that deletes it', async () => {
    const store = await SystemConfigStore.open(dir);
    await store.apply((draft) => draft.set('a', entry('1')));
    expect(await store.apply((draft) => draft.delete(TIMESTAMP_KEY))).toBe(true);
    expect((await onDisk()).entries[TIMESTAMP_KEY]?.value).toMatch(/^\d+(\.\d+)?$/);
  });

  it('a change that throws writes nothing, and later changes still run', async () => {
    const store = await SystemConfigStore.open(dir);
    await store.apply((draft) => draft.set('a', entry('old')));
    const bytes = await readFile(path, 'utf8');
    await expect(
      store.apply((draft) => {
        draft.set('a', entry('new'));
        draft.set('b', entry('new'));
        throw new Error('refused halfway');
      }),
    ).rejects.toThrow('refused halfway');
    expect(await readFile(path, 'utf8')).toBe(bytes);
    expect(store.get('a')?.value).toBe('old');
    expect(store.get('b')).toBeUndefined();
    await store.apply((draft) => draft.set('b', entry('later')));
    expect((await onDisk()).entries.b?.value).toBe('later');
  });

  it('a fault before the rename leaves the old file and the state in memory as they were', async () => {
    const store = await SystemConfigStore.open(dir);
    await store.apply((draft) => draft.set('a', entry('old')));
    const bytes = await readFile(path, 'utf8');
    __faultInjection.beforeRename = () => {
      throw new Error('injected fault');
    };
    await expect(store.apply((draft) => draft.set('a', entry('new')))).rejects.toThrow('injected fault');
    __faultInjection.beforeRename = null;
    expect(await readFile(path, 'utf8')).toBe(bytes);
    expect(store.get('a')?.value).toBe('old');
    expect(await readdir(dir)).toEqual([SYSTEM_CONFIG_FILE]);
  });

  it('runs changes one at a time, in order, each on the state the previous one left', async () => {
    const store = await SystemConfigStore.open(dir);
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.apply(async (draft) => {
          const count = Number(draft.get('count')?.value ?? '0');
          await new Promise((done) => setTimeout(done, i % 3));
          draft.set('count', entry(String(count + 1)));
          order.push(i);
        }),
      ),
    );
    expect(store.get('count')?.value).toBe('20');
    expect((await onDisk()).entries.count?.value).toBe('20');
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('keeps keys such as __proto__ and constructor as plain keys', async () => {
    const store = await SystemConfigStore.open(dir);
    await store.apply((draft) => {
      draft.set('__proto__', entry('p'));
      draft.set('constructor', entry('c'));
    });
    const reopened = await SystemConfigStore.open(dir);
    expect(reopened.get('__proto__')).toEqual(entry('p'));
    expect(reopened.get('constructor')).toEqual(entry('c'));
    expect(reopened.get('toString')).toBeUndefined();
    expect(reopened.entries().map(([key]) => key)).toEqual(['__proto__', 'constructor', TIMESTAMP_KEY]);
  });

  it('tells listeners after each successful write only', async () => {
    const store = await SystemConfigStore.open(dir);
    let calls = 0;
    const stop = store.onChange(() => (calls += 1));
    store.onChange(() => {
      throw new Error('a broken listener');
    });
    await store.apply((draft) => draft.set('a', entry('1')));
    await store.apply(() => undefined);
    await store.apply(() => Promise.reject(new Error('no'))).catch(() => undefined);
    expect(calls).toBe(1);
    stop();
    await store.apply((draft) => draft.set('a', entry('2')));
    expect(calls).toBe(1);
  });

  describe('a damaged file', () => {
    const damaged: Array<[string, string, RegExp]> = [
      ['not JSON', '{"format": "campanel-system-config", "version": 1, "entries": {"a": ', /not valid JSON/],
      ['another format', JSON.stringify({ version: 1, users: [] }), /not a CamPanel system config file/],
      ['a newer version', JSON.stringify({ format: 'campanel-system-config', version: 2, entries: {} }), /version 2 is not supported/],
      ['no entries', JSON.stringify({ format: 'campanel-system-config', version: 1, entries: [] }), /no entries object/],
      ['a bad entry', JSON.stringify({ format: 'campanel-system-config', version: 1, entries: { a: { value: 1, type: '', desc: '' } } }), /entry "a" is not valid/],
      ['an entry with an extra field', JSON.stringify({ format: 'campanel-system-config', version: 1, entries: { a: { value: '1', type: '', desc: '', x: 1 } } }), /entry "a"/],
      ['empty', '', /not valid JSON/],
    ];
    it.each(damaged)('%s: copied aside byte for byte, the store starts empty with a warning', async (_name, content, reason) => {
      await writeFile(path, content, { mode: 0o600 });
      const store = await SystemConfigStore.open(dir);
      expect(store.entries()).toEqual([]);
      const [backup, ...more] = await backups();
      expect(more).toEqual([]);
      expect(backup).toMatch(/^system-config\.json\.bak-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z$/);
      expect(await readFile(join(dir, backup ?? ''), 'utf8')).toBe(content);
      expect(store.warnings[0]).toMatch(reason);
      expect(store.warnings[0]).toMatch(/starting with no entries/);
      expect(store.warnings[1]).toBe(`The unreadable file was kept as ${join(dir, backup ?? '')}`);
      // The file is replaced by an empty valid one, so the next start is clean and makes no second backup.
      expect((await onDisk()).entries).toEqual({});
      const again = await SystemConfigStore.open(dir);
      expect(again.warnings).toEqual([]);
      expect(await backups()).toHaveLength(1);
      await again.apply((draft) => draft.set('a', entry('1')));
      expect((await onDisk()).entries.a?.value).toBe('1');
    });

    it('never overwrites an earlier backup', async () => {
      await writeFile(path, 'first damage');
      await SystemConfigStore.open(dir);
      await writeFile(path, 'second damage');
      await SystemConfigStore.open(dir);
      await writeFile(path, 'third damage');
      await SystemConfigStore.open(dir);
      const contents = await Promise.all((await backups()).map((name) => readFile(join(dir, name), 'utf8')));
      expect(contents.sort()).toEqual(['first damage', 'second damage', 'third damage']);
    });

    it('a path that cannot be read is left alone: no backup, and writes are refused with the reason', async () => {
      await mkdir(path);
      await writeFile(join(path, 'inside'), 'x');
      const store = await SystemConfigStore.open(dir);
      expect(store.warnings).toEqual([`${SYSTEM_CONFIG_FILE} could not be read (EISDIR); starting with no entries`]);
      await expect(store.apply((draft) => draft.set('a', entry('1')))).rejects.toThrow(/cannot be saved: .*EISDIR.*not overwritten/);
      expect(await readdir(path)).toEqual(['inside']);
      expect(await backups()).toEqual([]);
    });
  });

  it("removes a killed writer's temp file at open", async () => {
    await writeFile(path, JSON.stringify({ format: 'campanel-system-config', version: 1, entries: {} }));
    const dead = await deadPid();
    const temp = `.${SYSTEM_CONFIG_FILE}.${dead.toString(16).padStart(8, '0')}0123456789abcdef.tmp`;
    await writeFile(join(dir, temp), 'half');
    await SystemConfigStore.open(dir);
    expect(await readdir(dir)).toEqual([SYSTEM_CONFIG_FILE]);
  });
});

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((done) => child.on('exit', done));
  if (child.pid === undefined) throw new Error('child did not start');
  return child.pid;
}

/*
 * kill -9 while writing: a child process writes in a loop and is killed at random moments. Each write sets
 * twenty keys to the same number, so a file holding a half-applied change would show two numbers.
 */
const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');

/** Compiles the store and what it imports to plain ESM in a temp dir, so a child `node` runs the current source. */
async function compileForChild(outDir: string): Promise<void> {
  const domainFiles = (await readdir(join(ROOT, 'shared/domain'))).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'));
  const sources = ['electron/system-config/config-store.ts', 'electron/util/atomic-write.ts', 'electron/util/backup-copy.ts', 'electron/core/errors.ts', 'shared/domain.ts', ...domainFiles.map((name) => `shared/domain/${name}`)];
  for (const source of sources) {
    const { outputText } = ts.transpileModule(await readFile(join(ROOT, source), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    const to = join(outDir, source.replace(/\.ts$/, '.js'));
    await mkdir(dirname(to), { recursive: true });
    await writeFile(to, outputText);
  }
  await writeFile(join(outDir, 'package.json'), '{"type": "module"}');
  // Bare imports (zod) resolve through the project's node_modules.
  await symlink(join(ROOT, 'node_modules'), join(outDir, 'node_modules'));
  await writeFile(
    join(outDir, 'child.js'),
    `import { __faultInjection } from './electron/util/atomic-write.js';
import { SystemConfigStore } from './electron/system-config/config-store.js';
const [dataDir, mode] = process.argv.slice(2);
const store = await SystemConfigStore.open(dataDir);
if (store.warnings.length > 0) throw new Error(store.warnings.join('; '));
let n = Number(store.get('counter')?.value ?? '0');
for (let writes = 0; ; writes++) {
  n += 1;
  if (mode === 'rename' && writes === 3) __faultInjection.beforeRename = () => process.kill(process.pid, 'SIGKILL');
  await store.apply((draft) => {
    for (let i = 0; i < 20; i++) draft.set('k' + i, { value: String(n), type: '', desc: 'x'.repeat((n * 37) % 500) });
    draft.set('counter', { value: String(n), type: 'int', desc: '' });
    if (n % 2 === 0) draft.delete('odd');
    else draft.set('odd', { value: String(n), type: '', desc: '' });
  });
  if (writes === 0) process.stdout.write('started\\n');
}
`,
  );
}

interface ChildRun {
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Runs the child until it has written once, then kills it after `delayMs` (or lets it kill itself). */
function runChild(codeDir: string, mode: 'random' | 'rename', delayMs: number): Promise<ChildRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(codeDir, 'child.js'), dir, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    const backstop = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      if (mode === 'random' && chunk.toString().includes('started')) timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.on('error', fail);
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      clearTimeout(backstop);
      done({ signal, stderr });
    });
  });
}

/** The file as a child left it: it must parse and hold one complete state. */
async function expectCompleteState(): Promise<number> {
  const file = await onDisk();
  expect(file.format).toBe('campanel-system-config');
  const counter = Number(file.entries.counter?.value);
  expect(counter).toBeGreaterThan(0);
  for (let i = 0; i < 20; i++) expect(file.entries[`k${i}`]).toEqual({ value: String(counter), type: '', desc: 'x'.repeat((counter * 37) % 500) });
  expect(file.entries.odd?.value).toBe(counter % 2 === 1 ? String(counter) : undefined);
  expect(file.entries[TIMESTAMP_KEY]?.value).toMatch(/^\d+(\.\d+)?$/);
  return counter;
}

describe('kill -9 while writing', () => {
  it('leaves a file that always parses and holds a complete state', async () => {
    const codeDir = await mkdtemp(join(tmpdir(), 'campanel-sysconfig-code-'));
    try {
      await compileForChild(codeDir);
      let last = 0;
      for (let round = 0; round < 6; round++) {
        const run = await runChild(codeDir, 'random', Math.floor(Math.random() * 60));
        expect(run).toEqual({ signal: 'SIGKILL', stderr: '' });
        const counter = await expectCompleteState();
        expect(counter).toBeGreaterThan(last); // each child wrote at least once, continuing from the last state
        last = counter;
        // The next start reads it without a warning and clears any temp file the kill left.
        const store = await SystemConfigStore.open(dir);
        expect(store.warnings).toEqual([]);
        expect(store.get('counter')?.value).toBe(String(counter));
        expect(await readdir(dir)).toEqual([SYSTEM_CONFIG_FILE]);
      }

      // Killed exactly between writing the temp file and the rename: the previous state stays.
      const run = await runChild(codeDir, 'rename', 0);
      expect(run).toEqual({ signal: 'SIGKILL', stderr: '' });
      expect(await expectCompleteState()).toBe(last + 3);
      expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toHaveLength(1);
    } finally {
      await rm(codeDir, { recursive: true, force: true });
    }
  }, 60_000);
});
