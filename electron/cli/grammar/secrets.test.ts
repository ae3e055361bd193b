/**
 * `campanel secrets …` as typed: the built command in a real process, the passphrase on standard input.
 * (`npm test` builds before the unit tests run.) What the commands do is tested in commands/secrets.test.ts.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { campanel, requireBuiltCli } from '../../test-support/built-cli.js';

const PASSPHRASE = 'correct horse battery staple';

let dir: string;
let at: string[];
let secrets: string;
beforeAll(requireBuiltCli);
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'campanel-cli-secrets-'));
  at = ['--data-dir', join(dir, 'data')];
  secrets = join(dir, 'keys', 'campanel.secrets');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('campanel secrets', () => {
  it('reads the passphrase from stdin, protects, reports, and refuses a wrong passphrase with exit 1 and the file unchanged', async () => {
    expect((await campanel(['api', 'configure', '--secrets-file', secrets, '--port', '5999', ...at])).code).toBe(0);
    const plain = await readFile(secrets, 'utf8');

    const protect = await campanel(['secrets', 'protect', ...at], `${PASSPHRASE}\n`);
    expect(protect).toMatchObject({ code: 0, stderr: '' });
    expect(protect.stdout).toMatch(/is now protected with a passphrase/);
    const protectedText = await readFile(secrets, 'utf8');
    expect(protectedText).not.toBe(plain);

    expect((await campanel(['secrets', 'status', ...at])).stdout).toMatch(/: protected with a passphrase\. CamPanel is not running here/);
    expect((await campanel(['api', 'status', ...at])).stdout).toMatch(/^Status: red: Secrets locked: /m);

    const wrong = await campanel(['secrets', 'unprotect', ...at], 'wrong horse battery staple\n');
    expect(wrong).toEqual({
      code: 1,
      stdout: '',
      stderr: 'campanel: Wrong passphrase (or the file was changed since it was protected): the secrets file stays protected\n',
    });
    expect(await readFile(secrets, 'utf8')).toBe(protectedText);

    expect(await campanel(['secrets', 'unlock', ...at], `${PASSPHRASE}\n`)).toMatchObject({ code: 1, stderr: expect.stringMatching(/CamPanel is not running/) });
    expect((await campanel(['secrets', 'unprotect', ...at], `${PASSPHRASE}\n`)).code).toBe(0);
    expect(await readFile(secrets, 'utf8')).toBe(plain);
  });

  it('refuses a short new passphrase, and exits 2 on bad usage', async () => {
    await campanel(['api', 'configure', '--secrets-file', secrets, ...at]);
    expect(await campanel(['secrets', 'protect', ...at], 'short\n')).toMatchObject({ code: 1, stderr: 'campanel: passphrase: Use at least 12 characters\n' });
    expect((await campanel(['secrets', 'protect', PASSPHRASE, ...at])).code).toBe(2);
    expect((await campanel(['secrets', 'bogus', ...at])).code).toBe(2);
    expect((await campanel(['secrets', '--help'])).stdout).toMatch(/never from the command\s+line/);
  });
});
