/**
 * Passphrase protection of the secrets file (the /system API's "hsm"). A protected file holds one section,
 *
 *   { "campanelProtected": { "version": 1, "kdf": "scrypt", "N": 32768, "r": 8, "p": 1,
 *                            "salt": b64, "iv": b64, "tag": b64, "ciphertext": b64 } }
 *
 * where the ciphertext is the whole JSON document (jwtSecrets, eventnotification, campanelConfig, …) encrypted
 * with AES-256-GCM under a key derived from the passphrase with scrypt. The associated data binds the version
 * and the KDF parameters, so changing any of them (or the salt, iv, tag or ciphertext) makes decryption fail.
 *
 * raspiCamSrv cannot read a protected file: protecting it is the user's choice for a file only CamPanel uses
 * (docs/compatibility.md), and removing the protection gives back the plain file.
 *
 * After an unlock (or a protect) the derived key stays in this process's keyring, so reads decrypt and writes
 * re-encrypt (a fresh IV each time) without asking again; a new process starts locked. The passphrase itself
 * is never kept.
 */
import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCallback, type ScryptOptions } from 'node:crypto';
import { z } from 'zod';

/** The one key of a protected file. */
export const PROTECTED_SECTION = 'campanelProtected';
const VERSION = 1;
/** scrypt's cost for new files: 32 MiB and about 0.1 s on a PC (a few tenths of a second on a Pi), per guess. */
const NEW_FILE_PARAMS = { N: 32768, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
/** No file may make us spend more than this on one derivation (the memory scrypt needs is 128·N·r bytes). */
const MAX_SCRYPT_MEMORY = 128 * 1024 * 1024;

const base64Of = (bytes: number | null) =>
  z
    .string()
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64')
    .refine((text) => bytes === null || Buffer.from(text, 'base64').length === bytes, 'wrong length');

const isPowerOfTwo = (n: number): boolean => n > 1 && (n & (n - 1)) === 0;

const envelopeSchema = z
  .strictObject({
    version: z.literal(VERSION),
    kdf: z.literal('scrypt'),
    N: z.number().int().min(2 ** 14).max(2 ** 20).refine(isPowerOfTwo, 'N must be a power of two'),
    r: z.number().int().min(1).max(32),
    p: z.number().int().min(1).max(16),
    salt: base64Of(null).refine((text) => Buffer.from(text, 'base64').length >= SALT_BYTES && text.length <= 128, 'salt of the wrong length'),
    iv: base64Of(IV_BYTES),
    tag: base64Of(TAG_BYTES),
    ciphertext: base64Of(null),
  })
  .refine((envelope) => 128 * envelope.N * envelope.r <= MAX_SCRYPT_MEMORY, 'KDF parameters too costly');

export type ProtectedEnvelope = z.infer<typeof envelopeSchema>;

/** What decrypts a file and encrypts the next write: the derived key and the parameters it was derived with. */
export interface UnlockedKey {
  key: Buffer;
  kdf: { N: number; r: number; p: number; salt: string };
}

/**
 * The parsed file as a protected envelope: null when it is not a protected file at all, a message when it is
 * one this version cannot use (another version, damaged fields).
 */
export function envelopeOf(document: Record<string, unknown>): { envelope: ProtectedEnvelope } | { problem: string } | null {
  if (!Object.hasOwn(document, PROTECTED_SECTION)) return null;
  if (Object.keys(document).length !== 1) return { problem: `has a "${PROTECTED_SECTION}" section beside other sections` };
  const raw = document[PROTECTED_SECTION];
  const version = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)['version'] : undefined;
  if (typeof version === 'number' && version !== VERSION) {
    return { problem: `is protected in a format (version ${version}) this version of CamPanel does not know` };
  }
  const parsed = envelopeSchema.safeParse(raw);
  return parsed.success ? { envelope: parsed.data } : { problem: `has a damaged "${PROTECTED_SECTION}" section` };
}

