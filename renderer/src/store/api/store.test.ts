import { describe, expect, it } from 'vitest';
import { createFakeClient } from '../../test/fake-client';
import { createApiStore } from './store';

describe('api store', () => {
  it('returns a generated token without keeping it, and refreshes the list', async () => {
    const { client, world } = createFakeClient();
    world.me = 'ann';
    const store = createApiStore(client);
    const result = await store.getState().generateToken('garden');
    expect(result.ok && result.value.token).toBe('token-jti-1');
    expect(store.getState().tokens.map((t) => t.label)).toEqual(['garden']);
    expect(JSON.stringify(store.getState())).not.toContain('token-jti-1');
    expect(world.calls.map((c) => c.name)).toEqual(['generateToken', 'listTokens', 'apiStatus']);
  });

  it('revokes a token and refreshes the status', async () => {
    const { client, world } = createFakeClient();
    const store = createApiStore(client);
    await store.getState().generateToken('a');
    await store.getState().generateToken('b');
    await store.getState().revokeToken('jti-1');
    expect(store.getState().tokens.map((t) => t.jti)).toEqual(['jti-2']);
    expect(world.calls.at(-1)?.name).toBe('apiStatus');
  });

  it('rotates the key: every token disappears', async () => {
    const { client } = createFakeClient();
    const store = createApiStore(client);
    await store.getState().generateToken('a');
    await store.getState().rotateKey();
    expect(store.getState().tokens).toEqual([]);
  });

  it('counts restarts, so that a restart hint can leave after a restart whatever its outcome', async () => {
    const { client } = createFakeClient({ restartApi: () => ({ ok: false, error: { code: 'internal', message: 'Boom' } }) });
    const store = createApiStore(client);
    expect(store.getState().restarts).toBe(0);
    await store.getState().restartApi();
    expect(store.getState().restarts).toBe(1);
  });

  it('keeps status errors for the screen', async () => {
    const { client } = createFakeClient({ apiStatus: () => ({ ok: false, error: { code: 'forbidden', message: 'No' } }) });
    const store = createApiStore(client);
    await store.getState().refreshStatus();
    expect(store.getState().statusError?.message).toBe('No');
  });
});
