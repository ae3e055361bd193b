/**
 * The JWT secrets file, in raspiCamSrv's layout: { "jwtSecrets": { "jwtSecretKey": "<key>" }, ...other sections }.
 * CamPanel owns only jwtSecrets.jwtSecretKey; every other section is preserved.
 *
 * The key is never put into a message or thrown error: messages name the path and the problem only.
 */
import { createHash, randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import { isAbsolute, join, normalize } from 'node:path';
import { z } from 'zod';
import {
  createParentDirectories,
  documentText,
  jsonObjectSchema,
  readSecretsDocument,
  withSecretsFile,
  writeSecretsText,
  type DocumentRead,
  type JsonObject,
} from './secrets-document.js';
import { SECRETS_LOCKED } from '../../shared/api-status.js';
import { realLocationProblem, systemLocationProblem } from './secrets-location.js';
import type { UnlockedKey } from './secrets-protection.js';

/**
 * Why a file cannot be used: `missing` (no file at the path), `noKey` (a file without a key), `locked` (a
 * passphrase-protected file not unlocked in this process), or `unusable` (anything else: a bad path, mode,
 * content, location). `missing` and `noKey` can be mended by creating a new key, which the API tab offers only
 * when the user asks for it; `locked` only by the passphrase, never by writing anything.
 */
export type SecretsProblem = 'missing' | 'noKey' | 'locked' | 'unusable';

export type SecretsResult =
  | { ok: true; resolvedPath: string; key: string; keyId: string; generated: boolean }
  | { ok: false; resolvedPath: string | null; message: string; problem: SecretsProblem };

export const MIN_KEY_BYTES = 32;
export const MSG_NO_PATH = 'No JWT Secret Key File Path specified';
const MSG_RELATIVE = 'JWT Secret Key File Path must be an absolute path or start with ~';
/** Says where to unlock; the banner, `campanel api status` and every refusal on a locked file use these words. */
export const MSG_SECRETS_LOCKED = `${SECRETS_LOCKED}: unlock the secrets file with its passphrase (on the API tab, with campanel secrets unlock, or POST /system/hsm)`;

/** Expand a leading "~" to the home directory; returns an absolute path. */
export function expandPath(path: string, home?: string): string {
  const homeDir = home ?? homedir();
  let expanded = path;
  if (path === '~') expanded = homeDir;
  else if (path.startsWith('~/')) expanded = join(homeDir, path.slice(2));
  // "~user/…" is not supported and, like any relative path, would depend on the working directory.
  if (!isAbsolute(expanded)) throw new Error(MSG_RELATIVE);
  return normalize(expanded);
}

/** Fingerprint shown and compared instead of the key; sha256 does not reveal the key. */
export function keyIdOf(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 16);
}

/** The words of the red banner for a configured file that is gone (the API tab matches nothing else). */
export const missingMessage = (resolvedPath: string): string => `secrets file missing: ${resolvedPath}`;
export const noKeyMessage = (resolvedPath: string): string => `secrets file holds no JWT key: ${resolvedPath}`;

/**
 * Read-only check: never creates or writes. Used for the status banner, and by every start and restart
 * of the API: a configured file that has vanished is reported, never silently replaced by a new key
 * (that would break every client's token without a word).
 */
export async function inspectSecretsFile(path: string): Promise<SecretsResult> {
  const target = await resolveTarget(path);
  if (!target.ok) return target;
  const read = await readKeyDocument(target.resolvedPath);
  if (read.kind === 'refused') return refuse(target.resolvedPath, read.message);
  if (read.kind === 'locked') return refuse(target.resolvedPath, MSG_SECRETS_LOCKED, 'locked');
  if (read.kind === 'missing') return refuse(target.resolvedPath, missingMessage(target.resolvedPath), 'missing');
  if (read.key === undefined) return refuse(target.resolvedPath, noKeyMessage(target.resolvedPath), 'noKey');
  return acceptExistingKey(target.resolvedPath, read.key);
}

/**
 * Check, creating directories (0700), the file (0600) and a key when missing. Only for a path the user
 * configures now (Submit with a new path, `api configure`, an import that brings a new path).
 */
export async function ensureSecretsFile(path: string): Promise<SecretsResult> {
  const target = await resolveTarget(path);
  if (!target.ok) return target;
  const { resolvedPath } = target;
  return withSecretsFile(resolvedPath, async () => {
    const read = await readKeyDocument(resolvedPath);
    if (read.kind === 'ok' && read.key !== undefined) return acceptExistingKey(resolvedPath, read.key);
    return writeNewKey(resolvedPath, read);
  });
}

