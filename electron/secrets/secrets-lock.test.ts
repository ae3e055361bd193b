/**
 * The passphrase-protected secrets file on real files: the format, what a wrong passphrase or a changed byte
 * does (nothing to the file), round trips, and the JWT key functions on protected files, locked and unlocked.
 */
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DomainError } from '../core/errors.js';
import { MSG_SECRETS_LOCKED, ensureSecretsFile, inspectSecretsFile, rotateSecretsKey, type SecretsResult } from './secrets-file.js';
import { SecretsLockError, protectSecretsFile, secretsLockState, unlockSecretsFile, unprotectSecretsFile } from './secrets-lock.js';
import { forgetUnlockedSecrets } from './secrets-protection.js';

const GOOD_KEY = 'k2XoQ3b7yN1vT9cJ4rW8eZ5uA0sD6fG2hL7mP3qR1tY';
const PASSPHRASE = 'correct horse battery staple';
/** raspiCamSrv's own layout, byte for byte, with a second section and non-ASCII escapes. */
const ORIGINAL = [
  '{',
  '    "eventnotification": {',
  '        "host": "smtp.example.org",',
  '        "password": "p\\u00e4ss"',
  '    },',
  '    "jwtSecrets": {',
  `        "jwtSecretKey": "${GOOD_KEY}"`,
  '    }',
  '}',
].join('\n');

let dir: string;
let path: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'campanel-lock-'));
  path = join(dir, 'campanel.secrets');
  await writeFile(path, ORIGINAL, { mode: 0o600 });
});
afterEach(async () => {
  forgetUnlockedSecrets();
  await rm(dir, { recursive: true, force: true });
});

const snapshot = async (file = path) => ({ bytes: (await readFile(file)).toString('hex'), mode: (await stat(file)).mode & 0o777 });
const envelopeOf = async (file = path) => (JSON.parse(await readFile(file, 'utf8')) as { campanelProtected: Record<string, unknown> }).campanelProtected;

/** Rejects with a SecretsLockError of this reason, and no passphrase in its message. */
async function expectLockError(promise: Promise<unknown>, reason: SecretsLockError['reason'], message: RegExp): Promise<void> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SecretsLockError);
  expect(error).toMatchObject({ reason, message: expect.stringMatching(message) });
  expect((error as Error).message).not.toContain(PASSPHRASE);
}

function expectRefused(result: SecretsResult): Extract<SecretsResult, { ok: false }> {
  if (result.ok) throw new Error('expected a refusal');
  return result;
}

/** Protects the file, then forgets the key as a new process would start. */
async function protectAndRestart(): Promise<void> {
  await protectSecretsFile(path, PASSPHRASE);
  forgetUnlockedSecrets();
}

