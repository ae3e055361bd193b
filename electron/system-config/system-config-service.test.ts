import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SYSTEM_DEFAULTS, TIMESTAMP_KEY } from '../../shared/domain.js';
import { SystemError } from '../api-server/privacyidea/system-api.js';
import { DomainError } from '../core/errors.js';
import { __faultInjection } from '../util/atomic-write.js';
import { CONFIG_KEY_SECTION, FAILED_TO_DECRYPT, secretsFileCipher } from './config-cipher.js';
import { SYSTEM_CONFIG_FILE, SystemConfigStore } from './config-store.js';
import { SystemConfigService } from './system-config-service.js';
import { jsonFileSections, type TestSectionsControl } from '../secrets/test-sections.js';

let dir: string;
let configPath: string;
let secretsPath: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'campanel-system-'));
  configPath = join(dir, SYSTEM_CONFIG_FILE);
  secretsPath = join(dir, 'campanel.secrets');
});

afterEach(async () => {
  __faultInjection.beforeRename = null;
  await rm(dir, { recursive: true, force: true });
});

interface Setup {
  service: SystemConfigService;
  store: SystemConfigStore;
  control: TestSectionsControl;
}

async function setup(): Promise<Setup> {
  const store = await SystemConfigStore.open(dir);
  const { sections, control } = jsonFileSections(secretsPath);
  return { service: new SystemConfigService(store, secretsFileCipher(sections)), store, control };
}

/** A fresh service over the same files, as after a restart (no cached key). */
async function restart(): Promise<Setup> {
  return setup();
}

const fileText = (): Promise<string> => readFile(configPath, 'utf8');
const fileEntries = async (): Promise<Record<string, { value: string | null; type: string; desc: string }>> => JSON.parse(await fileText()).entries;

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('readConfig and readConfigKey', () => {
  it('admin: every entry with __timestamp__, passwords decrypted, default-true keys added when missing', async () => {
    const { service } = await setup();
    await service.setConfig({ 'mail.host': 'smtp.example', 'mail.password': 'hunter2', 'mail.password.type': 'password', PrependPin: 'False' });
    const config = await service.readConfig('admin');
    expect(Object.keys(config)).toEqual(['mail.host', 'mail.password', 'PrependPin', TIMESTAMP_KEY, 'splitAtSign', 'IncFailCountOnFalsePin']);
    expect(config).toMatchObject({ 'mail.host': 'smtp.example', 'mail.password': 'hunter2', PrependPin: 'False', splitAtSign: 'True', IncFailCountOnFalsePin: 'True' });
    expect(config[TIMESTAMP_KEY]).toMatch(/^\d+(\.\d+)?$/);
  });

  it('user: only public entries and keys ending in .identifier, then the default-true keys as "True"', async () => {
    const { service } = await setup();
    await service.setConfig({
      'totp.hashlib': 'sha256',
      'totp.hashlib.type': 'public',
      'radius.identifier': 'r1',
      'hidden.setting': 'x',
      'identifier.not.last': 'y',
      PrependPin: 'False',
      splitAtSign: 'False',
      'splitAtSign.type': 'public',
    });
    expect(await service.readConfig('user')).toEqual({
      'totp.hashlib': 'sha256',
      'radius.identifier': 'r1',
      splitAtSign: 'False',
      PrependPin: 'True', // stored False, but not public: the user sees the default
      IncFailCountOnFalsePin: 'True',
    });
  });

  it('readConfigKey: the value, or null when missing or not visible; default-true keys read "True" when unset', async () => {
    const { service } = await setup();
    await service.setConfig({ secret: 'x', 'pub.key': 'p', 'pub.key.type': 'public', nothing: null, PrependPin: 'False' });
    expect(await service.readConfigKey('secret', 'admin')).toBe('x');
    expect(await service.readConfigKey('secret', 'user')).toBeNull();
    expect(await service.readConfigKey('pub.key', 'user')).toBe('p');
    expect(await service.readConfigKey('nothing', 'admin')).toBeNull();
    expect(await service.readConfigKey('missing', 'admin')).toBeNull();
    expect(await service.readConfigKey('setConfig', 'admin')).toBeNull();
    expect(await service.readConfigKey('toString', 'admin')).toBeNull();
    expect(await service.readConfigKey('__proto__', 'admin')).toBeNull();
    expect(await service.readConfigKey('PrependPin', 'admin')).toBe('False');
    expect(await service.readConfigKey('PrependPin', 'user')).toBe('True');
    expect(await service.readConfigKey('splitAtSign', 'user')).toBe('True');
    expect(await service.readConfigKey('IncFailCountOnFalsePin', 'admin')).toBe('True');
    expect(await service.readConfigKey(TIMESTAMP_KEY, 'admin')).toMatch(/^\d/);
    expect(await service.readConfigKey(TIMESTAMP_KEY, 'user')).toBeNull();
  });

  it('a locked secrets file: 707 "hsm not ready!" when a password entry is visible, plain reads otherwise', async () => {
    await (await setup()).service.setConfig({ plain: 'p', 'pw.identifier': 's', 'pw.identifier.type': 'password', other: 'o' });
    const { service, control } = await restart();
    control.problem = 'locked';
    expect(await rejection(service.readConfig('admin'))).toEqual(new SystemError(707, 'hsm not ready!'));
    expect(await rejection(service.readConfig('user'))).toEqual(new SystemError(707, 'hsm not ready!')); // .identifier is visible to users
    expect(await rejection(service.readConfigKey('pw.identifier', 'admin'))).toEqual(new SystemError(707, 'hsm not ready!'));
    expect(await service.readConfigKey('plain', 'admin')).toBe('p');
    await service.deleteConfig('pw.identifier');
    expect(await service.readConfig('user')).toEqual({ PrependPin: 'True', splitAtSign: 'True', IncFailCountOnFalsePin: 'True' });
  });

  it('a value that cannot be decrypted reads as "FAILED TO DECRYPT PASSWORD!", the rest as usual', async () => {
    const { service, store } = await setup();
    await service.setConfig({ a: 'secret-a', 'a.type': 'password', b: 'secret-b', 'b.type': 'password', c: 'plain' });
    // Move a's ciphertext to b: bound to its key name, it no longer decrypts.
    await store.apply((draft) => {
      const a = draft.get('a');
      if (a) draft.set('b', a);
    });
    expect(await service.readConfig('admin')).toMatchObject({ a: 'secret-a', b: FAILED_TO_DECRYPT, c: 'plain' });
    expect(await service.readConfigKey('b', 'admin')).toBe(FAILED_TO_DECRYPT);
  });
});

