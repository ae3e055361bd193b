import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import ts from 'typescript';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeLogger, createLogger } from './logger.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'campanel-logger-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readLogLines(dataDir: string): Promise<Array<Record<string, unknown>>> {
  const logsDir = join(dataDir, 'logs');
  const files = (await readdir(logsDir)).filter((name) => name.endsWith('.log'));
  const text = (await Promise.all(files.map((name) => readFile(join(logsDir, name), 'utf8')))).join('');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const SECRET = 'S3CRET-VALUE-never-logged';

describe('createLogger', () => {
  it('writes structured JSON lines to <dataDir>/logs and flushes them on close', async () => {
    const logger = createLogger({ dataDir: dir, stdout: false });
    logger.info({ user: 'pi' }, 'first');
    logger.child({ part: 'api' }).warn('second');
    logger.debug('below the default level');
    await closeLogger(logger);
    const lines = await readLogLines(dir);
    expect(lines.map((line) => [line['msg'], line['level']])).toEqual([
      ['first', 30],
      ['second', 40],
    ]);
    expect(lines[0]).toMatchObject({ user: 'pi', pid: process.pid });
    expect(lines[1]).toMatchObject({ part: 'api' });
    expect((await stat(join(dir, 'logs'))).mode & 0o777).toBe(0o700);
    expect(await readdir(join(dir, 'logs'))).toEqual(['campanel.1.log']);
  });

  it('log files, rotated ones included, are 0600; a file an older version left 0644 is narrowed', async () => {
    const logsDir = join(dir, 'logs');
    await mkdir(logsDir, { recursive: true });
    await writeFile(join(logsDir, 'campanel.1.log'), '', { mode: 0o644 });
    await writeFile(join(logsDir, 'other.txt'), '', { mode: 0o644 });
    const logger = createLogger({ dataDir: dir, stdout: false, fileSize: '1k' });
    // Lines logged before the transport's worker thread runs all arrive in one write: wait for it to run,
    // then log in bursts with pauses between, so it writes (and rotates) several times.
    logger.info('first');
    for (let waited = 0; (await stat(join(logsDir, 'campanel.1.log'))).size === 0 && waited < 5000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    for (let burst = 0; burst < 6; burst++) {
      for (let line = 0; line < 15; line++) logger.info({ burst, line, padding: 'x'.repeat(40) }, 'filling the file');
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    await closeLogger(logger);
    const logs = (await readdir(logsDir)).filter((name) => name.endsWith('.log'));
    expect(logs.length).toBeGreaterThan(2);
    for (const name of logs) expect([name, (await stat(join(logsDir, name))).mode & 0o777]).toEqual([name, 0o600]);
    // Not a log file of ours: left as it is.
    expect((await stat(join(logsDir, 'other.txt'))).mode & 0o777).toBe(0o644);
  });

  it('honours the level option', async () => {
    const logger = createLogger({ dataDir: dir, stdout: false, level: 'debug' });
    logger.debug('now visible');
    await closeLogger(logger);
    expect((await readLogLines(dir)).map((line) => line['msg'])).toEqual(['now visible']);
  });

  it('redacts secret fields at the top level, one and two levels deep, and in request headers', async () => {
    const logger = createLogger({ dataDir: dir, stdout: false });
    logger.info(
      {
        password: SECRET,
        token: SECRET,
        key: SECRET,
        access_token: SECRET,
        body: { newPassword: SECRET, currentPassword: SECRET, refresh_token: SECRET, user: 'pi' },
        secrets: { jwtSecrets: { jwtSecretKey: SECRET }, nested: { secret: SECRET, cookie: SECRET } },
        req: { headers: { authorization: `Bearer ${SECRET}`, cookie: `s=${SECRET}`, host: 'cam' } },
      },
      'request',
    );
    await closeLogger(logger);
    const raw = await readFile(join(dir, 'logs', 'campanel.1.log'), 'utf8');
    expect(raw).not.toContain(SECRET);
    const [line] = await readLogLines(dir);
    expect(line).toMatchObject({
      password: '[redacted]',
      token: '[redacted]',
      key: '[redacted]',
      access_token: '[redacted]',
      body: { newPassword: '[redacted]', currentPassword: '[redacted]', refresh_token: '[redacted]', user: 'pi' },
      secrets: { jwtSecrets: { jwtSecretKey: '[redacted]' }, nested: { secret: '[redacted]', cookie: '[redacted]' } },
      req: { headers: { authorization: '[redacted]', cookie: '[redacted]', host: 'cam' } },
    });
  });

  it('closing twice, or closing a logger it did not create, is harmless', async () => {
    const logger = createLogger({ dataDir: dir, stdout: false });
    await closeLogger(logger);
    await closeLogger(logger);
    await closeLogger(pino({ enabled: false }));
  });

  it('with stdout: true, also writes the lines to stdout, and they reach both before the process exits', async () => {
    const here = dirname(fileURLToPath(import.meta.url));
    const code = join(dir, 'code');
    const { outputText } = ts.transpileModule(await readFile(join(here, 'logger.ts'), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    await mkdir(code);
    await writeFile(join(code, 'logger.js'), outputText);
    // pino and pino-roll resolve through the project's node_modules.
    await symlink(resolve(here, '../../node_modules'), join(code, 'node_modules'));
    await writeFile(
      join(code, 'child.mjs'),
      [
        "import { createLogger, closeLogger } from './logger.js';",
        'const logger = createLogger({ dataDir: process.argv[2], stdout: true });',
        `logger.info({ password: '${SECRET}' }, 'from the child');`,
        'await closeLogger(logger);',
      ].join('\n'),
    );
    const dataDir = join(dir, 'data');
    const child = spawn(process.execPath, [join(code, 'child.mjs'), dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exitCode = await new Promise<number | null>((done) => child.on('close', done));
    expect({ exitCode, stderr }).toEqual({ exitCode: 0, stderr: '' });
    expect(JSON.parse(stdout.trim())).toMatchObject({ msg: 'from the child', password: '[redacted]' });
    expect((await readLogLines(dataDir)).map((line) => line['msg'])).toEqual(['from the child']);
    expect(stdout).not.toContain(SECRET);
  });
});