function scrypt(passphrase: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(passphrase, salt, KEY_BYTES, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/**
 * The key for a passphrase. NFC first: the same passphrase typed on another keyboard or system may arrive
 * composed differently. Asynchronous (libuv's thread pool), so the API and panel keep answering meanwhile.
 */
export async function deriveKey(passphrase: string, kdf: UnlockedKey['kdf']): Promise<UnlockedKey> {
  const { N, r, p } = kdf;
  // Node's default limit (32 MiB) is just below what N = 2^15, r = 8 needs.
  const maxmem = 128 * N * r + 128 * r * p + 1024 * 1024;
  const key = await scrypt(passphrase.normalize('NFC'), Buffer.from(kdf.salt, 'base64'), { N, r, p, maxmem });
  return { key, kdf: { N, r, p, salt: kdf.salt } };
}

export const kdfOf = (envelope: ProtectedEnvelope): UnlockedKey['kdf'] => ({ N: envelope.N, r: envelope.r, p: envelope.p, salt: envelope.salt });

/** A fresh salt with the parameters new files get. */
export function deriveNewKey(passphrase: string): Promise<UnlockedKey> {
  return deriveKey(passphrase, { ...NEW_FILE_PARAMS, salt: randomBytes(SALT_BYTES).toString('base64') });
}

/** What the tag also authenticates: every field except iv, tag and ciphertext. */
function associatedData(kdf: UnlockedKey['kdf']): Buffer {
  return Buffer.from(JSON.stringify([PROTECTED_SECTION, VERSION, 'scrypt', kdf.N, kdf.r, kdf.p, kdf.salt]), 'utf8');
}

/** The protected file's text for `plaintext` (the document as JSON), with a fresh IV. 4-space indent like the plain file. */
export function encryptDocument(plaintext: string, unlocked: UnlockedKey): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', unlocked.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(unlocked.kdf));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const envelope: ProtectedEnvelope = {
    version: VERSION,
    kdf: 'scrypt',
    N: unlocked.kdf.N,
    r: unlocked.kdf.r,
    p: unlocked.kdf.p,
    salt: unlocked.kdf.salt,
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ciphertext: ciphertext.toString('base64'),
  };
  return JSON.stringify({ [PROTECTED_SECTION]: envelope }, null, 4);
}

/** Whether this key was derived for this envelope (same salt and parameters); if not, the file needs its passphrase again. */
export function keyFits(unlocked: UnlockedKey, envelope: ProtectedEnvelope): boolean {
  const { N, r, p, salt } = unlocked.kdf;
  return N === envelope.N && r === envelope.r && p === envelope.p && salt === envelope.salt;
}

/**
 * The plaintext, or null when the tag does not match: a wrong passphrase, or a file changed since it was
 * written. GCM checks the whole tag before anything is returned, in constant time.
 */
export function decryptDocument(envelope: ProtectedEnvelope, unlocked: UnlockedKey): string | null {
  if (!keyFits(unlocked, envelope)) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', unlocked.key, Buffer.from(envelope.iv, 'base64'), { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(unlocked.kdf));
    decipher.setAuthTag(Buffer.from(envelope.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(envelope.ciphertext, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

/**
 * The keys of the files unlocked (or protected) in this process, by resolved path. Module-level on purpose:
 * every reader of the same file in this process (API key, mail credentials, password-typed config values)
 * shares one unlock.
 */
const keyring = new Map<string, UnlockedKey>();

export const unlockedKeyFor = (resolvedPath: string): UnlockedKey | undefined => keyring.get(resolvedPath);

/*
 * Keys are dropped, not zeroed: a read in progress may still hold one, and zeroing it under that read would make
 * its decryption fail (or, worse, a write encrypt under an all-zero key).
 */
export function rememberUnlockedKey(resolvedPath: string, unlocked: UnlockedKey): void {
  keyring.set(resolvedPath, unlocked);
}

export function forgetUnlockedKey(resolvedPath: string): void {
  keyring.delete(resolvedPath);
}

/** Forget every unlocked file, as a new process would (tests; a process that ends forgets anyway). */
export function forgetUnlockedSecrets(): void {
  keyring.clear();
}