describe('the protected format', () => {
  it('holds one section with the version, scrypt parameters, and base64 salt, iv, tag and ciphertext, 0600, 4-space indent', async () => {
    expect(await protectSecretsFile(path, PASSPHRASE)).toEqual({ configured: true, protected: true, locked: false });
    const text = await readFile(path, 'utf8');
    expect(text).not.toContain(GOOD_KEY);
    expect(text).not.toContain('smtp.example.org');
    expect(text).toMatch(/^\{\n {4}"campanelProtected": \{\n {8}"version": 1,\n {8}"kdf": "scrypt",\n {8}"N": 32768,\n {8}"r": 8,\n {8}"p": 1,\n/);
    const envelope = await envelopeOf();
    expect(Object.keys(envelope)).toEqual(['version', 'kdf', 'N', 'r', 'p', 'salt', 'iv', 'tag', 'ciphertext']);
    expect(Buffer.from(envelope['salt'] as string, 'base64')).toHaveLength(16);
    expect(Buffer.from(envelope['iv'] as string, 'base64')).toHaveLength(12);
    expect(Buffer.from(envelope['tag'] as string, 'base64')).toHaveLength(16);
    // GCM adds nothing to the length: the ciphertext is exactly as long as the document.
    expect(Buffer.from(envelope['ciphertext'] as string, 'base64')).toHaveLength(Buffer.byteLength(ORIGINAL));
    expect((await snapshot()).mode).toBe(0o600);
    expect(await readdir(dir)).toEqual(['campanel.secrets']);
  });

  it('protect then unprotect gives back the original file byte for byte', async () => {
    const before = await snapshot();
    await protectSecretsFile(path, PASSPHRASE);
    expect(await unprotectSecretsFile(path, PASSPHRASE)).toEqual({ configured: true, protected: false, locked: false });
    expect(await snapshot()).toEqual(before);
  });

  it('unlocks in a new process (keyring forgotten) with the passphrase typed in another Unicode form', async () => {
    const composed = 'pässwörd-für-die-kamera'; // NFC
    await protectSecretsFile(path, composed);
    forgetUnlockedSecrets();
    expect(await unlockSecretsFile(path, composed.normalize('NFD'))).toEqual({ configured: true, protected: true, locked: false });
    expect(await inspectSecretsFile(path)).toMatchObject({ ok: true, key: GOOD_KEY });
  });

  it('every write re-encrypts with a fresh IV, and the salt stays', async () => {
    await protectSecretsFile(path, PASSPHRASE);
    const first = await envelopeOf();
    await rotateSecretsKey(path);
    const second = await envelopeOf();
    expect(second['salt']).toBe(first['salt']);
    expect(second['iv']).not.toBe(first['iv']);
    expect(second['ciphertext']).not.toBe(first['ciphertext']);
  });

  it('two files protected with the same passphrase get different salts', async () => {
    const other = join(dir, 'other.secrets');
    await writeFile(other, ORIGINAL, { mode: 0o600 });
    await protectSecretsFile(path, PASSPHRASE);
    await protectSecretsFile(other, PASSPHRASE);
    expect((await envelopeOf(other))['salt']).not.toBe((await envelopeOf())['salt']);
  });
});

describe('refusals change nothing', () => {
  it('a wrong passphrase neither unlocks nor unprotects, and the file keeps every byte', async () => {
    await protectAndRestart();
    const before = await snapshot();
    await expectLockError(unlockSecretsFile(path, 'wrong horse battery staple'), 'wrongPassphrase', /^Wrong passphrase .*stays locked$/);
    await expectLockError(unprotectSecretsFile(path, 'wrong horse battery staple'), 'wrongPassphrase', /stays protected$/);
    expect(await snapshot()).toEqual(before);
    expect(await secretsLockState(path)).toEqual({ configured: true, protected: true, locked: true });
  });

  it('a wrong passphrase is a form error on the passphrase field', async () => {
    await protectAndRestart();
    const error = await unlockSecretsFile(path, 'nope').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).toBody()).toEqual({ code: 'invalid', message: expect.any(String), fields: { passphrase: expect.stringMatching(/^Wrong passphrase/) } });
  });

  // Each field changed in a way that still parses: only the tag check (or the bound parameters) can catch it.
  const tamperings: Array<[string, (envelope: Record<string, unknown>) => void]> = [
    ['a ciphertext byte', (e) => void (e['ciphertext'] = flipFirstByte(e['ciphertext'] as string))],
    ['a tag byte', (e) => void (e['tag'] = flipFirstByte(e['tag'] as string))],
    ['an iv byte', (e) => void (e['iv'] = flipFirstByte(e['iv'] as string))],
    ['a salt byte', (e) => void (e['salt'] = flipFirstByte(e['salt'] as string))],
    ['the scrypt cost N', (e) => void (e['N'] = 16384)],
    ['the scrypt block size r', (e) => void (e['r'] = 4)],
    ['the scrypt parallelism p', (e) => void (e['p'] = 2)],
  ];

  it.each(tamperings)('changing %s is refused as a wrong passphrase, and the file is left as it is', async (_what, tamper) => {
    await protectAndRestart();
    const envelope = await envelopeOf();
    tamper(envelope);
    await writeFile(path, JSON.stringify({ campanelProtected: envelope }, null, 4));
    const before = await snapshot();
    await expectLockError(unlockSecretsFile(path, PASSPHRASE), 'wrongPassphrase', /^Wrong passphrase/);
    await expectLockError(unprotectSecretsFile(path, PASSPHRASE), 'wrongPassphrase', /^Wrong passphrase/);
    expect(await snapshot()).toEqual(before);
  });

  it('a ciphertext changed while the file is unlocked is reported as changed or damaged, and never overwritten', async () => {
    await protectSecretsFile(path, PASSPHRASE);
    const envelope = await envelopeOf();
    envelope['ciphertext'] = flipFirstByte(envelope['ciphertext'] as string);
    await writeFile(path, JSON.stringify({ campanelProtected: envelope }, null, 4));
    const before = await snapshot();
    for (const check of [inspectSecretsFile, ensureSecretsFile, rotateSecretsKey]) {
      expect(expectRefused(await check(path))).toMatchObject({ problem: 'unusable', message: `${path} cannot be decrypted with the key it was unlocked with: it was changed outside CamPanel or is damaged` });
    }
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ['another version', { version: 2 }, /is protected in a format \(version 2\) this version of CamPanel does not know$/],
    ['another KDF', { kdf: 'pbkdf2' }, /has a damaged "campanelProtected" section$/],
    ['an unknown field', { extra: 1 }, /has a damaged "campanelProtected" section$/],
    ['an iv of the wrong length', { iv: Buffer.alloc(16).toString('base64') }, /damaged/],
    ['N not a power of two', { N: 30000 }, /damaged/],
    ['a cost that would need 4 GiB', { N: 2 ** 20, r: 32 }, /damaged/],
    ['a ciphertext that is not base64', { ciphertext: '%%%' }, /damaged/],
  ])('an envelope with %s is refused everywhere', async (_what, change, message) => {
    await protectAndRestart();
    await writeFile(path, JSON.stringify({ campanelProtected: { ...(await envelopeOf()), ...change } }, null, 4));
    const before = await snapshot();
    await expect(unlockSecretsFile(path, PASSPHRASE)).rejects.toThrow(message);
    await expect(unprotectSecretsFile(path, PASSPHRASE)).rejects.toThrow(message);
    await expect(protectSecretsFile(path, PASSPHRASE)).rejects.toThrow(message);
    for (const check of [inspectSecretsFile, ensureSecretsFile, rotateSecretsKey]) {
      expect(expectRefused(await check(path))).toMatchObject({ problem: 'unusable', message: expect.stringMatching(message) });
    }
    expect(await snapshot()).toEqual(before);
  });

  it('a protected section beside other sections is refused', async () => {
    await protectAndRestart();
    await writeFile(path, JSON.stringify({ campanelProtected: await envelopeOf(), jwtSecrets: { jwtSecretKey: GOOD_KEY } }));
    expect(expectRefused(await inspectSecretsFile(path)).message).toBe(`${path} has a "campanelProtected" section beside other sections`);
  });

  it('states that do not fit are refused with their reason', async () => {
    await expectLockError(unlockSecretsFile(path, PASSPHRASE), 'notLocked', /not protected with a passphrase, so there is nothing to unlock$/);
    await expectLockError(unprotectSecretsFile(path, PASSPHRASE), 'notProtected', /not protected with a passphrase$/);
    await protectSecretsFile(path, PASSPHRASE);
    await expectLockError(unlockSecretsFile(path, PASSPHRASE), 'notLocked', /already unlocked$/);
    await expectLockError(protectSecretsFile(path, 'another passphrase 2'), 'alreadyProtected', /already protected/);
    await expectLockError(protectSecretsFile(join(dir, 'none'), PASSPHRASE), 'noFile', /^secrets file missing: /);
    await expectLockError(unlockSecretsFile('  ', PASSPHRASE), 'noFile', /^No JWT Secret Key File Path specified$/);
    expect(await readdir(dir)).toEqual(['campanel.secrets']);
  });

  it('protect refuses a passphrase shorter than 12 characters and writes nothing', async () => {
    const before = await snapshot();
    await expect(protectSecretsFile(path, 'short')).rejects.toMatchObject({ code: 'invalid', fields: { passphrase: 'Use at least 12 characters' } });
    expect(await snapshot()).toEqual(before);
  });

  it('a group-readable or symlinked file is refused before any passphrase is tried', async () => {
    await chmod(path, 0o644);
    await expect(protectSecretsFile(path, PASSPHRASE)).rejects.toThrow(/accessible by group or others \(mode 0644\)/);
    await expect(unlockSecretsFile(path, PASSPHRASE)).rejects.toThrow(/accessible by group or others/);
    expect((await snapshot()).mode).toBe(0o644);
  });
});

