import { describe, expect, it } from 'vitest';
import { createFakeClient } from '../../test/fake-client';
import { createUsersStore } from './store';

describe('users store', () => {
  it('adds, resets and removes users through the client', async () => {
    const { client, world } = createFakeClient();
    world.users.push({ name: 'ann', role: 'admin', initial: false, locked: false, password: 'password1' });
    world.me = 'ann';
    const store = createUsersStore(client);
    await store.getState().refresh();
    expect(store.getState().users.map((x) => x.name)).toEqual(['ann']);

    const added = await store.getState().addUser('bob', 'user', 'initial-pw');
    expect(added.ok && added.value).toEqual({ name: 'bob', role: 'user', initial: true, locked: false });
    expect(store.getState().users.map((x) => x.name)).toEqual(['ann', 'bob']);
    expect(JSON.stringify(store.getState())).not.toContain('initial-pw');

    const again = await store.getState().addUser('bob', 'user', 'initial-pw');
    expect(again.ok).toBe(false);

    world.users[1]!.initial = false;
    await store.getState().resetPassword('bob', 'another-pw');
    expect(store.getState().users.find((x) => x.name === 'bob')?.initial).toBe(true);

    await store.getState().removeUser('bob');
    expect(store.getState().users.map((x) => x.name)).toEqual(['ann']);
  });

  it('unlocks a user and shows the list the main process answers', async () => {
    const { client, world } = createFakeClient();
    const until = '2026-11-26T10:15:00.000Z';
    world.users.push({ name: 'bob', role: 'user', initial: false, locked: true, locks: [{ kind: 'panel', until }], password: 'password1' });
    const store = createUsersStore(client);
    await store.getState().refresh();
    expect(store.getState().users[0]?.locked).toBe(true);
    const result = await store.getState().unlockUser('bob');
    expect(result.ok).toBe(true);
    expect(store.getState().users).toEqual([{ name: 'bob', role: 'user', initial: false, locked: false }]);
    expect(world.calls.filter((c) => c.name === 'unlockUser')).toEqual([{ name: 'unlockUser', request: { name: 'bob' } }]);
  });

  it('keeps the list and reports a refused removal', async () => {
    const { client } = createFakeClient({
      removeUser: () => ({ ok: false, error: { code: 'conflict', message: 'At least one administrator must remain' } }),
    });
    const store = createUsersStore(client);
    const result = await store.getState().removeUser('ann');
    expect(result).toEqual({ ok: false, error: { code: 'conflict', message: 'At least one administrator must remain' } });
  });
});
