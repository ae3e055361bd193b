/**
 * The other sections of the secrets file (mail credentials, the config encryption key) on real files: other
 * sections keep their values and order, the file's checks apply, and a protected file is read and written
 * through its unlock.
 */
import { chmod, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MSG_SECRETS_LOCKED, inspectSecretsFile } from './secrets-file.js';
import { protectSecretsFile, unlockSecretsFile, unprotectSecretsFile } from './secrets-lock.js';
import { forgetUnlockedSecrets } from './secrets-protection.js';
import { secretsSections } from './secrets-sections.js';

const GOOD_KEY = 'k2XoQ3b7yN1vT9cJ4rW8eZ5uA0sD6fG2hL7mP3qR1tY';
const PASSPHRASE = 'correct horse battery staple';
const MAIL = { host: 'smtp.example.org', port: 465, user: 'cam@example.org', password: 'pä"ss' };

let dir: string;
let path: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'campanel-sections-'));
  path = join(dir, 'campanel.secrets');
});
afterEach(async () => {
  forgetUnlockedSecrets();
  await rm(dir, { recursive: true, force: true });
});

const put = (document: unknown, mode = 0o600) => writeFile(path, JSON.stringify(document, null, 4), { mode }).then(() => chmod(path, mode));
const snapshot = async (file = path) => ({ bytes: (await readFile(file)).toString('hex'), mode: (await stat(file)).mode & 0o777 });
const sections = () => secretsSections(() => path);

describe('reading', () => {
  it('gives a section, or undefined when the section or the whole file does not exist yet', async () => {
    expect(await sections().read('eventnotification')).toEqual({ ok: true, value: undefined });
    await put({ jwtSecrets: { jwtSecretKey: GOOD_KEY }, eventnotification: MAIL });
    expect(await sections().read('eventnotification')).toEqual({ ok: true, value: MAIL });
    expect(await sections().read('campanelConfig')).toEqual({ ok: true, value: undefined });
  });

  it('reads the path anew on every call', async () => {
    let current = '';
    const bound = secretsSections(() => current);
    expect(await bound.read('eventnotification')).toEqual({ ok: false, problem: 'none', message: 'No JWT Secret Key File Path specified' });
    await put({ eventnotification: MAIL });
    current = path;
    expect(await bound.read('eventnotification')).toEqual({ ok: true, value: MAIL });
  });

  it('never hands out the JWT key, the protected envelope, or a prototype', async () => {
    await put({ jwtSecrets: { jwtSecretKey: GOOD_KEY } });
    for (const name of ['jwtSecrets', 'campanelProtected', '__proto__']) {
      const read = await sections().read(name);
      expect(read).toMatchObject({ ok: false, problem: 'unusable' });
      expect(JSON.stringify(read)).not.toContain(GOOD_KEY);
      expect(await sections().update(name, () => ({ x: 1 }))).toMatchObject({ ok: false, problem: 'unusable' });
    }
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ jwtSecrets: { jwtSecretKey: GOOD_KEY } });
  });

  it('refuses a section that is not a JSON object', async () => {
    await put({ eventnotification: ['not', 'an', 'object'] });
    expect(await sections().read('eventnotification')).toEqual({
      ok: false,
      problem: 'unusable',
      message: `${path} has a "eventnotification" section that is not a JSON object`,
    });
  });
});

describe('updating', () => {
  it('replaces one section and keeps every other section, value for value and in order', async () => {
    const original = { eventnotification: MAIL, jwtSecrets: { jwtSecretKey: GOOD_KEY, x: [1, { y: null }] }, custom: { deep: [true, 0.5, 'ü'] } };
    await put(original);
    expect(await sections().update('eventnotification', (current) => ({ ...current, port: 587 }))).toEqual({ ok: true });
    const written = await readFile(path, 'utf8');
    expect(written).toBe(JSON.stringify({ ...original, eventnotification: { ...MAIL, port: 587 } }, null, 4));
    expect((await snapshot()).mode).toBe(0o600);
    expect(await inspectSecretsFile(path)).toMatchObject({ ok: true, key: GOOD_KEY });
  });

  it('adds a new section after the others, and undefined removes one', async () => {
    await put({ jwtSecrets: { jwtSecretKey: GOOD_KEY }, eventnotification: MAIL });
    await sections().update('campanelConfig', () => ({ key: 'abc' }));
    expect(Object.keys(JSON.parse(await readFile(path, 'utf8')) as object)).toEqual(['jwtSecrets', 'eventnotification', 'campanelConfig']);
    await sections().update('eventnotification', () => undefined);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ jwtSecrets: { jwtSecretKey: GOOD_KEY }, campanelConfig: { key: 'abc' } });
  });

  it('creates a missing file 0600 in new 0700 directories; removing from a missing file creates nothing', async () => {
    const nested = join(dir, 'a', 'campanel.secrets');
    const bound = secretsSections(() => nested);
    expect(await bound.update('campanelConfig', () => undefined)).toEqual({ ok: true });
    expect(await readdir(dir)).toEqual([]);
    expect(await bound.update('campanelConfig', (current) => ({ key: 'abc', had: current ?? null }))).toEqual({ ok: true });
    expect(await readFile(nested, 'utf8')).toBe(JSON.stringify({ campanelConfig: { key: 'abc', had: null } }, null, 4));
    expect((await snapshot(nested)).mode).toBe(0o600);
    expect((await stat(join(dir, 'a'))).mode & 0o777).toBe(0o700);
  });

  it('concurrent updates of different sections in this process both land', async () => {
    await put({ jwtSecrets: { jwtSecretKey: GOOD_KEY } });
    await Promise.all([
      sections().update('eventnotification', () => MAIL),
      sections().update('campanelConfig', () => ({ key: 'abc' })),
      protectSecretsFile(path, PASSPHRASE),
    ]);
    await unprotectSecretsFile(path, PASSPHRASE);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ jwtSecrets: { jwtSecretKey: GOOD_KEY }, eventnotification: MAIL, campanelConfig: { key: 'abc' } });
  });
});

