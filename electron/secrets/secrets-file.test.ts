import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureSecretsFile, expandPath, inspectSecretsFile, rotateSecretsKey, type SecretsResult } from './secrets-file.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'campanel-secrets-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const GOOD_KEY = 'k2XoQ3b7yN1vT9cJ4rW8eZ5uA0sD6fG2hL7mP3qR1tY'; // 43 chars, as secrets.token_urlsafe() makes
const keyIdOf = (key: string): string => createHash('sha256').update(key).digest('hex').slice(0, 16);
const modeOf = async (path: string): Promise<number> => (await stat(path)).mode & 0o777;

async function put(name: string, content: string, mode = 0o600): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  await chmod(path, mode);
  return path;
}

async function snapshot(path: string): Promise<{ bytes: string; mode: number }> {
  return { bytes: (await readFile(path)).toString('hex'), mode: await modeOf(path) };
}

function expectOk(result: SecretsResult): Extract<SecretsResult, { ok: true }> {
  if (!result.ok) throw new Error(`expected ok, got: ${result.message}`);
  return result;
}

function expectRefused(result: SecretsResult, pattern: RegExp | string): string {
  if (result.ok) throw new Error('expected a refusal');
  expect(result.message).toMatch(pattern);
  return result.message;
}

const functions = { inspectSecretsFile, ensureSecretsFile, rotateSecretsKey };

describe('path handling', () => {
  it.each(['', '   '])('blank path %j is reported, nothing else', async (path) => {
    for (const check of Object.values(functions)) {
      expect(await check(path)).toEqual({ ok: false, resolvedPath: null, message: 'No JWT Secret Key File Path specified', problem: 'unusable' });
    }
  });

  it.each(['secrets.json', './x', '~other/x', '..'])('relative path %j is refused', async (path) => {
    for (const check of Object.values(functions)) {
      const result = await check(path);
      expect(result).toEqual({
        ok: false,
        resolvedPath: null,
        message: 'JWT Secret Key File Path must be an absolute path or start with ~',
        problem: 'unusable',
      });
    }
  });

  it('expandPath expands ~ and ~/… with the given home and normalises', () => {
    expect(expandPath('~', '/home/pi')).toBe('/home/pi');
    expect(expandPath('~/.secrets/campanel.secrets', '/home/pi')).toBe('/home/pi/.secrets/campanel.secrets');
    expect(expandPath('/etc/../srv//x', '/home/pi')).toBe('/srv/x');
    expect(() => expandPath('x/y', '/home/pi')).toThrow('absolute path or start with ~');
  });

  it('ensureSecretsFile expands ~ against the home directory', async () => {
    const savedHome = process.env['HOME'];
    process.env['HOME'] = dir; // os.homedir() reads HOME on POSIX
    try {
      const result = expectOk(await ensureSecretsFile('~/.secrets/campanel.secrets'));
      expect(result.resolvedPath).toBe(join(dir, '.secrets', 'campanel.secrets'));
      expect(await modeOf(join(dir, '.secrets'))).toBe(0o700);
    } finally {
      if (savedHome === undefined) delete process.env['HOME'];
      else process.env['HOME'] = savedHome;
    }
  });
});

describe('creating the file', () => {
  it('creates missing directories 0700 and the file 0600 with a new 32-byte key in raspiCamSrv layout', async () => {
    await chmod(dir, 0o755);
    const path = join(dir, 'a', 'b', 'campanel.secrets');
    const result = expectOk(await ensureSecretsFile(path));
    expect(result.generated).toBe(true);
    expect(result.resolvedPath).toBe(path);
    expect(result.key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(result.key, 'base64url')).toHaveLength(32);
    expect(result.keyId).toBe(keyIdOf(result.key));
    expect(await readFile(path, 'utf8')).toBe(`{\n    "jwtSecrets": {\n        "jwtSecretKey": "${result.key}"\n    }\n}`);
    expect(await modeOf(path)).toBe(0o600);
    expect(await modeOf(join(dir, 'a'))).toBe(0o700);
    expect(await modeOf(join(dir, 'a', 'b'))).toBe(0o700);
    expect(await modeOf(dir)).toBe(0o755); // existing directories are not touched
    expect(await readdir(join(dir, 'a', 'b'))).toEqual(['campanel.secrets']);
  });

  it('a second ensure reads the same key and leaves the file as it is', async () => {
    const path = join(dir, 'campanel.secrets');
    const first = expectOk(await ensureSecretsFile(path));
    const before = await snapshot(path);
    const second = expectOk(await ensureSecretsFile(path));
    expect(second).toEqual({ ...first, generated: false });
    expect(await snapshot(path)).toEqual(before);
  });

  it.each([
    ['0 bytes', ''],
    ['whitespace only', '  \n\t\n'],
  ])('an empty existing file (%s) is accepted as {}', async (_label, content) => {
    const path = await put('empty.secrets', content);
    const result = expectOk(await ensureSecretsFile(path));
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ jwtSecrets: { jwtSecretKey: result.key } });
    expect(await modeOf(path)).toBe(0o600);
  });

  it('an empty key string counts as missing', async () => {
    const path = await put('s', JSON.stringify({ jwtSecrets: { jwtSecretKey: '' } }));
    expect(expectOk(await ensureSecretsFile(path)).generated).toBe(true);
  });
});