describe('the JWT key functions on a protected file', () => {
  it('locked: inspect, ensure and rotate answer "locked" and never create or overwrite it', async () => {
    await protectAndRestart();
    const before = await snapshot();
    for (const check of [inspectSecretsFile, ensureSecretsFile, rotateSecretsKey]) {
      expect(await check(path)).toEqual({ ok: false, resolvedPath: path, message: MSG_SECRETS_LOCKED, problem: 'locked' });
    }
    expect(MSG_SECRETS_LOCKED).toBe('Secrets locked: unlock the secrets file with its passphrase (on the API tab, with campanel secrets unlock, or POST /system/hsm)');
    expect(await snapshot()).toEqual(before);
    expect(await readdir(dir)).toEqual(['campanel.secrets']);
  });

  it('unlocked: inspect reads the key, rotate writes a new one and the file stays protected with the same passphrase', async () => {
    await protectAndRestart();
    await unlockSecretsFile(path, PASSPHRASE);
    expect(await inspectSecretsFile(path)).toMatchObject({ ok: true, key: GOOD_KEY, generated: false });
    expect(await ensureSecretsFile(path)).toMatchObject({ ok: true, key: GOOD_KEY, generated: false });

    const rotated = await rotateSecretsKey(path);
    if (!rotated.ok) throw new Error(rotated.message);
    expect(rotated.key).not.toBe(GOOD_KEY);
    const text = await readFile(path, 'utf8');
    expect(text).not.toContain(rotated.key);
    expect(Object.keys(JSON.parse(text) as object)).toEqual(['campanelProtected']);
    expect((await snapshot()).mode).toBe(0o600);

    // A new process needs the passphrase again, and then finds the new key and the other section intact.
    forgetUnlockedSecrets();
    expect(await inspectSecretsFile(path)).toMatchObject({ problem: 'locked' });
    await unlockSecretsFile(path, PASSPHRASE);
    expect(await inspectSecretsFile(path)).toMatchObject({ ok: true, key: rotated.key });
    await unprotectSecretsFile(path, PASSPHRASE);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({
      eventnotification: { host: 'smtp.example.org', password: 'päss' },
      jwtSecrets: { jwtSecretKey: rotated.key },
    });
  });

  it('a protected file removed while unlocked is created again protected ("Create a new key"), not in clear', async () => {
    await protectSecretsFile(path, PASSPHRASE);
    await rm(path);
    const created = await rotateSecretsKey(path);
    if (!created.ok) throw new Error(created.message);
    expect(await readFile(path, 'utf8')).not.toContain(created.key);
    forgetUnlockedSecrets();
    await unlockSecretsFile(path, PASSPHRASE);
    expect(await inspectSecretsFile(path)).toMatchObject({ ok: true, key: created.key });
  });

  it('a file protected anew by another process (new salt) counts as locked, not as damaged', async () => {
    await protectSecretsFile(path, PASSPHRASE);
    const ours = await envelopeOf();
    // What another process does: unprotect and protect again, which draws a new salt.
    await unprotectSecretsFile(path, PASSPHRASE);
    await protectSecretsFile(path, 'another passphrase 2');
    const theirs = await readFile(path, 'utf8');
    // This process still holds the first key: bring it back by unlocking a copy of the first envelope.
    const copy = join(dir, 'copy.secrets');
    await writeFile(copy, JSON.stringify({ campanelProtected: ours }, null, 4), { mode: 0o600 });
    await unlockSecretsFile(copy, PASSPHRASE);
    await writeFile(copy, theirs);
    expect(await inspectSecretsFile(copy)).toMatchObject({ problem: 'locked' });
    expect(await secretsLockState(copy)).toEqual({ configured: true, protected: true, locked: true });
  });
});

describe('secretsLockState', () => {
  it('says what the file is, in every state', async () => {
    expect(await secretsLockState('')).toEqual({ configured: false, protected: false, locked: false });
    expect(await secretsLockState(path)).toEqual({ configured: true, protected: false, locked: false });
    expect(await secretsLockState(join(dir, 'missing'))).toEqual({ configured: true, protected: false, locked: false });
    await protectSecretsFile(path, PASSPHRASE);
    expect(await secretsLockState(path)).toEqual({ configured: true, protected: true, locked: false });
    forgetUnlockedSecrets();
    expect(await secretsLockState(path)).toEqual({ configured: true, protected: true, locked: true });
  });
});

function flipFirstByte(base64: string): string {
  const bytes = Buffer.from(base64, 'base64');
  bytes[0] = (bytes[0] ?? 0) ^ 0x01;
  return bytes.toString('base64');
}
