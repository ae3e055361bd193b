/**
 * The built `campanel` command as a user runs it: real processes, real data directories.
 * (`npm test` builds before the unit tests run.)
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { campanel, requireBuiltCli } from '../test-support/built-cli.js';

let dir: string;
beforeAll(requireBuiltCli);
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'campanel-cli-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('campanel CLI', () => {
  it('--help succeeds everywhere', async () => {
    for (const args of [['--help'], ['serve', '--help'], ['user', '--help'], ['user', 'add', '--help'], ['api', 'configure', '--help'], ['token', '--help']]) {
      const result = await campanel(args);
      expect(result.code, args.join(' ')).toBe(0);
      expect(result.stdout).toContain('Usage:');
    }
  });

  it.each([
    [['bogus']],
    [['user']],
    [['user', 'add']],
    [['serve', '--panel-port', 'abc']],
    [['api', 'configure']],
    [['api', 'configure', '--secrets-file', '/x', '--port', '70000']],
    [['token', 'revoke']],
  ])('exits 2 on bad usage: %j', async (args) => {
    const result = await campanel([...args, '--data-dir', dir]);
    expect(result.code).toBe(2);
  });

  it('adds users with the password from stdin, never argv, and lists them', async () => {
    const first = await campanel(['user', 'add', 'ada', '--data-dir', dir], 'ada-password-1\n');
    expect(first.code).toBe(1);
    expect(first.stderr).toBe('campanel: The first user must be an administrator: add --admin\n');

    expect((await campanel(['user', 'add', 'ada', '--admin', '--data-dir', dir], 'ada-password-1\n')).code).toBe(0);
    expect((await campanel(['user', 'add', 'bob', '--data-dir', dir], 'bob-password-1\n')).code).toBe(0);
    const list = await campanel(['user', 'list', '--data-dir', dir]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/ada\s+admin\s+no/);
    expect(list.stdout).toMatch(/bob\s+user\s+yes/);
    const users = await readFile(join(dir, 'users.json'), 'utf8');
    expect(users).not.toContain('ada-password-1');
  });

  it('a runtime error is one line on stderr with exit 1', async () => {
    await campanel(['user', 'add', 'ada', '--admin', '--data-dir', dir], 'ada-password-1\n');
    const duplicate = await campanel(['user', 'add', 'ada', '--data-dir', dir], 'other-password-1\n');
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr.trim().split('\n')).toHaveLength(1);
    const short = await campanel(['user', 'add', 'bob', '--data-dir', dir], 'short\n');
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/at least 8/);
  });

  it('api configure creates the secrets file, allows the API, and token generate prints only a token', async () => {
    await campanel(['user', 'add', 'ada', '--admin', '--data-dir', dir], 'ada-password-1\n');
    const secrets = join(dir, 'keys', 'campanel.secrets');
    const configured = await campanel(['api', 'configure', '--secrets-file', secrets, '--access-minutes', '5', '--port', '5099', '--data-dir', dir]);
    expect(configured.code).toBe(0);
    expect((await stat(secrets)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'keys'))).mode & 0o777).toBe(0o700);

    const status = await campanel(['api', 'status', '--data-dir', dir]);
    expect(status.stdout).toContain('Allow access through API: yes');
    expect(status.stdout).toContain('To activate the API, restart the API');

    const generated = await campanel(['token', 'generate', '--user', 'ada', '--label', 'door', '--data-dir', dir]);
    expect(generated.code).toBe(0);
    expect(generated.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const claims = JSON.parse(Buffer.from(generated.stdout.split('.')[1] ?? '', 'base64url').toString());
    expect(claims).not.toHaveProperty('exp');

    const list = await campanel(['token', 'list', '--data-dir', dir]);
    expect(list.stdout).toContain(claims.jti);
    expect(list.stdout).not.toContain(generated.stdout.trim());
    expect((await campanel(['token', 'revoke', claims.jti, '--data-dir', dir])).code).toBe(0);
    expect((await campanel(['token', 'revoke', claims.jti, '--data-dir', dir])).code).toBe(1);
  });

  it('refuses a secrets path that is a directory, naming the reason', async () => {
    const result = await campanel(['api', 'configure', '--secrets-file', dir, '--data-dir', dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/directory/);
  });
});
