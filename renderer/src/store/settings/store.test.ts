import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../../shared/domain';
import { createFakeClient } from '../../test/fake-client';
import { allowApi } from './selectors';
import { createSettingsStore } from './store';

describe('settings store', () => {
  it('loads, toggles "Allow access through API" and stores API settings through the client', async () => {
    const { client, world } = createFakeClient();
    const store = createSettingsStore(client);
    await store.getState().refresh();
    expect(allowApi(store.getState().view)).toBe(false);
    await store.getState().setAllowApi(true);
    expect(world.settings.general.allowApi).toBe(true);
    expect(allowApi(store.getState().view)).toBe(true);
    const api = { ...DEFAULT_SETTINGS.api, secretsFilePath: '~/.secrets/campanel.secrets' };
    const stored = await store.getState().setApiSettings(api);
    expect(stored.ok && stored.value.secretsFile).toEqual({ resolvedPath: '/home/pi/.secrets/campanel.secrets', outcome: 'existing' });
    expect(store.getState().view?.settings.api).toEqual(api);
    // What happened to the file is the answer's, not part of the stored view.
    expect(store.getState().view).not.toHaveProperty('secretsFile');
  });

  it('checks an import without applying it', async () => {
    const { client, world } = createFakeClient({ checkImport: () => ({ ok: true, value: { problems: [], changes: ['API port: 5000 → 5001'] } }) });
    const store = createSettingsStore(client);
    const checked = await store.getState().checkImport('{}');
    expect(checked.ok && checked.value.changes).toEqual(['API port: 5000 → 5001']);
    expect(world.calls.map((c) => c.name)).toEqual(['checkImport']);
  });

  it('keeps the previous view when the server refuses', async () => {
    const refusal = { ok: false as const, error: { code: 'invalid' as const, message: 'Bad', fields: { port: 'Port must be 1 to 65535' } } };
    const { client } = createFakeClient({ setApiSettings: () => refusal });
    const store = createSettingsStore(client);
    await store.getState().refresh();
    const before = store.getState().view;
    expect(await store.getState().setApiSettings({ ...DEFAULT_SETTINGS.api, port: 1 })).toEqual(refusal);
    expect(store.getState().view).toBe(before);
  });

  it('imports a configuration', async () => {
    const { client } = createFakeClient();
    const store = createSettingsStore(client);
    const imported = { ...DEFAULT_SETTINGS, general: { allowApi: true } };
    const result = await store.getState().importConfig(JSON.stringify(imported));
    expect(result.ok).toBe(true);
    expect(store.getState().view?.settings).toEqual(imported);
  });
});
