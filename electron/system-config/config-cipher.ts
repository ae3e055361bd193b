/**
 * Encryption at rest of password-typed /system config values. privacyIDEA encrypts them with its security
 * module; CamPanel uses AES-256-GCM under a data key kept in the secrets file (section `campanelConfig`), so
 * the config file alone (a backup, a copied data directory) never reveals a password.
 *
 * The config key's name is the additional authenticated data: a ciphertext copied to another key fails to
 * decrypt instead of silently showing one key's password under another name.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { HSM_TEXTS, SystemError } from '../api-server/privacyidea/system-api.js';
import type { SectionFailure, SecretsSections } from '../secrets/secrets-sections.js';

export interface ConfigCipher {
  /** The stored form of `plain` under config key `key`. */
  encrypt(key: string, plain: string): Promise<string>;
  /** The clear value, or FAILED_TO_DECRYPT when this one value cannot be decrypted. */
  decrypt(key: string, stored: string): Promise<string>;
  /** Why password-typed values cannot be stored or read now, in plain words; null when they can. */
  unavailable(): Promise<string | null>;
}

/** What privacyIDEA answers for a password value it cannot decrypt; read paths return it instead of failing. */
export const FAILED_TO_DECRYPT = 'FAILED TO DECRYPT PASSWORD!';

/** The secrets file section holding the data key: `{ "configKey": "<base64 of 32 bytes>" }`. */
export const CONFIG_KEY_SECTION = 'campanelConfig';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const FORMAT = 'v1';
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export interface SecretsFileCipher extends ConfigCipher {
  /** Drops the cached data key, e.g. after the secrets file path changed; the next use reads it again. */
  forgetKey(): void;
}

/** The data key from a section, or null when the section holds none; a key that is there but unusable throws. */
function keyFromSection(section: Record<string, unknown> | undefined): Buffer | null {
  const stored = section?.configKey;
  if (stored === undefined) return null;
  const key = typeof stored === 'string' && BASE64.test(stored) ? Buffer.from(stored, 'base64') : null;
  if (key?.length !== KEY_BYTES) {
    throw new SystemError(
      707,
      `The secrets file's ${CONFIG_KEY_SECTION}.configKey is not a ${KEY_BYTES}-byte base64 key, so password-typed config values cannot be encrypted or decrypted. Restore it from a backup of the secrets file, or remove the section and enter the passwords again.`,
    );
  }
  return key;
}

/** A secrets file that cannot give the key now, as the error the /system API answers with. */
function unavailableError(failure: SectionFailure): SystemError {
  return failure.problem === 'locked' ? new SystemError(707, HSM_TEXTS.notReady) : new SystemError(707, explain(failure));
}

function explain(failure: SectionFailure): string {
  switch (failure.problem) {
    case 'none':
      return 'No secrets file is configured (Settings → API), so password-typed config values cannot be stored or read.';
    case 'locked':
      return 'The secrets file is protected by a passphrase and has not been unlocked since start. Unlock it to store or read password-typed config values.';
    case 'unusable':
      return `The secrets file cannot be used, so password-typed config values cannot be stored or read: ${failure.message}`;
  }
}

export function secretsFileCipher(sections: SecretsSections): SecretsFileCipher {
  let cached: Buffer | null = null;
  // One creation at a time in this process; update() itself keeps another process's key if one appeared.
  let creating: Promise<Buffer> | null = null;

  async function readKey(): Promise<Buffer | null> {
    if (cached) return cached;
    const read = await sections.read(CONFIG_KEY_SECTION);
    if (!read.ok) throw unavailableError(read);
    cached = keyFromSection(read.value);
    return cached;
  }

  async function createKey(): Promise<Buffer> {
    const found: { key: Buffer | null; problem: unknown } = { key: null, problem: null };
    const written = await sections.update(CONFIG_KEY_SECTION, (current) => {
      // Written between our read and this update (another CamPanel on the same file): keep it, or every
      // value it encrypted would become unreadable. An unusable one is left alone for the same reason.
      try {
        found.key = keyFromSection(current);
      } catch (problem) {
        found.problem = problem;
        return current;
      }
      if (found.key) return current;
      found.key = randomBytes(KEY_BYTES);
      return { ...current, configKey: found.key.toString('base64') };
    });
    if (!written.ok) throw unavailableError(written);
    if (found.problem !== null) throw found.problem;
    if (!found.key) throw new SystemError(707, 'The config encryption key could not be created.');
    cached = found.key;
    return found.key;
  }

  async function keyForWriting(): Promise<Buffer> {
    const key = await readKey();
    if (key) return key;
    creating ??= createKey().finally(() => {
      creating = null;
    });
    return creating;
  }

  return {
    async encrypt(name, plain) {
      const key = await keyForWriting();
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(name, 'utf8'));
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [FORMAT, iv.toString('base64'), cipher.getAuthTag().toString('base64'), data.toString('base64')].join(':');
    },

    async decrypt(name, stored) {
      // No key yet means nothing was ever encrypted with one: whatever is stored cannot be decrypted.
      const key = await readKey();
      if (!key) return FAILED_TO_DECRYPT;
      const parts = stored.split(':');
      if (parts.length !== 4 || parts[0] !== FORMAT || !parts.slice(1).every((part) => BASE64.test(part))) return FAILED_TO_DECRYPT;
      const [iv, tag, data] = parts.slice(1).map((part) => Buffer.from(part, 'base64')) as [Buffer, Buffer, Buffer];
      if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) return FAILED_TO_DECRYPT;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
        decipher.setAAD(Buffer.from(name, 'utf8'));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
      } catch {
        // Wrong key, another entry's ciphertext, or tampered bytes: the authentication tag does not match.
        return FAILED_TO_DECRYPT;
      }
    },

    async unavailable() {
      const read = await sections.read(CONFIG_KEY_SECTION);
      if (!read.ok) return explain(read);
      try {
        keyFromSection(read.value);
        return null;
      } catch (error) {
        return (error as Error).message;
      }
    },

    forgetKey() {
      cached = null;
    },
  };
}
