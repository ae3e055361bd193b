import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DomainError } from '../core/errors.js';
import { UserStore } from './user-store.js';

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'campanel-users-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/** Resolves to the DomainError a promise rejects with, so code, message and fields can be checked together. */
async function domainError(promise: Promise<unknown>): Promise<DomainError> {
  const error: unknown = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(error)}`);
  return error;
}

describe('first run', () => {
  it('starts empty and creates a non-initial administrator', async () => {
    const store = await UserStore.open(dataDir);
    expect(store.hasUsers()).toBe(false);
    expect(store.list()).toEqual([]);
    const admin = await store.createFirstAdmin('alice', 'correct horse');
    expect(admin).toEqual({ name: 'alice', role: 'admin', initial: false, locked: false });
    expect(store.hasUsers()).toBe(true);
    expect(await store.verifyPassword('alice', 'correct horse')).toEqual(admin);
  });

  it('refuses a second first admin, also when the first user exists on disk only', async () => {
    const store = await UserStore.open(dataDir);
    await store.createFirstAdmin('alice', 'correct horse');
    const again = await domainError(store.createFirstAdmin('mallory', 'evil password'));
    expect(again.code).toBe('forbidden');
    expect(again.message).toBe('An administrator already exists');

    const reopened = await UserStore.open(dataDir);
    expect((await domainError(reopened.createFirstAdmin('mallory', 'evil password'))).code).toBe('forbidden');
    expect(reopened.list().map((u) => u.name)).toEqual(['alice']);
  });

  it('lets only one of two simultaneous first-admin requests through', async () => {
    const store = await UserStore.open(dataDir);
    const results = await Promise.allSettled([
      store.createFirstAdmin('alice', 'correct horse'),
      store.createFirstAdmin('mallory', 'evil password'),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(store.list()).toHaveLength(1);
  });

  it('validates name and password', async () => {
    const store = await UserStore.open(dataDir);
    expect((await domainError(store.createFirstAdmin('bad name', 'correct horse'))).fields).toHaveProperty('name');
    const short = await domainError(store.createFirstAdmin('alice', 'short'));
    expect(short.code).toBe('invalid');
    expect(short.fields).toEqual({ password: 'Password must be at least 8 characters' });
    expect(store.hasUsers()).toBe(false);
  });
});

describe('users added by an admin', () => {
  let store: UserStore;
  beforeEach(async () => {
    store = await UserStore.open(dataDir);
    await store.createFirstAdmin('alice', 'correct horse');
  });

  it('start initial, leave it by changing their password, and return to it on reset', async () => {
    expect(await store.add('bob', 'user', 'given by alice')).toEqual({ name: 'bob', role: 'user', initial: true, locked: false });

    const changed = await store.changePassword('bob', 'given by alice', 'chosen by bob');
    expect(changed.initial).toBe(false);
    expect(await store.verifyPassword('bob', 'given by alice')).toBeNull();
    expect(await store.verifyPassword('bob', 'chosen by bob')).toMatchObject({ name: 'bob', initial: false });

    const reset = await store.resetPassword('bob', 'reset by alice');
    expect(reset.initial).toBe(true);
    expect(await store.verifyPassword('bob', 'chosen by bob')).toBeNull();
    expect(await store.verifyPassword('bob', 'reset by alice')).toMatchObject({ initial: true });
  });

  it('refuses a wrong current password and an unchanged password', async () => {
    await store.add('bob', 'user', 'given by alice');
    const wrong = await domainError(store.changePassword('bob', 'not the password', 'chosen by bob'));
    expect(wrong.code).toBe('invalid');
    expect(wrong.message).toBe('Current password is not correct');
    expect(wrong.fields).toHaveProperty('currentPassword');

    const same = await domainError(store.changePassword('bob', 'given by alice', 'given by alice'));
    expect(same.code).toBe('invalid');
    expect(same.fields).toHaveProperty('newPassword');

    const short = await domainError(store.changePassword('bob', 'given by alice', 'short'));
    expect(short.fields).toHaveProperty('newPassword');
    expect(store.get('bob')?.initial).toBe(true);
  });

  it('refuses a duplicate name; names are case-sensitive', async () => {
    await store.add('bob', 'user', 'given by alice');
    const duplicate = await domainError(store.add('bob', 'admin', 'another password'));
    expect(duplicate.code).toBe('conflict');
    expect(duplicate.message).toBe('User bob already exists');
    expect(duplicate.fields).toHaveProperty('name');
    expect(store.get('Bob')).toBeNull();
    await store.add('Bob', 'user', 'given by alice');
    expect(store.list().map((u) => u.name)).toEqual(['alice', 'bob', 'Bob']);
  });

  it('keeps both of two quick adds', async () => {
    await Promise.all([store.add('bob', 'user', 'password one'), store.add('carol', 'admin', 'password two')]);
    const reopened = await UserStore.open(dataDir);
    expect(reopened.list().map((u) => u.name).sort()).toEqual(['alice', 'bob', 'carol']);
  });

  it('verifies unknown users and wrong passwords alike as null', async () => {
    expect(await store.verifyPassword('nobody', 'correct horse')).toBeNull();
    expect(await store.verifyPassword('alice', 'wrong horse')).toBeNull();
  });

});

describe('remove', () => {
  let store: UserStore;
  beforeEach(async () => {
    store = await UserStore.open(dataDir);
    await store.createFirstAdmin('alice', 'correct horse');
  });

  it('refuses to remove yourself', async () => {
    await store.add('carol', 'admin', 'second admin');
    const self = await domainError(store.remove('alice', 'alice'));
    expect(self.code).toBe('forbidden');
    expect(self.message).toBe('You cannot remove yourself');
    expect(store.get('alice')).not.toBeNull();
  });

  it('never removes the last administrator', async () => {
    await store.add('bob', 'user', 'given by alice');
    const last = await domainError(store.remove('alice', 'bob'));
    expect(last.code).toBe('forbidden');
    expect(last.message).toBe('At least one administrator must remain');

    await store.add('carol', 'admin', 'second admin');
    await store.remove('alice', 'carol');
    expect(store.list().map((u) => u.name)).toEqual(['bob', 'carol']);
    expect((await domainError(store.remove('carol', 'bob'))).message).toBe('At least one administrator must remain');
  });

  it('reports an unknown user as not found', async () => {
    expect((await domainError(store.remove('nobody', 'alice'))).code).toBe('not_found');
    expect((await domainError(store.resetPassword('nobody', 'new password'))).code).toBe('not_found');
    expect((await domainError(store.changePassword('nobody', 'x', 'new password'))).code).toBe('not_found');
  });
});

describe('persistence', () => {
  it('survives reopening, with the file at mode 0600 and no plain password in it', async () => {
    const store = await UserStore.open(dataDir);
    await store.createFirstAdmin('alice', 'correct horse');
    await store.add('bob', 'user', 'given by alice');
    const path = join(dataDir, 'users.json');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const text = await readFile(path, 'utf8');
    expect(text).not.toContain('correct horse');
    expect(text).not.toContain('given by alice');

    const reopened = await UserStore.open(dataDir);
    expect(reopened.list()).toEqual(store.list());
    expect(await reopened.verifyPassword('bob', 'given by alice')).toMatchObject({ name: 'bob', initial: true });
  });

  it('notifies listeners after each successful write only', async () => {
    const store = await UserStore.open(dataDir);
    let calls = 0;
    const unsubscribe = store.onChange(() => calls++);
    await store.createFirstAdmin('alice', 'correct horse');
    await domainError(store.add('alice', 'user', 'duplicate name'));
    expect(calls).toBe(1);
    unsubscribe();
    await store.add('bob', 'user', 'given by alice');
    expect(calls).toBe(1);
  });

  it.each([
    ['not JSON', '{"version":1,"users":['],
    ['the wrong shape', '{"version":1,"users":[{"name":"alice"}]}'],
    ['a duplicate name', JSON.stringify({ version: 1, users: [1, 2].map(() => ({ name: 'a', role: 'admin', initial: false, hash: 'x', createdAt: '' })) })],
  ])('refuses a corrupt file (%s), naming it, and leaves it as it was', async (_what, content) => {
    const path = join(dataDir, 'users.json');
    await writeFile(path, content, { mode: 0o600 });
    const error = await domainError(UserStore.open(dataDir));
    expect(error.code).toBe('conflict');
    expect(error.message).toContain(path);
    expect(await readFile(path, 'utf8')).toBe(content);
  });
});

describe('tokensValidFrom: login tokens die with the user', () => {
  it('is set at creation and moved by a password change and a reset, and survives reopening', async () => {
    const store = await UserStore.open(dataDir);
    const before = Date.now();
    await store.createFirstAdmin('alice', 'correct horse');
    await store.add('bob', 'user', 'given by alice');
    const created = store.tokensValidFrom('bob') ?? 0;
    expect(store.tokensValidFrom('alice')).toBeGreaterThanOrEqual(before);
    expect(created).toBeGreaterThanOrEqual(before);

    await store.changePassword('bob', 'given by alice', 'chosen by bob');
    const changed = store.tokensValidFrom('bob') ?? 0;
    expect(changed).toBeGreaterThan(created); // a scrypt hash lies between the two
    await store.resetPassword('bob', 'reset by alice');
    const reset = store.tokensValidFrom('bob') ?? 0;
    expect(reset).toBeGreaterThan(changed);

    expect((await UserStore.open(dataDir)).tokensValidFrom('bob')).toBe(reset);
    expect(store.tokensValidFrom('nobody')).toBeNull();
  });

  it('gives a user re-created under an old name a new instant', async () => {
    const store = await UserStore.open(dataDir);
    await store.createFirstAdmin('alice', 'correct horse');
    await store.add('bob', 'user', 'given by alice');
    const first = store.tokensValidFrom('bob') ?? 0;
    await store.remove('bob', 'alice');
    expect(store.tokensValidFrom('bob')).toBeNull();
    await store.add('bob', 'user', 'given by alice');
    expect(store.tokensValidFrom('bob')).toBeGreaterThan(first);
  });

  it('reads a file written before the field existed: tokens valid from the beginning', async () => {
    const legacy = {
      version: 1,
      users: [{ name: 'alice', role: 'admin', initial: false, hash: 'scrypt:32768:8:1$a$b', createdAt: '2025-01-01T00:00:00.000Z' }],
    };
    await writeFile(join(dataDir, 'users.json'), JSON.stringify(legacy));
    const store = await UserStore.open(dataDir);
    expect(store.get('alice')).toMatchObject({ name: 'alice' });
    expect(store.tokensValidFrom('alice')).toBeNull();
  });

  it('refuses a file whose instant is not a date, leaving it unchanged', async () => {
    const text = JSON.stringify({
      version: 1,
      users: [{ name: 'alice', role: 'admin', initial: false, hash: 'x', createdAt: 'x', tokensValidFrom: 'yesterday' }],
    });
    await writeFile(join(dataDir, 'users.json'), text);
    expect((await domainError(UserStore.open(dataDir))).code).toBe('conflict');
    expect(await readFile(join(dataDir, 'users.json'), 'utf8')).toBe(text);
  });
});
