/**
 * NotificationService with a real settings store and a real secrets file in a temp dir, and real SMTP servers
 * on 127.0.0.1: the raspiCamSrv `eventnotification` section round trip, picking up a raspiCamSrv user's mail
 * server, refusing to store a password it cannot keep, the test mail, and /system/test/email's parameters.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_NOTIFICATION_SETTINGS, type NotificationSettings } from '../../shared/domain.js';
import { SystemError } from '../api-server/privacyidea/system-api.js';
import { DomainError } from '../core/errors.js';
import { SettingsStore } from '../settings/settings-store.js';
import type { SecretsSections } from '../secrets/secrets-sections.js';
import { EMAIL_TEST_TEXTS, NotificationService, TEST_MAIL_SUBJECT } from './notification-service.js';
import { jsonFileSections, unavailableSections } from '../secrets/test-sections.js';
import { closedPort, parseMail, startSmtp } from './test-mail-kit.js';

const PASSWORD = 'Walrus-Tango-77?';
const NOW = new Date('2026-11-27T08:30:00.000Z');
const SHORT = { connection: 1_000, greeting: 1_000, socket: 1_000, total: 5_000 };

let dir: string;
let secretsPath: string;
let settings: SettingsStore;
let logText: string;
const cleanups: (() => Promise<void>)[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cp-notify-'));
  secretsPath = join(dir, 'campanel.secrets');
  settings = SettingsStore.open(join(dir, 'data'));
  logText = '';
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  await rm(dir, { recursive: true, force: true });
});

function service(sections: SecretsSections = jsonFileSections(secretsPath).sections): NotificationService {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logText += chunk.toString();
      done();
    },
  });
  return new NotificationService({ settings, sections, logger: pino({ level: 'info' }, sink), now: () => NOW, transport: { timeouts: SHORT } });
}

const readSecrets = async (): Promise<Record<string, unknown>> => JSON.parse(await readFile(secretsPath, 'utf8')) as Record<string, unknown>;

const MAIL: NotificationSettings = {
  host: '127.0.0.1',
  port: 2525,
  tls: 'none',
  user: 'cam@example.org',
  sender: 'cam@example.org',
  recipient: 'me@example.net',
};

async function smtp(options: Parameters<typeof startSmtp>[0] = {}) {
  const started = await startSmtp({ allowInsecureAuth: true, disabledCommands: ['STARTTLS'], ...options });
  cleanups.push(started.close);
  return started;
}

describe('the eventnotification section', () => {
  it('is written in raspiCamSrv layout, keeping the other sections and unknown keys of its own', async () => {
    await writeFile(
      secretsPath,
      JSON.stringify({ jwtSecrets: { jwtSecretKey: 'k'.repeat(43) }, eventnotification: { host: 'old.example.org', note: 'keep me' } }, null, 4),
    );
    const notifications = service();
    const view = await notifications.save({ settings: { ...MAIL, tls: 'tls', port: 465 }, password: PASSWORD });
    expect(await readSecrets()).toEqual({
      jwtSecrets: { jwtSecretKey: 'k'.repeat(43) },
      eventnotification: { host: '127.0.0.1', note: 'keep me', port: 465, useSSL: true, authentication: true, user: 'cam@example.org', password: PASSWORD },
    });
    expect(settings.get().notifications).toEqual({ ...MAIL, tls: 'tls', port: 465 });
    expect(view).toEqual({ settings: { ...MAIL, tls: 'tls', port: 465 }, passwordSet: true, passwordUnavailable: null, importedFromSecrets: false });
  });

  it('keeps the password when none is sent, and removes it for an empty one', async () => {
    const notifications = service();
    await notifications.save({ settings: MAIL, password: PASSWORD });
    const kept = await notifications.save({ settings: { ...MAIL, tls: 'starttls', user: '' } });
    expect(kept.passwordSet).toBe(true);
    expect(await readSecrets()).toEqual({
      eventnotification: { host: '127.0.0.1', port: 2525, useSSL: false, authentication: false, user: '', password: PASSWORD },
    });
    const removed = await notifications.save({ settings: MAIL, password: '' });
    expect(removed.passwordSet).toBe(false);
    expect(await readSecrets()).toEqual({
      eventnotification: { host: '127.0.0.1', port: 2525, useSSL: false, authentication: true, user: 'cam@example.org' },
    });
  });

  it('is not created for blank settings without a password', async () => {
    await service().save({ settings: DEFAULT_NOTIFICATION_SETTINGS });
    await expect(readFile(secretsPath)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('never puts the password into a log line', async () => {
    const notifications = service();
    await notifications.save({ settings: MAIL, password: PASSWORD });
    await notifications.save({ settings: MAIL, password: '' });
    expect(logText).toContain('notification settings saved');
    expect(logText).not.toContain(PASSWORD);
  });
});

describe("a raspiCamSrv user's mail server", () => {
  beforeEach(async () => {
    await writeFile(
      secretsPath,
      JSON.stringify(
        {
          eventnotification: { host: 'smtp.example.org', port: 465, useSSL: true, authentication: true, user: 'pi@example.org', password: PASSWORD },
          jwtSecrets: { jwtSecretKey: 'j'.repeat(43) },
        },
        null,
        4,
      ),
    );
  });

  it('is offered when CamPanel has none, and becomes CamPanel\'s on save', async () => {
    const notifications = service();
    const offered = await notifications.view();
    expect(offered).toEqual({
      settings: { ...DEFAULT_NOTIFICATION_SETTINGS, host: 'smtp.example.org', port: 465, tls: 'tls', user: 'pi@example.org' },
      passwordSet: true,
      passwordUnavailable: null,
      importedFromSecrets: true,
    });
    expect(settings.get().notifications).toEqual(DEFAULT_NOTIFICATION_SETTINGS);

    const saved = await notifications.save({ settings: { ...offered.settings, sender: 'pi@example.org', recipient: 'me@example.net' } });
    expect(saved.importedFromSecrets).toBe(false);
    expect(saved.passwordSet).toBe(true);
    expect(settings.get().notifications).toEqual({ host: 'smtp.example.org', port: 465, tls: 'tls', user: 'pi@example.org', sender: 'pi@example.org', recipient: 'me@example.net' });
    expect((await readSecrets()).eventnotification).toEqual({
      host: 'smtp.example.org', port: 465, useSSL: true, authentication: true, user: 'pi@example.org', password: PASSWORD,
    });
  });

  it('without SSL means STARTTLS, and without authentication means no user', async () => {
    await writeFile(secretsPath, JSON.stringify({ eventnotification: { host: 'relay.lan', port: 587, useSSL: false, authentication: false, user: 'x' } }));
    const offered = await service().view();
    expect(offered.settings).toEqual({ ...DEFAULT_NOTIFICATION_SETTINGS, host: 'relay.lan', port: 587, tls: 'starttls', user: '' });
    expect(offered.importedFromSecrets).toBe(true);
    expect(offered.passwordSet).toBe(false);
  });

  it('is not offered over CamPanel\'s own settings, nor when its host is unusable', async () => {
    settings.setNotifications(MAIL);
    expect(await service().view()).toMatchObject({ settings: MAIL, importedFromSecrets: false, passwordSet: true });

    settings.setNotifications(DEFAULT_NOTIFICATION_SETTINGS);
    await writeFile(secretsPath, JSON.stringify({ eventnotification: { host: 'not a host!', port: 25 } }));
    expect(await service().view()).toMatchObject({ settings: DEFAULT_NOTIFICATION_SETTINGS, importedFromSecrets: false });
  });
});

describe('without a usable secrets file', () => {
  const none = { problem: 'none' as const, message: 'No secrets file is configured (Settings → API).' };

  it('says why in the view', async () => {
    expect(await service(unavailableSections(none)).view()).toEqual({
      settings: DEFAULT_NOTIFICATION_SETTINGS,
      passwordSet: false,
      passwordUnavailable: none.message,
      importedFromSecrets: false,
    });
  });

  it('refuses to save a password, with the reason on the password field, and stores nothing', async () => {
    const sections = unavailableSections(none);
    const error: unknown = await service(sections).save({ settings: MAIL, password: PASSWORD }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DomainError);
    const refusal = error as DomainError;
    expect(refusal.code).toBe('invalid');
    expect(refusal.message).toBe(`The mail password cannot be stored: ${none.message}`);
    expect(refusal.fields).toEqual({ password: refusal.message });
    expect(refusal.message).not.toContain(PASSWORD);
    expect(settings.get().notifications).toEqual(DEFAULT_NOTIFICATION_SETTINGS);
    expect(SettingsStore.open(join(dir, 'data')).get().notifications).toEqual(DEFAULT_NOTIFICATION_SETTINGS);
    expect(sections.calls).not.toContain('update eventnotification');
  });

  it('refuses to remove a password from a locked file, but saves settings that need no password', async () => {
    const locked = unavailableSections({ problem: 'locked', message: 'The secrets file is locked.' });
    await expect(service(locked).save({ settings: MAIL, password: '' })).rejects.toMatchObject({ code: 'invalid', fields: { password: expect.any(String) } });
    expect(settings.get().notifications).toEqual(DEFAULT_NOTIFICATION_SETTINGS);

    const view = await service(locked).save({ settings: MAIL });
    expect(view.settings).toEqual(MAIL);
    expect(view.passwordUnavailable).toBe('The secrets file is locked.');
    expect(settings.get().notifications).toEqual(MAIL);
  });

  it('a password removal with no secrets file configured at all is nothing to do', async () => {
    const view = await service(unavailableSections(none)).save({ settings: MAIL, password: '' });
    expect(view.settings).toEqual(MAIL);
  });

  it('refuses settings that are not valid before touching anything', async () => {
    const sections = unavailableSections(none);
    const bad = { ...MAIL, recipient: 'not an address' };
    await expect(service(sections).save({ settings: bad, password: PASSWORD })).rejects.toMatchObject({ code: 'invalid', fields: { recipient: expect.any(String) } });
    expect(sections.calls).toEqual([]);
    expect(settings.get().notifications).toEqual(DEFAULT_NOTIFICATION_SETTINGS);
  });
});

describe('the test mail', () => {
  it('goes out with the stored settings and password, naming this host and the time', async () => {
    const mail = await smtp();
    const notifications = service();
    await notifications.save({ settings: { ...MAIL, port: mail.port }, password: PASSWORD });
    const result = await notifications.sendTest();
    expect(result).toEqual({ ok: true, message: `The mail server 127.0.0.1:${mail.port} accepted the mail to me@example.net.` });
    expect(mail.logins).toEqual([{ user: 'cam@example.org', password: PASSWORD }]);
    const received = parseMail(mail.received[0]?.raw ?? '');
    expect(received.headers.subject).toBe(TEST_MAIL_SUBJECT);
    expect(received.headers.from).toBe('cam@example.org');
    expect(received.headers.to).toBe('me@example.net');
    expect(received.body).toContain(`CamPanel on ${hostname()}`);
    expect(received.body).toContain('2026-11-27T08:30:00.000Z');
    expect(logText).toContain('test mail sent');
    expect(logText).not.toContain(PASSWORD);
  });

  it('says what is missing instead of trying', async () => {
    const notifications = service();
    expect(await notifications.sendTest()).toEqual({ ok: false, message: 'No mail server is set: enter its host name first.' });
    settings.setNotifications({ ...MAIL, sender: '' });
    expect(await notifications.sendTest()).toEqual({ ok: false, message: 'No sender address is set.' });
    settings.setNotifications({ ...MAIL, recipient: '' });
    expect(await notifications.sendTest()).toEqual({ ok: false, message: 'No recipient address is set.' });
  });

  it('says when the password cannot be read', async () => {
    settings.setNotifications(MAIL);
    const locked = unavailableSections({ problem: 'locked', message: 'The secrets file is locked.' });
    expect(await service(locked).sendTest()).toEqual({ ok: false, message: 'The mail password cannot be read: The secrets file is locked.' });
  });

  it('needs no secrets file when no login is used', async () => {
    const mail = await smtp();
    settings.setNotifications({ ...MAIL, port: mail.port, user: '' });
    const result = await service(unavailableSections({ problem: 'none', message: 'none' })).sendTest();
    expect(result.ok).toBe(true);
    expect(mail.logins).toEqual([]);
  });

  it('a failure is an answer that logs its reason, without the password', async () => {
    const mail = await smtp({ onAuth: (_auth, _session, callback) => callback(new Error('Invalid username or password')) });
    const notifications = service();
    await notifications.save({ settings: { ...MAIL, port: mail.port }, password: PASSWORD });
    const result = await notifications.sendTest();
    expect(result).toEqual({ ok: false, message: `The mail server 127.0.0.1:${mail.port} refused the user name or password.` });
    expect(logText).toContain('test mail failed');
    expect(logText).toContain('refused the user name or password');
    expect(logText).not.toContain(PASSWORD);
  });
});

describe('/system/test/email parameters', () => {
  const params = (port: number, extra: Record<string, string | null> = {}) => ({
    'email.mailserver': '127.0.0.1',
    'email.port': String(port),
    'email.mailfrom': 'pi@example.org',
    'email.recipient': 'admin@example.net',
    ...extra,
  });

  it('sends with the given server, sender, recipient and login', async () => {
    const mail = await smtp();
    const result = await service().testFromParams(params(mail.port, { 'email.username': 'pi', 'email.password': PASSWORD }));
    expect(result).toEqual({ ok: true, message: EMAIL_TEST_TEXTS.sent });
    expect(result.message).toBe('Successfully sent email. Please check your inbox.');
    expect(mail.logins).toEqual([{ user: 'pi', password: PASSWORD }]);
    expect(mail.received[0]).toMatchObject({ from: 'pi@example.org', to: ['admin@example.net'], secure: false });
  });

  it.each(['email.mailserver', 'email.mailfrom', 'email.recipient'])('%s missing or empty is ERR905 naming it', async (name) => {
    const notifications = service();
    for (const value of [undefined, '', null]) {
      const given: Record<string, string | null> = params(2525);
      if (value === undefined) delete given[name];
      else given[name] = value;
      const error: unknown = await notifications.testFromParams(given).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(SystemError);
      expect(error).toMatchObject({ id: 905, message: `Missing parameter: ${name}` });
    }
  });

  it('checks the required ones in privacyIDEA\'s order', async () => {
    await expect(service().testFromParams({ 'email.tls': 'True' })).rejects.toMatchObject({ id: 905, message: 'Missing parameter: email.mailserver' });
    await expect(service().testFromParams({ 'email.mailserver': 'x.lan' })).rejects.toMatchObject({ message: 'Missing parameter: email.mailfrom' });
  });

  it('refuses a bad port or address as ERR905', async () => {
    await expect(service().testFromParams(params(2525, { 'email.port': '70000' }))).rejects.toMatchObject({ id: 905, message: expect.stringMatching(/^Invalid parameter: email\.port/) });
    await expect(service().testFromParams(params(2525, { 'email.port': 'abc' }))).rejects.toMatchObject({ id: 905 });
    await expect(service().testFromParams(params(2525, { 'email.recipient': 'a@b.c, d@e.f' }))).rejects.toMatchObject({ id: 905, message: expect.stringMatching(/^Invalid parameter: email\.recipient/) });
  });

  it('uses port 25 when none is given', async () => {
    const result = await service().testFromParams(params(0, { 'email.port': null }));
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^Could not send email: .*127\.0\.0\.1:25\b/);
  });

  it('email.tls True means STARTTLS (refused by a server without it); anything else stays plain', async () => {
    const plainOnly = await smtp();
    const refused = await service().testFromParams(params(plainOnly.port, { 'email.tls': 'True' }));
    expect(refused.ok).toBe(false);
    expect(refused.message).toMatch(/^Could not send email: The mail server .* does not offer STARTTLS/);
    for (const tls of ['1', 'true']) {
      const again = await service().testFromParams(params(plainOnly.port, { 'email.tls': tls }));
      expect(again.message).toMatch(/does not offer STARTTLS/);
    }
    const plain = await service().testFromParams(params(plainOnly.port, { 'email.tls': 'False' }));
    expect(plain.ok).toBe(true);
    expect(plainOnly.received).toHaveLength(1);
  });

  it('a failure is "Could not send email: <reason>"', async () => {
    const port = await closedPort();
    const result = await service().testFromParams(params(port, { 'email.password': PASSWORD, 'email.username': 'pi' }));
    expect(result).toEqual({ ok: false, message: `Could not send email: Nothing accepts connections at 127.0.0.1:${port} (connection refused). Check the host and port.` });
  });

  it('without email.* parameters it uses the stored settings', async () => {
    const mail = await smtp();
    const notifications = service();
    await notifications.save({ settings: { ...MAIL, port: mail.port }, password: PASSWORD });
    expect(await notifications.testFromParams({ other: 'x' })).toEqual({ ok: true, message: EMAIL_TEST_TEXTS.sent });
    expect(mail.received[0]).toMatchObject({ from: 'cam@example.org', to: ['me@example.net'] });
    settings.setNotifications(DEFAULT_NOTIFICATION_SETTINGS);
    expect(await notifications.testFromParams({})).toEqual({ ok: false, message: 'Could not send email: No mail server is set: enter its host name first.' });
  });
});