describe('inspectSecretsFile never writes', () => {
  it('reports a missing file as missing and creates nothing', async () => {
    const path = join(dir, 'sub', 'campanel.secrets');
    expect(await inspectSecretsFile(path)).toEqual({ ok: false, resolvedPath: path, message: `secrets file missing: ${path}`, problem: 'missing' });
    expect(await readdir(dir)).toEqual([]);
  });

  it('reports a file without a key and leaves it as it is', async () => {
    const path = await put('s', '{"eventnotification": {"host": "mail"}}');
    const before = await snapshot(path);
    expect(await inspectSecretsFile(path)).toMatchObject({ message: `secrets file holds no JWT key: ${path}`, problem: 'noKey' });
    expect(await snapshot(path)).toEqual(before);
  });

  it('returns an existing key', async () => {
    const path = await put('s', JSON.stringify({ jwtSecrets: { jwtSecretKey: GOOD_KEY } }));
    expect(await inspectSecretsFile(path)).toEqual({ ok: true, resolvedPath: path, key: GOOD_KEY, keyId: keyIdOf(GOOD_KEY), generated: false });
  });
});

describe('refusals leave the file untouched, byte for byte', () => {
  const keyFile = JSON.stringify({ jwtSecrets: { jwtSecretKey: GOOD_KEY } });
  const cases: Array<[string, string, RegExp, number?]> = [
    // Not in the home directory: no advice to change a file that may belong to someone else.
    ['mode 0644', keyFile, /is accessible by group or others \(mode 0644\), so it cannot hold a secret key; choose a file only you can read/, 0o644],
    ['mode 0640', keyFile, /\(mode 0640\)/, 0o640],
    ['mode 0604', keyFile, /\(mode 0604\)/, 0o604],
    ['mode 0620', keyFile, /\(mode 0620\)/, 0o620],
    ['invalid JSON', `{"jwtSecrets": {"jwtSecretKey": "${GOOD_KEY}"`, /does not contain a JSON object \(it is not valid JSON\)$/],
    ['JSON array', '[1, 2]', /does not contain a JSON object$/],
    ['JSON string', '"text"', /does not contain a JSON object$/],
    ['JSON number', '42', /does not contain a JSON object$/],
    ['JSON null', 'null', /does not contain a JSON object$/],
    ['jwtSecrets a string', '{"jwtSecrets": "x"}', /"jwtSecrets" section that is not a JSON object$/],
    ['jwtSecrets an array', '{"jwtSecrets": []}', /"jwtSecrets" section that is not a JSON object$/],
    ['jwtSecrets null', '{"jwtSecrets": null}', /"jwtSecrets" section that is not a JSON object$/],
    ['key a number', '{"jwtSecrets": {"jwtSecretKey": 12345}}', /"jwtSecretKey" that is not a string$/],
    ['key null', '{"jwtSecrets": {"jwtSecretKey": null}}', /"jwtSecretKey" that is not a string$/],
    ['key an object', '{"jwtSecrets": {"jwtSecretKey": {"k": "v"}}}', /"jwtSecretKey" that is not a string$/],
  ];

  it.each(cases)('%s is refused by inspect, ensure and rotate', async (_label, content, pattern, mode) => {
    const path = await put('s', content, mode);
    const before = await snapshot(path);
    for (const check of Object.values(functions)) {
      const message = expectRefused(await check(path), pattern);
      expect(message).not.toContain(GOOD_KEY);
      expect(await snapshot(path)).toEqual(before);
    }
    expect(await readdir(dir)).toEqual(['s']);
  });

  it('a directory is refused', async () => {
    const path = join(dir, 'adir');
    await mkdir(path, { mode: 0o700 });
    for (const check of Object.values(functions)) {
      expectRefused(await check(path), `${path} is a directory, not a file`);
      expect(await readdir(path)).toEqual([]);
    }
  });

  it('a symbolic link is refused, and neither the link nor its target changes', async () => {
    const real = await put('real', keyFile);
    const link = join(dir, 'link');
    await symlink(real, link);
    const before = await snapshot(real);
    for (const check of Object.values(functions)) {
      expectRefused(await check(link), `${link} is a symbolic link; give the real file's path`);
      expect((await lstat(link)).isSymbolicLink()).toBe(true);
      expect(await snapshot(real)).toEqual(before);
    }
  });

  it('a parent path component that is a file gives a clear error', async () => {
    const blocker = await put('plainfile', 'not a directory', 0o644);
    const before = await snapshot(blocker);
    for (const check of Object.values(functions)) {
      expectRefused(await check(join(blocker, 'sub', 'campanel.secrets')), `${blocker} is a file, not a directory`);
      expect(await snapshot(blocker)).toEqual(before);
    }
  });

  it.each([
    ['5 ASCII bytes', 'Xq7#z'],
    ['31 ASCII bytes', 'a'.repeat(31)],
    ['31 UTF-8 bytes in 16 characters', `${'é'.repeat(15)}a`],
  ])('a key shorter than 32 bytes (%s) is refused by inspect and ensure', async (_label, key) => {
    const path = await put('s', JSON.stringify({ jwtSecrets: { jwtSecretKey: key } }, null, 4));
    const before = await snapshot(path);
    for (const check of [inspectSecretsFile, ensureSecretsFile]) {
      const message = expectRefused(
        await check(path),
        `${path} holds a JWT secret key shorter than 32 bytes; it is refused. Create a new key to replace it`,
      );
      expect(message).not.toContain(key);
      expect(await snapshot(path)).toEqual(before);
    }
  });

  it('a 32-byte key in 16 two-byte characters is long enough', async () => {
    const key = 'é'.repeat(16);
    const path = await put('s', JSON.stringify({ jwtSecrets: { jwtSecretKey: key } }));
    expect(expectOk(await inspectSecretsFile(path)).key).toBe(key);
  });
});

