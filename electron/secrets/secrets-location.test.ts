import { chmod, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureSecretsFile, inspectSecretsFile, rotateSecretsKey } from './secrets-file.js';
import { mayAdviseChmod, systemLocationProblem } from './secrets-location.js';

let dir: string;
let savedHome: string | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'campanel-location-'));
  savedHome = process.env['HOME'];
});
afterEach(async () => {
  process.env['HOME'] = savedHome;
  await rm(dir, { recursive: true, force: true });
});

describe('systemLocationProblem', () => {
  it.each([
    ['/etc/passwd', '/etc'],
    ['/etc/campanel/campanel.secrets', '/etc'],
    ['/proc/self/environ', '/proc'],
    ['/sys/kernel/x', '/sys'],
    ['/dev/null', '/dev'],
    ['/boot/config.txt', '/boot'],
    ['/usr/local/share/x', '/usr'],
    ['/bin/x', '/bin'],
    ['/sbin/x', '/sbin'],
    ['/lib/x', '/lib'],
    ['/var/lib/dpkg/status', '/var/lib'],
    ['/var/log/syslog', '/var/log'],
    ['/run/user/1000/x', '/run'],
  ])('refuses %s as a place in %s, with a plain reason', (path, system) => {
    expect(systemLocationProblem(path, '/home/pi')).toBe(
      `${path} is in ${system}, a system location that does not hold CamPanel's key; choose a path in your home directory, such as ~/.secrets/campanel.secrets`,
    );
  });

  it('refuses a file directly in the root directory', () => {
    expect(systemLocationProblem('/campanel.secrets', '/home/pi')).toMatch(/^\/campanel\.secrets is directly in the root directory/);
  });

  it.each(['/home/pi/.secrets/campanel.secrets', '/srv/campanel/secrets', '/tmp/x/s', '/etcetera/s', '/var/tmp/s', '/media/usb/s'])(
    'allows %s',
    (path) => expect(systemLocationProblem(path, '/home/pi')).toBeNull(),
  );

  it("allows the user's home directory even below a system location (a service account in /var/lib)", () => {
    expect(systemLocationProblem('/var/lib/campanel/.secrets/campanel.secrets', '/var/lib/campanel')).toBeNull();
    expect(systemLocationProblem('/var/lib/other/s', '/var/lib/campanel')).toMatch(/is in \/var\/lib/);
  });
});

describe('the secrets file functions refuse system locations and give no advice about foreign files', () => {
  it('/etc/passwd is refused by every function without a word about chmod, and left alone', async () => {
    for (const check of [inspectSecretsFile, ensureSecretsFile, rotateSecretsKey]) {
      const result = await check('/etc/passwd');
      expect(result).toMatchObject({ ok: false, problem: 'unusable', resolvedPath: '/etc/passwd' });
      expect(result.ok ? '' : result.message).toMatch(/^\/etc\/passwd is in \/etc, a system location/);
      expect(result.ok ? '' : result.message).not.toContain('chmod');
    }
  });

  it('a parent directory that is a symbolic link into /etc is followed and refused', async () => {
    const link = join(dir, 'config');
    await symlink('/etc', link);
    const result = await ensureSecretsFile(join(link, 'campanel.secrets'));
    expect(result.ok ? '' : result.message).toMatch(/leads to \/etc\/campanel\.secrets: .* is in \/etc, a system location/);
  });

  it("advises chmod 600 only for the user's own file in their home directory", async () => {
    const path = join(dir, 'campanel.secrets');
    await writeFile(path, '{}');
    await chmod(path, 0o644);
    process.env['HOME'] = dir; // os.homedir() reads HOME on POSIX
    const inHome = await inspectSecretsFile(path);
    expect(inHome.ok ? '' : inHome.message).toBe(`${path} is accessible by group or others (mode 0644); run chmod 600 ${path}`);
    process.env['HOME'] = join(dir, 'elsewhere');
    const outside = await inspectSecretsFile(path);
    expect(outside.ok ? '' : outside.message).not.toContain('chmod');
  });

  it('mayAdviseChmod needs both: inside home and owned by this user', () => {
    const uid = process.getuid?.() ?? -1;
    expect(mayAdviseChmod('/home/pi/s', uid, '/home/pi')).toBe(true);
    expect(mayAdviseChmod('/home/pi/s', uid + 1, '/home/pi')).toBe(false);
    expect(mayAdviseChmod('/srv/s', uid, '/home/pi')).toBe(false);
    expect(mayAdviseChmod('/srv/s', uid, '/')).toBe(false);
  });
});
