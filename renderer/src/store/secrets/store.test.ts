import { describe, expect, it } from 'vitest';
import { WRONG_PASSPHRASE, createFakeClient } from '../../test/fake-client';
import { createSecretsStore } from './store';

const PASSPHRASE = 'correct horse battery';

describe('secrets store', () => {
  it('protects the file, and removes the protection with the right passphrase only', async () => {
    const { client, world } = createFakeClient();
    const store = createSecretsStore(client);
    await store.getState().refresh();
    expect(store.getState().lock).toEqual({ configured: true, protected: false, locked: false });

    expect((await store.getState().protect(PASSPHRASE)).ok).toBe(true);
    expect(store.getState().lock).toEqual({ configured: true, protected: true, locked: false });
    expect(world.secrets.passphrase).toBe(PASSPHRASE);

    const wrong = await store.getState().unprotect('not the passphrase');
    expect(wrong.ok || wrong.error.fields).toEqual({ passphrase: WRONG_PASSPHRASE });
    expect(store.getState().lock?.protected).toBe(true);

    expect((await store.getState().unprotect(PASSPHRASE)).ok).toBe(true);
    expect(store.getState().lock).toEqual({ configured: true, protected: false, locked: false });
  });

  it('refuses a new passphrase under 12 characters before anything is written', async () => {
    const { client, world } = createFakeClient();
    const store = createSecretsStore(client);
    const result = await store.getState().protect('short');
    expect(result.ok || result.error.fields).toEqual({ passphrase: 'Use at least 12 characters' });
    expect(world.secrets.protected).toBe(false);
  });

  it('unlocks a locked file with its passphrase', async () => {
    const { client, world } = createFakeClient();
    Object.assign(world.secrets, { protected: true, locked: true, passphrase: PASSPHRASE });
    const store = createSecretsStore(client);
    await store.getState().refresh();
    expect(store.getState().lock?.locked).toBe(true);

    const wrong = await store.getState().unlock('guess');
    expect(wrong.ok).toBe(false);
    expect(store.getState().lock?.locked).toBe(true);

    expect((await store.getState().unlock(PASSPHRASE)).ok).toBe(true);
    expect(store.getState().lock).toEqual({ configured: true, protected: true, locked: false });
    expect(JSON.stringify(store.getState())).not.toContain(PASSPHRASE);
  });

  it('says nothing is to be protected without a secrets file', async () => {
    const { client, world } = createFakeClient();
    world.secrets.configured = false;
    const store = createSecretsStore(client);
    const result = await store.getState().protect(PASSPHRASE);
    expect(result.ok || result.error.code).toBe('conflict');
    expect(store.getState().lock).toBeNull();
  });
});