describe('setConfig', () => {
  it('stores every key, reports insert or update, and takes .type/.desc as the base key metadata', async () => {
    const { service, store } = await setup();
    expect(await service.setConfig({ a: '1', 'a.type': 'int', 'a.desc': 'first', b: '2' })).toEqual({ a: 'insert', b: 'insert' });
    expect(await service.setConfig({ a: '3', c: '4' })).toEqual({ a: 'update', c: 'insert' });
    expect(store.get('a')).toEqual({ value: '3', type: 'int', desc: 'first' }); // kept: nothing non-empty was sent
    expect(await service.setConfig({ a: '5', 'a.type': '', 'a.desc': 'second' })).toEqual({ a: 'update' });
    expect(store.get('a')).toEqual({ value: '5', type: 'int', desc: 'second' });
    expect(await service.setConfig({ a: '6', 'a.type': 'text' })).toEqual({ a: 'update' });
    expect(store.get('a')).toEqual({ value: '6', type: 'text', desc: 'second' });
    expect(store.get('a.type')).toBeUndefined();
  });

  it('ignores metadata without a base key, and bare "type"/"desc" parameters', async () => {
    const { service, store } = await setup();
    expect(await service.setConfig({ 'x.type': 'password', 'y.desc': 'd', type: 't', desc: 'd', z: 'z' })).toEqual({ z: 'insert' });
    expect(store.entries().map(([key]) => key)).toEqual(['z', TIMESTAMP_KEY]);
  });

  it('an empty request answers {} and writes nothing, not even the timestamp', async () => {
    const { service } = await setup();
    await service.setConfig({ a: '1' });
    const before = await fileText();
    expect(await service.setConfig({})).toEqual({});
    expect(await service.setConfig({ 'only.type': 'public' })).toEqual({});
    expect(await fileText()).toBe(before);
  });

  it('stores null as null', async () => {
    const { service, store } = await setup();
    await service.setConfig({ a: null, 'a.type': 'password' });
    expect(store.get('a')).toEqual({ value: null, type: 'password', desc: '' });
    expect(await service.readConfigKey('a', 'admin')).toBeNull();
  });

  it('encrypts password values at rest; the file never holds the clear text; the secrets file holds the key', async () => {
    const { service } = await setup();
    await service.setConfig({ 'mail.password': 'correct horse battery', 'mail.password.type': 'password' });
    const text = await fileText();
    expect(text).not.toContain('correct horse battery');
    expect((await fileEntries())['mail.password']?.value).toMatch(/^v1:/);
    const secrets = JSON.parse(await readFile(secretsPath, 'utf8'));
    expect(Buffer.from(secrets[CONFIG_KEY_SECTION].configKey, 'base64')).toHaveLength(32);
    expect(text).not.toContain(secrets[CONFIG_KEY_SECTION].configKey);
    expect(await (await restart()).service.readConfigKey('mail.password', 'admin')).toBe('correct horse battery');
  });

  it('the password type sticks: an update without .type is still encrypted and reads back', async () => {
    const { service } = await setup();
    await service.setConfig({ pw: 'first', 'pw.type': 'password' });
    expect(await service.setConfig({ pw: 'second secret' })).toEqual({ pw: 'update' });
    expect(await fileText()).not.toContain('second secret');
    expect(await service.readConfigKey('pw', 'admin')).toBe('second secret');
    // An explicit other type stores it in clear from then on.
    await service.setConfig({ pw: 'now public', 'pw.type': 'public' });
    expect((await fileEntries()).pw).toEqual({ value: 'now public', type: 'public', desc: '' });
  });

  it('refuses reserved, malformed and oversized keys with 905, naming the key, and writes nothing of the request', async () => {
    const { service } = await setup();
    await service.setConfig({ keep: 'old' });
    const before = await fileText();
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ ok: 'x', documentation: 'y' }, /"documentation" is not accepted: This key is the name of a \/system endpoint/],
      [{ ok: 'x', setDefault: 'y' }, /"setDefault"/],
      [{ ok: 'x', [TIMESTAMP_KEY]: '1' }, /"__timestamp__" is not accepted: This key is kept by CamPanel/],
      [{ ok: 'x', 'a/b': 'y' }, /"a\/b" is not accepted: A key has no spaces, slashes/],
      [{ ok: 'x', 'a b': 'y' }, /"a b"/],
      [{ ok: 'x', ['k'.repeat(256)]: 'y' }, /"k{59}…" is not accepted: A key is at most 255 characters/],
      [{ ok: 'x', keep: 'v'.repeat(2001) }, /"keep" was not saved: A value is at most 2000 characters/],
      [{ ok: 'x', keep: 'v', 'keep.type': 't'.repeat(2001) }, /type of "keep" is longer than 2000/],
      [{ ok: 'x', keep: 'v', 'keep.desc': 'd'.repeat(2001) }, /description of "keep" is longer than 2000/],
    ];
    for (const [params, message] of cases) {
      const error = await rejection(service.setConfig(params));
      expect(error, JSON.stringify(Object.keys(params))).toBeInstanceOf(SystemError);
      expect(error).toMatchObject({ id: 905, message: expect.stringMatching(message) as string });
    }
    expect(await fileText()).toBe(before);
    expect(await service.readConfigKey('ok', 'admin')).toBeNull();
    // At the limits exactly, it is accepted.
    expect(await service.setConfig({ ['k'.repeat(255)]: 'v'.repeat(2000), [`${'k'.repeat(255)}.type`]: 't'.repeat(2000) })).toEqual({ ['k'.repeat(255)]: 'insert' });
  });

  it('a locked secrets file refuses a password value with 707 and writes nothing of the request', async () => {
    await (await setup()).service.setConfig({ keep: 'old' });
    const { service, control } = await restart();
    const before = await fileText();
    control.problem = 'locked';
    const error = await rejection(service.setConfig({ plain: 'x', pw: 's', 'pw.type': 'password' }));
    expect(error).toEqual(new SystemError(707, 'hsm not ready!'));
    expect(await fileText()).toBe(before);
  });

  it('a write that fails before the rename leaves the old file and answers with the error', async () => {
    const { service } = await setup();
    await service.setConfig({ a: 'old' });
    const before = await fileText();
    __faultInjection.beforeRename = () => {
      throw new Error('disk gone');
    };
    await expect(service.setConfig({ a: 'new', b: 'new' })).rejects.toThrow('disk gone');
    __faultInjection.beforeRename = null;
    expect(await fileText()).toBe(before);
    expect(await service.readConfig('admin')).toMatchObject({ a: 'old' });
    expect(await service.readConfigKey('b', 'admin')).toBeNull();
  });

  it('keeps keys like __proto__ and constructor as entries', async () => {
    const { service } = await setup();
    expect(await service.setConfig({ ['__proto__']: 'p', constructor: 'c' })).toEqual(Object.fromEntries([['__proto__', 'insert'], ['constructor', 'insert']]));
    expect(await (await restart()).service.readConfigKey('__proto__', 'admin')).toBe('p');
    expect(Object.getOwnPropertyDescriptor(await service.readConfig('admin'), '__proto__')?.value).toBe('p');
  });

  it('checks the setDefault keys when they are written through setConfig too', async () => {
    const { service, store } = await setup();
    expect(await rejection(service.setConfig({ DefaultOtpLen: '7' }))).toMatchObject({ id: 905, message: expect.stringMatching(/"DefaultOtpLen" was not saved: An OTP has 6 or 8 digits/) as string });
    expect(await rejection(service.setConfig({ DefaultMaxFailCount: '3', 'DefaultMaxFailCount.type': 'password' }))).toMatchObject({ id: 905, message: expect.stringMatching(/cannot be password-typed/) as string });
    expect(await service.setConfig({ DefaultMaxFailCount: '007', DefaultResetFailCount: 'false' })).toEqual({ DefaultMaxFailCount: 'insert', DefaultResetFailCount: 'insert' });
    expect(store.get('DefaultMaxFailCount')?.value).toBe('7');
    expect(store.get('DefaultResetFailCount')?.value).toBe('False');
    expect(service.defaults()).toMatchObject({ maxFailCount: 7, resetFailCount: false });
  });
});