describe('existing files and sections', () => {
  // Byte for byte what raspiCamSrv's json.dump(indent=4) leaves: ASCII escapes, no trailing newline.
  const raspiCamSrvFile = [
    '{',
    '    "eventnotification": {',
    '        "host": "smtp.example.org",',
    '        "port": 465,',
    '        "useSSL": true,',
    '        "authentication": true,',
    '        "user": "cam@example.org",',
    '        "password": "p\\u00e4ss"',
    '    },',
    '    "jwtSecrets": {',
    `        "jwtSecretKey": "${GOOD_KEY}"`,
    '    }',
    '}',
  ].join('\n');

  it('an existing raspiCamSrv file is used as is: key verbatim, file unchanged', async () => {
    const path = await put('raspiCamSrv.secrets', raspiCamSrvFile);
    const before = await snapshot(path);
    for (const check of [inspectSecretsFile, ensureSecretsFile]) {
      expect(await check(path)).toEqual({ ok: true, resolvedPath: path, key: GOOD_KEY, keyId: keyIdOf(GOOD_KEY), generated: false });
      expect(await snapshot(path)).toEqual(before);
    }
  });

  it('generating a key keeps every other section and key, value for value and in order', async () => {
    const original = {
      eventnotification: { host: 'smtp.example.org', port: 465, useSSL: true, user: 'u', password: 'pä"ss' },
      jwtSecrets: { before: 1, jwtSecretKey: '', after: [1, { a: null }] },
      custom: { nested: { deep: [true, false, 0.5, 'ü'] } },
    };
    const path = await put('s', JSON.stringify(original));
    const result = expectOk(await ensureSecretsFile(path));
    const expected = { ...original, jwtSecrets: { ...original.jwtSecrets, jwtSecretKey: result.key } };
    const written = await readFile(path, 'utf8');
    expect(written).toBe(JSON.stringify(expected, null, 4));
    expect(Object.keys(JSON.parse(written) as object)).toEqual(['eventnotification', 'jwtSecrets', 'custom']);
    expect(await modeOf(path)).toBe(0o600);
  });

  it('a file without jwtSecrets gets the section added after the others', async () => {
    const path = await put('s', '{"eventnotification": {"host": "h"}}');
    const result = expectOk(await ensureSecretsFile(path));
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ eventnotification: { host: 'h' }, jwtSecrets: { jwtSecretKey: result.key } });
  });
});

