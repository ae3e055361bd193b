import { describe, expect, it } from 'vitest';
import { DEFAULT_SYSTEM_DEFAULTS } from '../../../../shared/domain';
import { PASSWORDS_UNAVAILABLE, createFakeClient } from '../../test/fake-client';
import { createSystemStore } from './store';

const SECRET = 'smtp-relay-secret-1';

function setup() {
  const fake = createFakeClient();
  fake.world.config.set('mail.relay', { value: SECRET, type: 'password', desc: 'Relay login' });
  fake.world.config.set('site', { value: 'garden', type: 'public', desc: '' });
  return { ...fake, store: createSystemStore(fake.client) };
}

describe('system store', () => {
  it('loads the overview with password values masked, and never keeps a revealed one', async () => {
    const { store } = setup();
    await store.getState().refresh();
    const entries = store.getState().overview?.entries ?? [];
    expect(entries.find((e) => e.key === 'mail.relay')).toEqual({ key: 'mail.relay', value: null, type: 'password', desc: 'Relay login', masked: true });
    expect(entries.find((e) => e.key === 'site')?.value).toBe('garden');

    const revealed = await store.getState().revealEntry('mail.relay');
    expect(revealed).toEqual({ ok: true, value: { value: SECRET } });
    expect(JSON.stringify(store.getState())).not.toContain(SECRET);
  });

  it('saves an entry and shows the overview the main process answers', async () => {
    const { store, world } = setup();
    const result = await store.getState().saveEntry({ key: 'retention', value: '30', type: 'int', desc: 'Days' });
    expect(result.ok).toBe(true);
    expect(store.getState().overview?.entries.map((e) => e.key)).toEqual(['mail.relay', 'site', 'retention']);
    expect(world.config.get('retention')).toEqual({ value: '30', type: 'int', desc: 'Days' });
  });

  it('keeps a stored password when it is saved with value null', async () => {
    const { store, world } = setup();
    const result = await store.getState().saveEntry({ key: 'mail.relay', value: null, type: 'password', desc: 'New words' });
    expect(result.ok).toBe(true);
    expect(world.config.get('mail.relay')).toEqual({ value: SECRET, type: 'password', desc: 'New words' });
  });

  it('reports a request the contract refuses beside its field, and changes nothing', async () => {
    const { store, world } = setup();
    await store.getState().refresh();
    const before = store.getState().overview;
    const result = await store.getState().saveEntry({ key: 'random', value: 'x', type: '', desc: '' });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('bad_request');
      expect(result.error.fields?.key).toBe('This key is the name of a /system endpoint');
    }
    expect(store.getState().overview).toBe(before);
    expect(world.config.has('random')).toBe(false);
  });

  it('refuses password values while the secrets file is locked, and says why in the overview', async () => {
    const { store, world } = setup();
    Object.assign(world.secrets, { protected: true, locked: true, passphrase: 'a long passphrase' });
    await store.getState().refresh();
    expect(store.getState().overview?.passwordsUnavailable).toBe(PASSWORDS_UNAVAILABLE.locked);
    const saved = await store.getState().saveEntry({ key: 'other', value: 'x', type: 'password', desc: '' });
    expect(saved.ok || saved.error.fields?.type).toBe(PASSWORDS_UNAVAILABLE.locked);
    const revealed = await store.getState().revealEntry('mail.relay');
    expect(revealed.ok).toBe(false);
    expect(JSON.stringify(revealed)).not.toContain(SECRET);
  });

  it('deletes an entry; a missing one is refused', async () => {
    const { store } = setup();
    expect((await store.getState().deleteEntry('site')).ok).toBe(true);
    expect(store.getState().overview?.entries.map((e) => e.key)).toEqual(['mail.relay']);
    const again = await store.getState().deleteEntry('site');
    expect(again.ok || again.error.code).toBe('not_found');
  });

  it('stores valid defaults and refuses others with the field named', async () => {
    const { store, world } = setup();
    const next = { ...DEFAULT_SYSTEM_DEFAULTS, maxFailCount: 3, resetFailCount: false, otpLen: 8 as const };
    expect((await store.getState().setDefaults(next)).ok).toBe(true);
    expect(store.getState().overview?.defaults).toEqual(next);
    const refused = await store.getState().setDefaults({ ...next, maxFailCount: 1001 });
    expect(refused.ok || refused.error.fields).toEqual({ maxFailCount: 'Must be at most 1000' });
    expect(world.defaults).toEqual(next);
  });

  it('generates random keys of the asked length, in hex or base64', async () => {
    const { store } = setup();
    const hex = await store.getState().randomKey({ length: 32, encoding: 'hex' });
    expect(hex.ok && hex.value.value).toMatch(/^[0-9a-f]{64}$/);
    const b64 = await store.getState().randomKey({ length: 32, encoding: 'base64' });
    expect(b64.ok && b64.value.value).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const tooLong = await store.getState().randomKey({ length: 1025, encoding: 'hex' });
    expect(tooLong.ok || tooLong.error.fields?.length).toBe('At most 1024');
  });

  it('registers and removes nodes; this node and a taken UUID are refused', async () => {
    const { store, world } = setup();
    const uuid = '123e4567-e89b-42d3-a456-426614174000';
    expect((await store.getState().registerNode(' north ', uuid)).ok).toBe(true);
    expect(store.getState().overview?.registeredNodes).toEqual([{ name: 'north', uuid }]);
    const twice = await store.getState().registerNode('again', uuid);
    expect(twice.ok || twice.error.code).toBe('conflict');
    const own = await store.getState().registerNode('me', world.node.uuid);
    expect(own.ok).toBe(false);
    expect((await store.getState().removeNode(uuid)).ok).toBe(true);
    expect(store.getState().overview?.registeredNodes).toEqual([]);
  });

  it('hands the documentation to the caller', async () => {
    const { store } = setup();
    const doc = await store.getState().documentation();
    expect(doc.ok && doc.value.fileName).toBe('documentation.rst');
    expect(doc.ok && doc.value.text).toContain('campanel');
  });

  it('keeps a load error for the screen', async () => {
    const { client } = createFakeClient({ systemOverview: () => ({ ok: false, error: { code: 'forbidden', message: 'Administrators only' } }) });
    const store = createSystemStore(client);
    await store.getState().refresh();
    expect(store.getState().loadError?.message).toBe('Administrators only');
    expect(store.getState().overview).toBeNull();
  });
});
