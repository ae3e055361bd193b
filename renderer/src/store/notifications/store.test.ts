import { describe, expect, it } from 'vitest';
import type { MailTestResult } from '../../../../shared/domain';
import { PASSWORDS_UNAVAILABLE, createFakeClient } from '../../test/fake-client';
import { TEST_ALREADY_RUNNING, createNotificationsStore } from './store';

const SETTINGS = { host: 'smtp.example.org', port: 587, tls: 'starttls' as const, user: 'cam', sender: 'cam@example.org', recipient: 'me@example.org' };

describe('notifications store', () => {
  it('stores the settings; the password is kept, replaced or removed, and never comes back', async () => {
    const { client, world } = createFakeClient();
    const store = createNotificationsStore(client);
    await store.getState().refresh();
    expect(store.getState().view?.passwordSet).toBe(false);

    expect((await store.getState().save({ settings: SETTINGS, password: 'mail-pw-1' })).ok).toBe(true);
    expect(store.getState().view).toEqual({ settings: SETTINGS, passwordSet: true, passwordUnavailable: null, importedFromSecrets: false });
    expect(JSON.stringify(store.getState())).not.toContain('mail-pw-1');

    await store.getState().save({ settings: { ...SETTINGS, port: 465, tls: 'tls' } });
    expect(world.mailPassword).toBe('mail-pw-1');
    await store.getState().save({ settings: SETTINGS, password: '' });
    expect(world.mailPassword).toBeNull();
    expect(store.getState().view?.passwordSet).toBe(false);
  });

  it('refuses bad settings with the full path of each field', async () => {
    const { client, world } = createFakeClient();
    const store = createNotificationsStore(client);
    const result = await store.getState().save({ settings: { ...SETTINGS, host: 'bad host!', recipient: 'nobody' } });
    expect(result.ok || Object.keys(result.error.fields ?? {}).sort()).toEqual(['settings.host', 'settings.recipient']);
    expect(world.settings.notifications.host).toBe('');
  });

  it('refuses a password while the secrets file cannot store it', async () => {
    const { client, world } = createFakeClient();
    world.secrets.configured = false;
    const store = createNotificationsStore(client);
    await store.getState().refresh();
    expect(store.getState().view?.passwordUnavailable).toBe(PASSWORDS_UNAVAILABLE.notConfigured);
    const result = await store.getState().save({ settings: SETTINGS, password: 'x' });
    expect(result.ok || result.error.fields).toEqual({ password: PASSWORDS_UNAVAILABLE.notConfigured });
    // Without a password the rest can still be stored.
    expect((await store.getState().save({ settings: SETTINGS })).ok).toBe(true);
  });

  it('sends one test mail at a time and keeps what it said until the settings change', async () => {
    let finish: (result: MailTestResult) => void = () => undefined;
    const { client, world } = createFakeClient({
      sendTestMail: () => new Promise((resolve) => (finish = (value) => resolve({ ok: true, value }))),
    });
    const store = createNotificationsStore(client);
    const first = store.getState().sendTestMail();
    expect(store.getState().testing).toBe(true);
    expect(await store.getState().sendTestMail()).toEqual({ ok: false, message: TEST_ALREADY_RUNNING });
    expect(world.calls.filter((c) => c.name === 'sendTestMail')).toHaveLength(1);

    finish({ ok: false, message: 'Connection refused by smtp.example.org:587' });
    expect(await first).toEqual({ ok: false, message: 'Connection refused by smtp.example.org:587' });
    expect(store.getState()).toMatchObject({ testing: false, testResult: { ok: false, message: 'Connection refused by smtp.example.org:587' } });

    await store.getState().save({ settings: SETTINGS });
    expect(store.getState().testResult).toBeNull();
  });

  it('reports the result the main process gives, and a refused call as a failed test', async () => {
    const { client, world } = createFakeClient();
    const store = createNotificationsStore(client);
    world.mailTest = { ok: true, message: 'Sent to me@example.org' };
    expect(await store.getState().sendTestMail()).toEqual({ ok: true, message: 'Sent to me@example.org' });
    world.mailTest = { ok: false, message: 'Authentication failed' };
    expect((await store.getState().sendTestMail()).ok).toBe(false);
    expect(store.getState().testResult).toEqual({ ok: false, message: 'Authentication failed' });

    const refused = createFakeClient({ sendTestMail: () => ({ ok: false, error: { code: 'forbidden', message: 'Administrators only' } }) });
    const other = createNotificationsStore(refused.client);
    expect(await other.getState().sendTestMail()).toEqual({ ok: false, message: 'Administrators only' });
    expect(other.getState().testing).toBe(false);
  });
});