describe('rotateSecretsKey', () => {
  it('writes a new key atomically, keeps the sections and the mode', async () => {
    const path = await put('raspiCamSrv.secrets', JSON.stringify({ eventnotification: { host: 'h', port: 465 }, jwtSecrets: { jwtSecretKey: GOOD_KEY, x: 'y' } }));
    const result = expectOk(await rotateSecretsKey(path));
    expect(result.generated).toBe(true);
    expect(result.key).not.toBe(GOOD_KEY);
    expect(result.keyId).toBe(keyIdOf(result.key));
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ eventnotification: { host: 'h', port: 465 }, jwtSecrets: { jwtSecretKey: result.key, x: 'y' } });
    expect(await modeOf(path)).toBe(0o600);
    expect(await readdir(dir)).toEqual(['raspiCamSrv.secrets']);
    expect(expectOk(await inspectSecretsFile(path)).key).toBe(result.key);
  });

  it('replaces a key that is too short (as the refusal message suggests)', async () => {
    const path = await put('s', JSON.stringify({ jwtSecrets: { jwtSecretKey: 'short' } }));
    const result = expectOk(await rotateSecretsKey(path));
    expect(expectOk(await inspectSecretsFile(path)).key).toBe(result.key);
  });

  it('creates a missing file like ensureSecretsFile', async () => {
    const path = join(dir, 'new', 's');
    expectOk(await rotateSecretsKey(path));
    expect(await modeOf(path)).toBe(0o600);
    expect(await modeOf(join(dir, 'new'))).toBe(0o700);
  });
});

/** Compiles the modules under test to plain ESM in a temp dir, so a child `node` can run the current source. */
async function compileForChild(outDir: string): Promise<void> {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const [from, to] of [
    [join(here, 'secrets-file.ts'), join(outDir, 'secrets', 'secrets-file.js')],
    [join(here, 'secrets-location.ts'), join(outDir, 'secrets', 'secrets-location.js')],
    [join(here, 'secrets-document.ts'), join(outDir, 'secrets', 'secrets-document.js')],
    [join(here, 'secrets-protection.ts'), join(outDir, 'secrets', 'secrets-protection.js')],
    [resolve(here, '../util/atomic-write.ts'), join(outDir, 'util', 'atomic-write.js')],
    // secrets-file.js imports ../../shared/api-status.js, one level above the mirrored electron/ tree.
    [resolve(here, '../../shared/api-status.ts'), join(outDir, '..', 'shared', 'api-status.js')],
  ] as const) {
    const { outputText } = ts.transpileModule(await readFile(from, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    await mkdir(dirname(to), { recursive: true });
    await writeFile(to, outputText);
  }
  // Bare imports (zod) resolve through the project's node_modules.
  await symlink(resolve(here, '../../node_modules'), join(outDir, 'node_modules'));
  await writeFile(
    join(outDir, 'child.mjs'),
    [
      "import { __faultInjection } from './util/atomic-write.js';",
      "import { rotateSecretsKey } from './secrets/secrets-file.js';",
      "__faultInjection.beforeRename = () => process.kill(process.pid, 'SIGKILL');",
      'await rotateSecretsKey(process.argv[2]);',
      'process.exit(3); // not reached: the seam kills the process first',
    ].join('\n'),
  );
}

describe('fault injection', () => {
  it('a writer killed between write and rename leaves the old file intact and usable', async () => {
    const code = join(dir, 'code');
    await compileForChild(code);
    const secretsDir = join(dir, 'secrets');
    await mkdir(secretsDir, { mode: 0o700 });
    const original = JSON.stringify({ eventnotification: { host: 'h' }, jwtSecrets: { jwtSecretKey: GOOD_KEY } }, null, 4);
    const path = join(secretsDir, 'campanel.secrets');
    await writeFile(path, original, { mode: 0o600 });

    const child = spawn(process.execPath, [join(code, 'child.mjs'), path], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
      child.on('exit', (exitCode, signal) => done({ code: exitCode, signal })),
    );
    expect({ ...exit, stderr }).toEqual({ code: null, signal: 'SIGKILL', stderr: '' });

    // The old file: same bytes, still parses, still holds the old key.
    expect(await readFile(path, 'utf8')).toBe(original);
    expect(await inspectSecretsFile(path)).toMatchObject({ ok: true, key: GOOD_KEY });
    // The killed writer's temp file is left over (the kill gave it no chance to clean up), but it is not the target.
    const leftovers = (await readdir(secretsDir)).filter((name) => name !== 'campanel.secrets');
    expect(leftovers).toHaveLength(1);
    expect(leftovers[0]).toMatch(/^\.campanel\.secrets\.[0-9a-f]+\.tmp$/);

    // Later writes are not disturbed by it.
    expect(await ensureSecretsFile(path)).toMatchObject({ ok: true, key: GOOD_KEY, generated: false });
    const rotated = expectOk(await rotateSecretsKey(path));
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ eventnotification: { host: 'h' }, jwtSecrets: { jwtSecretKey: rotated.key } });
  });
});