describe('the same checks as the JWT key', () => {
  it.each([
    ['mode 0644', async () => put({ eventnotification: MAIL }, 0o644), /accessible by group or others \(mode 0644\)/],
    ['not JSON', async () => writeFile(path, '{"eventnotification": ', { mode: 0o600 }), /not valid JSON/],
  ])('%s is refused by read and update, and the file is left as it is', async (_what, prepare, message) => {
    await prepare();
    const before = await snapshot();
    expect(await sections().read('eventnotification')).toMatchObject({ ok: false, problem: 'unusable', message: expect.stringMatching(message) });
    expect(await sections().update('eventnotification', () => ({}))).toMatchObject({ ok: false, problem: 'unusable', message: expect.stringMatching(message) });
    expect(await snapshot()).toEqual(before);
  });

  it('a symbolic link is refused, and its target is left as it is', async () => {
    const real = join(dir, 'real.secrets');
    await writeFile(real, JSON.stringify({ eventnotification: MAIL }), { mode: 0o600 });
    const before = await snapshot(real);
    const link = secretsSections(() => join(dir, 'link.secrets'));
    await symlink(real, join(dir, 'link.secrets'));
    expect(await link.read('eventnotification')).toMatchObject({ ok: false, problem: 'unusable', message: expect.stringContaining('is a symbolic link') });
    expect(await link.update('eventnotification', () => ({}))).toMatchObject({ ok: false, problem: 'unusable' });
    expect(await snapshot(real)).toEqual(before);
  });

  it('a relative path or a system location is refused', async () => {
    expect(await secretsSections(() => 'relative.secrets').read('x')).toMatchObject({ ok: false, problem: 'unusable', message: expect.stringMatching(/absolute path/) });
    expect(await secretsSections(() => '/etc/campanel.secrets').update('x', () => ({}))).toMatchObject({ ok: false, problem: 'unusable', message: expect.stringMatching(/system location/) });
  });
});

describe('a protected file', () => {
  it('locked: read and update answer "locked" and write nothing', async () => {
    await put({ jwtSecrets: { jwtSecretKey: GOOD_KEY }, eventnotification: MAIL });
    await protectSecretsFile(path, PASSPHRASE);
    forgetUnlockedSecrets();
    const before = await snapshot();
    const locked = { ok: false, problem: 'locked', message: MSG_SECRETS_LOCKED };
    expect(await sections().read('eventnotification')).toEqual(locked);
    let called = false;
    expect(
      await sections().update('eventnotification', () => {
        called = true;
        return {};
      }),
    ).toEqual(locked);
    expect(called).toBe(false);
    expect(await snapshot()).toEqual(before);
  });

  it('unlocked: reads decrypt, writes re-encrypt, and nothing is written in clear', async () => {
    await put({ jwtSecrets: { jwtSecretKey: GOOD_KEY }, eventnotification: MAIL });
    await protectSecretsFile(path, PASSPHRASE);
    forgetUnlockedSecrets();
    await unlockSecretsFile(path, PASSPHRASE);
    expect(await sections().read('eventnotification')).toEqual({ ok: true, value: MAIL });
    await sections().update('campanelConfig', () => ({ key: 'config-key-in-the-clear?' }));
    const text = await readFile(path, 'utf8');
    expect(text).not.toContain('config-key-in-the-clear?');
    expect(text).not.toContain('smtp.example.org');
    expect(await sections().read('campanelConfig')).toEqual({ ok: true, value: { key: 'config-key-in-the-clear?' } });
    await unprotectSecretsFile(path, PASSPHRASE);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({
      jwtSecrets: { jwtSecretKey: GOOD_KEY },
      eventnotification: MAIL,
      campanelConfig: { key: 'config-key-in-the-clear?' },
    });
  });
});