/** Write a fresh 32-byte key atomically, keeping every other section (and the passphrase protection). */
export async function rotateSecretsKey(path: string): Promise<SecretsResult> {
  const target = await resolveTarget(path);
  if (!target.ok) return target;
  const { resolvedPath } = target;
  // The short-key refusal tells the user to rotate, so a short or missing key is no reason to refuse here.
  return withSecretsFile(resolvedPath, async () => writeNewKey(resolvedPath, await readKeyDocument(resolvedPath)));
}

type Failure = Extract<SecretsResult, { ok: false }>;

function refuse(resolvedPath: string | null, message: string, problem: SecretsProblem = 'unusable'): Failure {
  return { ok: false, resolvedPath, message, problem };
}

/** The absolute path, or why it cannot be used: blank, relative, or a system location. */
export async function resolveTarget(path: string): Promise<{ ok: true; resolvedPath: string } | Failure> {
  // Whitespace around a typed path is a slip, not part of a file name (the banner treats blank the same way).
  const trimmed = path.trim();
  if (trimmed === '') return refuse(null, MSG_NO_PATH);
  let resolvedPath: string;
  try {
    resolvedPath = expandPath(trimmed);
  } catch {
    return refuse(null, MSG_RELATIVE);
  }
  const system = systemLocationProblem(resolvedPath) ?? (await realLocationProblem(resolvedPath));
  return system === null ? { ok: true, resolvedPath } : refuse(resolvedPath, system);
}

function acceptExistingKey(resolvedPath: string, key: string): SecretsResult {
  if (Buffer.byteLength(key, 'utf8') < MIN_KEY_BYTES) {
    // Mended like a missing key: by pointing at the right file or creating a new key, never silently.
    return refuse(
      resolvedPath,
      `${resolvedPath} holds a JWT secret key shorter than ${MIN_KEY_BYTES} bytes; it is refused. Create a new key to replace it`,
      'noKey',
    );
  }
  // The key is used as its UTF-8 string, never decoded: raspiCamSrv signs with the string itself.
  return { ok: true, resolvedPath, key, keyId: keyIdOf(key), generated: false };
}

/** The document with its jwtSecrets section checked: a refusal, or the key (undefined when absent). */
type KeyRead =
  | Exclude<DocumentRead, { kind: 'ok' }>
  | { kind: 'ok'; document: JsonObject; key: string | undefined; protection: UnlockedKey | null };

async function readKeyDocument(resolvedPath: string): Promise<KeyRead> {
  const read = await readSecretsDocument(resolvedPath);
  if (read.kind !== 'ok') return read;
  const { document } = read;
  if (!Object.hasOwn(document, 'jwtSecrets')) return { kind: 'ok', document, key: undefined, protection: read.protection };
  const jwtSecrets = document['jwtSecrets'];
  if (!jsonObjectSchema.safeParse(jwtSecrets).success) {
    return { kind: 'refused', message: `${resolvedPath} has a "jwtSecrets" section that is not a JSON object` };
  }
  const rawKey = (jwtSecrets as JsonObject)['jwtSecretKey'];
  const key = z.string().optional().safeParse(rawKey);
  if (!key.success) return { kind: 'refused', message: `${resolvedPath} has a "jwtSecretKey" that is not a string` };
  // "" counts as missing, as in raspiCamSrv: a new key is generated for it.
  return { kind: 'ok', document, key: key.data === '' ? undefined : key.data, protection: read.protection };
}

/** A new key in the document just read (or in a new file); never over a refused or locked file. */
async function writeNewKey(resolvedPath: string, read: KeyRead): Promise<SecretsResult> {
  if (read.kind === 'refused') return refuse(resolvedPath, read.message);
  // Never created or overwritten: only the passphrase can open it, and a new file would lose every section.
  if (read.kind === 'locked') return refuse(resolvedPath, MSG_SECRETS_LOCKED, 'locked');
  if (read.kind === 'missing') {
    const created = await createParentDirectories(resolvedPath);
    if (created !== null) return refuse(resolvedPath, created);
  }
  const document = read.kind === 'ok' ? read.document : {};
  // token_urlsafe(32) equivalent: 32 random bytes, base64url without padding (43 characters).
  const key = randomBytes(32).toString('base64url');
  const existing = document['jwtSecrets'];
  // Modify only jwtSecretKey in the parsed objects, so every other section and key keeps its value and order.
  if (jsonObjectSchema.safeParse(existing).success) (existing as JsonObject)['jwtSecretKey'] = key;
  else document['jwtSecrets'] = { jwtSecretKey: key };
  const failed = await writeSecretsText(resolvedPath, documentText(document), read.protection);
  if (failed !== null) return refuse(resolvedPath, failed);
  return { ok: true, resolvedPath, key, keyId: keyIdOf(key), generated: true };
}
