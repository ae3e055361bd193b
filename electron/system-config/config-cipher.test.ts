import { createCipheriv, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SystemError } from '../api-server/privacyidea/system-api.js';
import type { SecretsSections } from '../secrets/secrets-sections.js';
import { CONFIG_KEY_SECTION, FAILED_TO_DECRYPT, secretsFileCipher } from './config-cipher.js';
import { jsonFileSections } from '../secrets/test-sections.js';

let dir: string;
let secretsPath: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'campanel-cipher-'));
  secretsPath = join(dir, 'campanel.secrets');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const secretsOnDisk = async (): Promise<Record<string, Record<string, unknown>>> => JSON.parse(await readFile(secretsPath, 'utf8'));
const storedKey = async (): Promise<Buffer> => Buffer.from(String((await secretsOnDisk())[CONFIG_KEY_SECTION]?.configKey), 'base64');

function setup() {
  const { sections, control } = jsonFileSections(secretsPath);
  return { cipher: secretsFileCipher(sections), control, sections };
}

/** Encrypts as the format says, independently of the module, to pin the format down. */
function encryptByHand(key: Buffer, name: string, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(name));
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `v1:${iv.toString('base64')}:${cipher.getAuthTag().toString('base64')}:${data.toString('base64')}`;
}

describe('secretsFileCipher', () => {
  it('encrypts with AES-256-GCM as v1:<iv>:<tag>:<data>, a fresh IV each time, and decrypts back', async () => {
    const { cipher } = setup();
    const first = await cipher.encrypt('email.password', 'hunter2 grüße');
    const second = await cipher.encrypt('email.password', 'hunter2 grüße');
    expect(first).toMatch(/^v1:[A-Za-z0-9+/]{16}:[A-Za-z0-9+/]{22}==:[A-Za-z0-9+/=]+$/);
    expect(first).not.toBe(second);
    expect(first).not.toContain('hunter2');
    expect(await cipher.decrypt('email.password', first)).toBe('hunter2 grüße');
    expect(await cipher.decrypt('email.password', second)).toBe('hunter2 grüße');
  });

  it('keeps its data key in the secrets file section campanelConfig, next to the other sections', async () => {
    await writeFile(secretsPath, JSON.stringify({ jwtSecrets: { jwtSecretKey: 'k'.repeat(64) } }), { mode: 0o600 });
    const { cipher } = setup();
    const stored = await cipher.encrypt('a', 'secret');
    const onDisk = await secretsOnDisk();
    expect(onDisk.jwtSecrets).toEqual({ jwtSecretKey: 'k'.repeat(64) });
    expect(Object.keys(onDisk[CONFIG_KEY_SECTION] ?? {})).toEqual(['configKey']);
    expect(await storedKey()).toHaveLength(32);
    // The format, checked with the key from the file by an independent encryption.
    const byHand = encryptByHand(await storedKey(), 'a', 'by hand');
    expect(await cipher.decrypt('a', byHand)).toBe('by hand');
    // Another cipher over the same file (a restart) reads the same key.
    expect(await secretsFileCipher(jsonFileSections(secretsPath).sections).decrypt('a', stored)).toBe('secret');
  });

  it('creates one key for parallel first encryptions, and reads the file only until the key is cached', async () => {
    const { cipher, control } = setup();
    const stored = await Promise.all(Array.from({ length: 5 }, (_, i) => cipher.encrypt(`k${i}`, `v${i}`)));
    expect(control.updates).toBe(1);
    const fresh = secretsFileCipher(jsonFileSections(secretsPath).sections);
    expect(await Promise.all(stored.map((value, i) => fresh.decrypt(`k${i}`, value)))).toEqual(['v0', 'v1', 'v2', 'v3', 'v4']);
    const reads = control.reads;
    await cipher.encrypt('again', 'x');
    await cipher.decrypt('k0', stored[0] ?? '');
    expect(control.reads).toBe(reads);
    expect(control.updates).toBe(1);
  });

  it('keeps a key another writer stored between its read and its update', async () => {
    const { sections } = jsonFileSections(secretsPath);
    const otherKey = randomBytes(32);
    // Reads see no key yet; by the time the update runs, another CamPanel has stored one.
    const racing: SecretsSections = {
      read: async () => ({ ok: true, value: undefined }),
      update: async (section, update) => {
        await writeFile(secretsPath, JSON.stringify({ [CONFIG_KEY_SECTION]: { configKey: otherKey.toString('base64') } }), { mode: 0o600 });
        return sections.update(section, update);
      },
    };
    const stored = await secretsFileCipher(racing).encrypt('a', 'secret');
    expect(await storedKey()).toEqual(otherKey);
    expect(await secretsFileCipher(sections).decrypt('a', stored)).toBe('secret');
  });

  it('binds a ciphertext to its key name: moved to another key it reads as the FAILED text', async () => {
    const { cipher } = setup();
    const stored = await cipher.encrypt('smtp.password', 'secret');
    expect(await cipher.decrypt('smtp.password2', stored)).toBe(FAILED_TO_DECRYPT);
    expect(await cipher.decrypt('smtp.password', stored)).toBe('secret');
  });

  it('reads tampered, malformed and foreign values as the FAILED text, never throwing', async () => {
    const { cipher } = setup();
    const stored = await cipher.encrypt('k', 'secret');
    const [v, iv, tag, data] = stored.split(':') as [string, string, string, string];
    const flipped = Buffer.from(data, 'base64');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    const cases = [
      `${v}:${iv}:${tag}:${flipped.toString('base64')}`,
      `${v}:${iv}:${Buffer.alloc(16).toString('base64')}:${data}`,
      `${v}:${Buffer.alloc(12).toString('base64')}:${tag}:${data}`,
      `v2:${iv}:${tag}:${data}`,
      `${v}:${iv}:${tag}`,
      `${v}:${iv}:${tag}:${data}:extra`,
      `${v}:${iv.slice(4)}:${tag}:${data}`,
      `${v}:!!!:${tag}:${data}`,
      '',
      'plain text stored before the type was password',
      '00112233445566778899aabbccddeeff:0011', // privacyIDEA's hex(iv):hex(ciphertext)
      encryptByHand(randomBytes(32), 'k', 'other key'),
    ];
    for (const value of cases) expect(await cipher.decrypt('k', value), value).toBe(FAILED_TO_DECRYPT);
  });

  it('reads values as the FAILED text while the secrets file has no key yet, without creating one', async () => {
    const { cipher, control } = setup();
    expect(await cipher.decrypt('k', encryptByHand(randomBytes(32), 'k', 'x'))).toBe(FAILED_TO_DECRYPT);
    expect(control.updates).toBe(0);
    await expect(readFile(secretsPath)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('while the secrets file is locked: 707 "hsm not ready!" for both directions, and a plain reason', async () => {
    const stored = await setup().cipher.encrypt('k', 'secret');
    // A cipher started while the file is locked (it has no cached key).
    const lockedSetup = jsonFileSections(secretsPath);
    lockedSetup.control.problem = 'locked';
    const lockedCipher = secretsFileCipher(lockedSetup.sections);
    await expect(lockedCipher.encrypt('k', 'x')).rejects.toEqual(new SystemError(707, 'hsm not ready!'));
    await expect(lockedCipher.decrypt('k', stored)).rejects.toEqual(new SystemError(707, 'hsm not ready!'));
    expect(await lockedCipher.unavailable()).toMatch(/protected by a passphrase and has not been unlocked/);
    lockedSetup.control.problem = null;
    expect(await lockedCipher.decrypt('k', stored)).toBe('secret');
    expect(await lockedCipher.unavailable()).toBeNull();
  });

  it('without a secrets file: a clear 707 refusal, and unavailable() says why', async () => {
    const { cipher, control } = setup();
    control.problem = 'none';
    const error = await cipher.encrypt('k', 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SystemError);
    expect(error).toMatchObject({ id: 707, message: expect.stringMatching(/No secrets file is configured/) as string });
    expect(await cipher.unavailable()).toMatch(/^No secrets file is configured/);
    control.problem = 'unusable';
    expect(await cipher.unavailable()).toMatch(/cannot be used.*mode 0644/);
  });

  it('refuses to use or replace a configKey that is not 32 bytes of base64', async () => {
    for (const bad of ['c2hvcnQ=', 'not base64 at all!', 42]) {
      const original = JSON.stringify({ [CONFIG_KEY_SECTION]: { configKey: bad } });
      await writeFile(secretsPath, original, { mode: 0o600 });
      const { cipher } = setup();
      await expect(cipher.encrypt('k', 'x')).rejects.toMatchObject({ id: 707, message: expect.stringMatching(/configKey is not a 32-byte base64 key/) as string });
      await expect(cipher.decrypt('k', 'v1:a:b:c')).rejects.toMatchObject({ id: 707 });
      expect(await cipher.unavailable()).toMatch(/configKey is not a 32-byte base64 key/);
      expect(await readFile(secretsPath, 'utf8')).toBe(original);
    }
  });

  it('forgetKey() makes the next use read the secrets file again', async () => {
    const { cipher, control } = setup();
    const stored = await cipher.encrypt('k', 'secret');
    control.problem = 'locked';
    expect(await cipher.decrypt('k', stored)).toBe('secret'); // cached
    cipher.forgetKey();
    await expect(cipher.decrypt('k', stored)).rejects.toMatchObject({ id: 707 });
  });
});
