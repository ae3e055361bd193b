/**
 * `campanel user remove|reset-password|unlock` as a user on a headless Pi types them: the built command on a
 * real data directory, and through a running instance's control socket (where login locks live).
 * (`npm test` builds before the unit tests run.)
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { campanel, requireBuiltCli } from '../test-support/built-cli.js';
import { startControlServer } from '../control/control-socket.js';
import { CamPanelCore } from '../core/campanel-core.js';
import { acquireLock } from '../data-dir/data-dir.js';
import { CLI_ACTOR } from '../operations/actor.js';
import { addUser, createFirstAdmin, listUsers } from '../operations/users.js';

let dir: string;
beforeAll(requireBuiltCli);
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'campanel-cli-users-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('campanel user remove | reset-password | unlock', () => {
  it('acts on the data directory when nothing runs; the password comes from stdin', async () => {
    const at = ['--data-dir', dir];
    expect((await campanel(['user', 'add', 'ada', '--admin', ...at], 'ada-password-1\n')).code).toBe(0);
    expect((await campanel(['user', 'add', 'bob', ...at], 'bob-password-1\n')).code).toBe(0);
    const before = await readFile(join(dir, 'users.json'), 'utf8');

    const reset = await campanel(['user', 'reset-password', 'bob', ...at], 'bob-new-initial-2\n');
    expect(reset).toMatchObject({ code: 0, stderr: '' });
    expect(reset.stdout).toBe('Password of bob reset; they must set their own password at next login. Their login tokens no longer work.\n');
    const after = await readFile(join(dir, 'users.json'), 'utf8');
    expect(after).not.toBe(before);
    expect(after).not.toContain('bob-new-initial-2');
    expect((await campanel(['user', 'reset-password', 'bob', ...at], 'short\n')).stderr).toMatch(/at least 8/);

    expect(await campanel(['user', 'unlock', 'ada', ...at])).toMatchObject({
      code: 0,
      stdout: 'ada is not locked: CamPanel is not running here, and locks end with it.\n',
    });
    expect(await campanel(['user', 'unlock', 'nobody', ...at])).toMatchObject({ code: 1, stderr: 'campanel: User nobody does not exist\n' });

    expect((await campanel(['user', 'remove', 'bob', ...at])).stdout).toBe('User bob removed; their tokens no longer work.\n');
    expect(await campanel(['user', 'remove', 'ada', ...at])).toMatchObject({ code: 1, stderr: 'campanel: At least one administrator must remain\n' });
    expect((await campanel(['user', 'list', ...at])).stdout).not.toMatch(/^bob/m);
    expect((await campanel(['user', 'unlock', ...at])).code).toBe(2);
  });

  it('goes through the running instance: its locks are listed in words and cleared, its users changed', async () => {
    const dataDir = join(dir, 'data');
    const lock = acquireLock(dataDir, { mode: 'serve' });
    const core = await CamPanelCore.open({ dataDir, logger: pino({ level: 'silent' }) });
    const control = await startControlServer(core);
    try {
      await createFirstAdmin(core, { name: 'ada', password: 'ada-password-1' }, CLI_ACTOR);
      await addUser(core, { name: 'bob', role: 'user', password: 'bob-password-1' }, CLI_ACTOR);
      // Enough failures for 15-minute locks, so that they outlast the commands below.
      for (let i = 0; i < 20; i += 1) {
        core.panelLimiter.fail('ada', 'local');
        core.networkLimiter.fail('ada', '192.0.2.7');
      }
      const at = ['--data-dir', dataDir];

      const list = await campanel(['user', 'list', ...at]);
      expect(list.code).toBe(0);
      expect(list.stdout).toMatch(/^ada\s+admin\s+no\s+Panel login locked until \d\d:\d\d:\d\d; API logins from 192\.0\.2\.7 locked until \d\d:\d\d:\d\d$/m);
      // The panel's only clients are on this machine: its address lock holds every user, and says so.
      expect(list.stdout).toMatch(/^bob\s+user\s+yes\s+Panel login locked until \d\d:\d\d:\d\d$/m);

      expect((await campanel(['user', 'unlock', 'ada', ...at])).stdout).toBe('ada unlocked: they can log in again.\n');
      expect(listUsers(core).map((user) => user.locked)).toEqual([false, false]);
      expect((await campanel(['user', 'unlock', 'ada', ...at])).stdout).toBe('ada was not locked.\n');

      expect((await campanel(['user', 'reset-password', 'bob', ...at], 'bob-new-initial-2\n')).code).toBe(0);
      expect(await core.users.verifyPassword('bob', 'bob-new-initial-2')).toMatchObject({ name: 'bob', initial: true });
      expect((await campanel(['user', 'remove', 'bob', ...at])).code).toBe(0);
      expect(core.users.get('bob')).toBeNull();
    } finally {
      await control?.close();
      await core.close();
      lock.release();
    }
  });
});
