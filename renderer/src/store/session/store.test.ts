import { describe, expect, it } from 'vitest';
import { createFakeClient } from '../../test/fake-client';
import { gateScreen } from './selectors';
import { createSessionStore } from './store';

describe('session store', () => {
  it('goes first run → ready → login → ready', async () => {
    const { client } = createFakeClient();
    const store = createSessionStore(client);
    await store.getState().refresh();
    expect(gateScreen(store.getState())).toBe('firstRun');
    expect((await store.getState().createAdmin('ann', 'password1')).ok).toBe(true);
    expect(gateScreen(store.getState())).toBe('ready');
    await store.getState().logout();
    expect(gateScreen(store.getState())).toBe('login');
    const wrong = await store.getState().login('ann', 'nope');
    expect(wrong).toEqual({ ok: false, error: { code: 'unauthenticated', message: 'Wrong name or password' } });
    expect(gateScreen(store.getState())).toBe('login');
    await store.getState().login('ann', 'password1');
    expect(store.getState().session?.user?.name).toBe('ann');
  });

  it('never keeps a password in its state', async () => {
    const { client } = createFakeClient();
    const store = createSessionStore(client);
    await store.getState().createAdmin('ann', 'very-secret-pw');
    await store.getState().changePassword('very-secret-pw', 'another-secret');
    expect(JSON.stringify(store.getState())).not.toMatch(/secret/);
  });

  it('keeps the load error and marks an expired panel link', async () => {
    const { client } = createFakeClient({ sessionState: () => ({ ok: false, error: { code: 'internal', message: 'down' } }) });
    const store = createSessionStore(client);
    await store.getState().refresh();
    expect(gateScreen(store.getState())).toBe('unreachable');
    store.getState().markLinkExpired();
    expect(gateScreen(store.getState())).toBe('linkExpired');
  });
});
