import { describe, expect, it } from 'vitest';
import { createFakeClient } from '../test/fake-client';
import { connectEvents, createStores } from './stores';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('event handling', () => {
  it('refetches the topic an event names, only while logged in', async () => {
    const { client, world } = createFakeClient();
    const stores = createStores(client);
    const stop = connectEvents(stores);
    world.emit({ topic: 'api' });
    await tick();
    expect(world.calls.map((c) => c.name)).toEqual([]);

    await stores.session.getState().createAdmin('ann', 'password1');
    world.calls.length = 0;
    world.emit({ topic: 'tokens' });
    world.emit({ topic: 'settings' });
    world.emit({ topic: 'users' });
    await tick();
    expect(world.calls.map((c) => c.name).sort()).toEqual([
      'apiStatus',
      'apiStatus',
      'cameraSettings',
      'getSettings',
      'listTokens',
      'listUsers',
      'notificationSettings',
      'secretsLock',
    ]);

    world.calls.length = 0;
    world.emit({ topic: 'session' });
    await tick();
    expect(world.calls.map((c) => c.name)).toEqual(['sessionState']);
    stop();
  });

  it('does not fetch admin lists for a plain user', async () => {
    const { client, world } = createFakeClient();
    world.users.push({ name: 'bob', role: 'user', initial: false, locked: false, password: 'password1' });
    const stores = createStores(client);
    connectEvents(stores);
    await stores.session.getState().login('bob', 'password1');
    world.calls.length = 0;
    world.emit({ topic: 'users' });
    world.emit({ topic: 'tokens' });
    await tick();
    expect(world.calls.map((c) => c.name)).toEqual(['apiStatus']);
  });

  it('refetches the system overview, the secrets lock and the mail settings for admins', async () => {
    const { client, world } = createFakeClient();
    const stores = createStores(client);
    connectEvents(stores);
    await stores.session.getState().createAdmin('ann', 'password1');
    world.calls.length = 0;
    world.emit({ topic: 'system' });
    await tick();
    expect(world.calls.map((c) => c.name).sort()).toEqual(['secretsLock', 'systemOverview']);
    expect(stores.system.getState().overview?.node.name).toBe('campanel');

    world.calls.length = 0;
    world.emit({ topic: 'notifications' });
    await tick();
    expect(world.calls.map((c) => c.name)).toEqual(['notificationSettings']);

    // Unlocking starts the API: its event brings the new lock state as well.
    world.calls.length = 0;
    world.emit({ topic: 'api' });
    await tick();
    expect(world.calls.map((c) => c.name).sort()).toEqual(['apiStatus', 'secretsLock']);
  });

  it('fetches none of the admin views for a plain user', async () => {
    const { client, world } = createFakeClient();
    world.users.push({ name: 'bob', role: 'user', initial: false, locked: false, password: 'password1' });
    const stores = createStores(client);
    connectEvents(stores);
    await stores.session.getState().login('bob', 'password1');
    world.calls.length = 0;
    world.emit({ topic: 'system' });
    world.emit({ topic: 'notifications' });
    world.emit({ topic: 'settings' });
    await tick();
    expect(world.calls.map((c) => c.name).sort()).toEqual(['apiStatus', 'getSettings']);
  });
});