describe('censor', () => {
  it('hides values password-typed by the request or by the stored entry, for the audit line', async () => {
    const { service } = await setup();
    await service.setConfig({ stored: 'x', 'stored.type': 'password', plain: 'p' });
    const params = { stored: 'new secret', sent: 's', 'sent.type': 'password', plain: 'visible', none: null, 'none.type': 'password' };
    expect(service.censor(params)).toEqual({ ...params, stored: '__CENSORED__', sent: '__CENSORED__' });
  });
});

describe('setDefault', () => {
  it('stores the recognised keys, matched case-insensitively, under their canonical names; session and unknown keys are dropped', async () => {
    const { service, store } = await setup();
    const result = await service.setDefault({ defaultmaxfailcount: '3', DEFAULTOTPLEN: '8', session: 'abc', other: 'x' });
    expect(result).toEqual({ DefaultMaxFailCount: 'insert', DefaultOtpLen: 'insert' });
    expect(Object.keys(result)).toEqual(['DefaultMaxFailCount', 'DefaultOtpLen']);
    expect(store.get('DefaultMaxFailCount')).toEqual({ value: '3', type: '', desc: '' });
    expect(store.get('defaultmaxfailcount')).toBeUndefined();
    expect(store.get('other')).toBeUndefined();
    expect(store.get('session')).toBeUndefined();
    expect(await service.setDefault({ DefaultMaxFailCount: '4', DefaultSyncWindow: '500', DefaultCountWindow: '20', DefaultResetFailCount: 'False' })).toEqual({
      DefaultMaxFailCount: 'update',
      DefaultSyncWindow: 'insert',
      DefaultCountWindow: 'insert',
      DefaultResetFailCount: 'insert',
    });
    expect(service.defaults()).toEqual({ maxFailCount: 4, resetFailCount: false, otpLen: 8, syncWindow: 500, countWindow: 20 });
  });

  it('no recognised key: error 77 with the usage text, nothing written', async () => {
    const { service } = await setup();
    const requests: Array<Record<string, string>> = [{}, { session: 'x' }, { foo: '1', DefaultMaxFailCountX: '1' }];
    for (const params of requests) {
      expect(await rejection(service.setDefault(params))).toEqual(
        new SystemError(77, 'Usage: parameters are: DefaultMaxFailCount, DefaultSyncWindow, DefaultCountWindow, DefaultOtpLen, DefaultResetFailCount'),
      );
    }
    await expect(readFile(configPath)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('an empty value: 905 "Missing parameter: <lowercased key>", and nothing of the request written', async () => {
    const { service } = await setup();
    expect(await rejection(service.setDefault({ DefaultMaxFailCount: '3', DefaultOtpLen: '' }))).toEqual(new SystemError(905, 'Missing parameter: defaultotplen'));
    expect(await rejection(service.setDefault({ DefaultSyncWindow: null }))).toEqual(new SystemError(905, 'Missing parameter: defaultsyncwindow'));
    await expect(readFile(configPath)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it.each([
    ['DefaultMaxFailCount', '-1', /Enter a whole number of 0 or more/],
    ['DefaultMaxFailCount', '2.5', /whole number/],
    ['DefaultMaxFailCount', '1001', /at most 1000/],
    ['DefaultMaxFailCount', 'five', /whole number/],
    ['DefaultMaxFailCount', '1e3', /whole number/],
    ['DefaultSyncWindow', '100001', /at most 100000/],
    ['DefaultCountWindow', '0x10', /whole number/],
    ['DefaultOtpLen', '7', /6 or 8 digits/],
    ['DefaultOtpLen', '0', /6 or 8 digits/],
    ['DefaultResetFailCount', '12', /Enter True or False/],
    ['DefaultResetFailCount', 'yes', /Enter True or False/],
  ])('%s=%s is refused (905) and nothing of the request is written', async (key, value, message) => {
    const { service } = await setup();
    await service.setDefault({ DefaultMaxFailCount: '9' });
    const before = await fileText();
    const error = await rejection(service.setDefault({ DefaultCountWindow: '11', [key]: value }));
    expect(error).toBeInstanceOf(SystemError);
    expect(error).toMatchObject({ id: 905, message: expect.stringMatching(new RegExp(`^Invalid parameter ${key}: .*${message.source}`)) as string });
    expect(await fileText()).toBe(before);
  });

  it('accepts the boolean spellings and stores True/False; numbers are normalised', async () => {
    const { service, store } = await setup();
    for (const [given, stored] of [['True', 'True'], ['false', 'False'], ['1', 'True'], ['0', 'False'], ['FALSE', 'False'], ['true', 'True']]) {
      await service.setDefault({ DefaultResetFailCount: given ?? '' });
      expect(store.get('DefaultResetFailCount')?.value).toBe(stored);
    }
    await service.setDefault({ DefaultMaxFailCount: '0', DefaultSyncWindow: '0010', DefaultOtpLen: ' 6 ' });
    expect(store.get('DefaultMaxFailCount')?.value).toBe('0');
    expect(store.get('DefaultSyncWindow')?.value).toBe('10');
    expect(store.get('DefaultOtpLen')?.value).toBe('6');
  });

  it('refuses the same key twice with different values', async () => {
    const { service } = await setup();
    expect(await rejection(service.setDefault({ DefaultOtpLen: '6', defaultotplen: '8' }))).toMatchObject({ id: 905, message: expect.stringMatching(/DefaultOtpLen was given twice/) as string });
    expect(await service.setDefault({ DefaultOtpLen: '8', defaultotplen: '8' })).toEqual({ DefaultOtpLen: 'insert' });
  });

  it('keeps the type and description of an existing entry', async () => {
    const { service, store } = await setup();
    await service.setConfig({ DefaultOtpLen: '6', 'DefaultOtpLen.type': 'public', 'DefaultOtpLen.desc': 'digits' });
    await service.setDefault({ DefaultOtpLen: '8' });
    expect(store.get('DefaultOtpLen')).toEqual({ value: '8', type: 'public', desc: 'digits' });
  });
});

describe('deleteConfig', () => {
  it('true when deleted (timestamp bumped), false when missing (nothing written)', async () => {
    const { service } = await setup();
    await service.setConfig({ a: '1' });
    const stamp = (await fileEntries())[TIMESTAMP_KEY]?.value;
    await new Promise((done) => setTimeout(done, 5));
    expect(await service.deleteConfig('a')).toBe(true);
    const after = await fileEntries();
    expect(after.a).toBeUndefined();
    expect(Number(after[TIMESTAMP_KEY]?.value)).toBeGreaterThan(Number(stamp));
    const before = await fileText();
    expect(await service.deleteConfig('a')).toBe(false);
    expect(await service.deleteConfig('')).toBe(false);
    expect(await fileText()).toBe(before);
  });

  it('deleting __timestamp__ succeeds and it is re-created', async () => {
    const { service } = await setup();
    await service.setConfig({ a: '1' });
    expect(await service.deleteConfig(TIMESTAMP_KEY)).toBe(true);
    expect(await service.readConfigKey(TIMESTAMP_KEY, 'admin')).toMatch(/^\d/);
  });
});

describe('the panel', () => {
  it('overview: sorted by key, without __timestamp__, password values masked', async () => {
    const { service } = await setup();
    await service.setConfig({ zeta: 'z', 'alpha.pw': 's3cret', 'alpha.pw.type': 'password', 'alpha.pw.desc': 'SMTP', Beta: null });
    expect(service.overview()).toEqual([
      { key: 'Beta', value: null, type: '', desc: '', masked: false },
      { key: 'alpha.pw', value: null, type: 'password', desc: 'SMTP', masked: true },
      { key: 'zeta', value: 'z', type: '', desc: '', masked: false },
    ]);
  });

  it('defaults: the built-in values while nothing is stored; a hand-edited bad value falls back', async () => {
    const { service, store } = await setup();
    expect(service.defaults()).toEqual(DEFAULT_SYSTEM_DEFAULTS);
    await store.apply((draft) => {
      draft.set('DefaultOtpLen', { value: '7', type: '', desc: '' });
      draft.set('DefaultMaxFailCount', { value: '2', type: '', desc: '' });
      draft.set('DefaultSyncWindow', { value: null, type: '', desc: '' });
    });
    expect(service.defaults()).toEqual({ ...DEFAULT_SYSTEM_DEFAULTS, maxFailCount: 2 });
  });

  it('setDefaults stores all five at once; a bad value is refused beside its field and nothing is written', async () => {
    const { service, store } = await setup();
    await service.setDefaults({ maxFailCount: 0, resetFailCount: false, otpLen: 8, syncWindow: 10, countWindow: 3 });
    expect(service.defaults()).toEqual({ maxFailCount: 0, resetFailCount: false, otpLen: 8, syncWindow: 10, countWindow: 3 });
    expect(store.get('DefaultResetFailCount')?.value).toBe('False');
    const before = await fileText();
    const error = await rejection(service.setDefaults({ maxFailCount: 3, resetFailCount: true, otpLen: 7 as 6, syncWindow: -1, countWindow: 3 }));
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'invalid', fields: { otpLen: 'An OTP has 6 or 8 digits', syncWindow: 'Must be 0 or more' } });
    expect(await fileText()).toBe(before);
  });

  it('saveEntry inserts and edits with type and description exactly as given', async () => {
    const { service, store } = await setup();
    await service.saveEntry({ key: 'a', value: '1', type: 'public', desc: 'd' });
    await service.saveEntry({ key: 'a', value: '2', type: '', desc: '' });
    expect(store.get('a')).toEqual({ value: '2', type: '', desc: '' });
    await service.saveEntry({ key: 'a', value: null, type: 'int', desc: 'kept value' });
    expect(store.get('a')).toEqual({ value: '2', type: 'int', desc: 'kept value' });
  });

  it('saveEntry refuses a new entry without a value, and invalid keys, beside the field', async () => {
    const { service } = await setup();
    expect(await rejection(service.saveEntry({ key: 'new', value: null, type: '', desc: '' }))).toMatchObject({ code: 'invalid', fields: { value: 'Enter a value for a new entry' } });
    expect(await rejection(service.saveEntry({ key: 'random', value: 'x', type: '', desc: '' }))).toMatchObject({ code: 'invalid', fields: { key: 'This key is the name of a /system endpoint' } });
    expect(await rejection(service.saveEntry({ key: 'DefaultOtpLen', value: '5', type: '', desc: '' }))).toMatchObject({ code: 'invalid', fields: { value: 'An OTP has 6 or 8 digits' } });
    expect(await rejection(service.saveEntry({ key: 'DefaultOtpLen', value: '6', type: 'password', desc: '' }))).toMatchObject({ code: 'invalid', fields: { type: 'DefaultOtpLen cannot be password-typed' } });
    await expect(readFile(configPath)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('saveEntry keeps a password when its value is null, and converts it when the type changes', async () => {
    const { service, store } = await setup();
    await service.saveEntry({ key: 'pw', value: 'secret one', type: 'password', desc: '' });
    const cipherText = store.get('pw')?.value;
    expect(cipherText).toMatch(/^v1:/);
    await service.saveEntry({ key: 'pw', value: null, type: 'password', desc: 'new desc' });
    expect(store.get('pw')).toEqual({ value: cipherText, type: 'password', desc: 'new desc' });
    // password → text: stored in clear from now on.
    await service.saveEntry({ key: 'pw', value: null, type: 'text', desc: '' });
    expect(store.get('pw')).toEqual({ value: 'secret one', type: 'text', desc: '' });
    // text → password: encrypted.
    await service.saveEntry({ key: 'pw', value: null, type: 'password', desc: '' });
    expect(store.get('pw')?.value).toMatch(/^v1:/);
    expect(await fileText()).not.toContain('secret one');
    expect(await service.reveal('pw')).toBe('secret one');
  });

  it('reveal: the clear value; not_found for a missing key; a clear refusal when locked or undecryptable', async () => {
    await (await setup()).service.setConfig({ pw: 's3cret', 'pw.type': 'password', plain: 'p', empty: null });
    const { service, store, control } = await restart();
    expect(await service.reveal('pw')).toBe('s3cret');
    expect(await service.reveal('plain')).toBe('p');
    expect(await service.reveal('empty')).toBe('');
    expect(await rejection(service.reveal('missing'))).toMatchObject({ code: 'not_found', message: 'There is no config entry "missing"' });
    expect(await rejection(service.reveal(TIMESTAMP_KEY))).toMatchObject({ code: 'not_found' });

    await store.apply((draft) => draft.set('moved', { value: draft.get('pw')?.value ?? null, type: 'password', desc: '' }));
    expect(await rejection(service.reveal('moved'))).toMatchObject({ code: 'conflict', message: expect.stringMatching(/cannot be decrypted/) as string });
    expect(await rejection(service.saveEntry({ key: 'moved', value: null, type: 'text', desc: '' }))).toMatchObject({ code: 'conflict' });
    expect(store.get('moved')?.type).toBe('password');

    const locked = await restart();
    locked.control.problem = 'locked';
    const error = await rejection(locked.service.reveal('pw'));
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'conflict', message: expect.stringMatching(/protected by a passphrase/) as string });
    expect(await rejection(locked.service.saveEntry({ key: 'pw2', value: 'x', type: 'password', desc: '' }))).toMatchObject({ code: 'conflict' });
    expect(await locked.service.passwordsUnavailable()).toMatch(/protected by a passphrase/);
    control.problem = 'none';
    expect(await service.passwordsUnavailable()).toMatch(/No secrets file is configured/);
  });

  it('deleteEntry: removes it; not_found when missing; __timestamp__ is refused', async () => {
    const { service, store } = await setup();
    await service.setConfig({ a: '1' });
    await service.deleteEntry('a');
    expect(store.get('a')).toBeUndefined();
    expect(await rejection(service.deleteEntry('a'))).toMatchObject({ code: 'not_found' });
    expect(await rejection(service.deleteEntry(TIMESTAMP_KEY))).toMatchObject({ code: 'invalid' });
    expect(store.get(TIMESTAMP_KEY)).toBeDefined();
  });
});
