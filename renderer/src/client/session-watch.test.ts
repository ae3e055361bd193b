import { describe, expect, it, vi } from 'vitest';
import { createFakeClient } from '../test/fake-client';
import { NO_PANEL_SESSION_MESSAGE } from './http-client';
import { watchUserSession } from './session-watch';

describe('watchUserSession', () => {
  it('asks for a session refresh when a call is refused because the login ended', async () => {
    const { client } = createFakeClient({ listUsers: () => ({ ok: false, error: { code: 'unauthenticated', message: 'Log in first' } }) });
    const onLost = vi.fn();
    const watched = watchUserSession(client, onLost);
    await watched.listUsers({});
    expect(onLost).toHaveBeenCalledTimes(1);
  });

  it('ignores wrong logins, other errors and a lost panel session', async () => {
    const { client } = createFakeClient({
      getSettings: () => ({ ok: false, error: { code: 'unauthenticated', message: NO_PANEL_SESSION_MESSAGE } }),
      listUsers: () => ({ ok: false, error: { code: 'forbidden', message: 'Admins only' } }),
    });
    const onLost = vi.fn();
    const watched = watchUserSession(client, onLost);
    await watched.login({ name: 'x', password: 'y' });
    await watched.getSettings({});
    await watched.listUsers({});
    expect(onLost).not.toHaveBeenCalled();
    expect(watched.transport).toBe('http');
  });
});
