/**
 * The JWT secrets file, in raspiCamSrv's layout: { "jwtSecrets": { "jwtSecretKey": "<key>" }, ...other sections }.
 * CamPanel owns only jwtSecrets.jwtSecretKey; every other section is preserved.
 *
 * The key is never put into a message or thrown error: messages name the path and the problem only.
 */
import { createHash, randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { chmod, lstat, mkdir, open, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, normalize, parse } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../util/atomic-write.js';
import { mayAdviseChmod, realLocationProblem, systemLocationProblem } from './secrets-location.js';

/**
 * Why a file cannot be used: `missing` (no file at the path), `noKey` (a file without a key), or
 * `unusable` (anything else: a bad path, mode, content, location). The first two can be mended by
 * creating a new key; the API tab offers that only when the user asks for it.
 */
export type SecretsProblem = 'missing' | 'noKey' | 'unusable';

export type SecretsResult =
  | { ok: true; resolvedPath: string; key: string; keyId: string; generated: boolean }
  | { ok: false; resolvedPath: string | null; message: string; problem: SecretsProblem };

export const MIN_KEY_BYTES = 32;
/** A secrets file holds a few short strings; anything this large is not one, and is not read into memory. */
const MAX_FILE_BYTES = 1024 * 1024;
const MSG_NO_PATH = 'No JWT Secret Key File Path specified';
const MSG_RELATIVE = 'JWT Secret Key File Path must be an absolute path or start with ~';

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
  const read = await readSecretsDocument(target.resolvedPath);
  if (read.kind === 'refused') return refuse(target.resolvedPath, read.message);
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
  const read = await readSecretsDocument(target.resolvedPath);
  if (read.kind === 'refused') return refuse(target.resolvedPath, read.message);
  if (read.kind === 'ok' && read.key !== undefined) return acceptExistingKey(target.resolvedPath, read.key);
  if (read.kind === 'missing') {
    const created = await createParentDirectories(target.resolvedPath);
    if (created !== null) return refuse(target.resolvedPath, created);
  }
  return writeNewKey(target.resolvedPath, read.kind === 'ok' ? read.document : {});
}

/** Write a fresh 32-byte key atomically, keeping every other section. */
export async function rotateSecretsKey(path: string): Promise<SecretsResult> {
  const target = await resolveTarget(path);
  if (!target.ok) return target;
  // The short-key refusal tells the user to rotate, so a short or missing key is no reason to refuse here.
  const read = await readSecretsDocument(target.resolvedPath);
  if (read.kind === 'refused') return refuse(target.resolvedPath, read.message);
  if (read.kind === 'missing') {
    const created = await createParentDirectories(target.resolvedPath);
    if (created !== null) return refuse(target.resolvedPath, created);
  }
  return writeNewKey(target.resolvedPath, read.kind === 'ok' ? read.document : {});
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

/** Plain JSON object (not an array, not null); used to validate, never to copy, so values stay exactly as parsed. */
const jsonObjectSchema = z.record(z.string(), z.unknown());
type JsonObject = Record<string, unknown>;

type ReadOutcome =
  | { kind: 'missing' }
  | { kind: 'refused'; message: string }
  | { kind: 'ok'; document: JsonObject; key: string | undefined };

async function readSecretsDocument(resolvedPath: string): Promise<ReadOutcome> {
  let info;
  try {
    info = await lstat(resolvedPath);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT') {
      const blocker = await findNonDirectoryAncestor(resolvedPath);
      return blocker === null ? { kind: 'missing' } : { kind: 'refused', message: blocker };
    }
    if (code === 'ENOTDIR') {
      return { kind: 'refused', message: (await findNonDirectoryAncestor(resolvedPath)) ?? describeFsError(resolvedPath, error) };
    }
    return { kind: 'refused', message: describeFsError(resolvedPath, error) };
  }
  if (info.isSymbolicLink()) return refused(`${resolvedPath} is a symbolic link; give the real file's path`);
  if (info.isDirectory()) return refused(`${resolvedPath} is a directory, not a file`);
  if (!info.isFile()) return refused(`${resolvedPath} is not a regular file`);
  const mode = info.mode & 0o777;
  if ((mode & 0o077) !== 0) {
    const problem = `${resolvedPath} is accessible by group or others (mode ${formatMode(mode)})`;
    return refused(
      mayAdviseChmod(resolvedPath, info.uid)
        ? `${problem}; run chmod 600 ${shellQuote(resolvedPath)}`
        : // Not the user's own file in their home: it may belong to another program, so no advice to change it.
          `${problem}, so it cannot hold a secret key; choose a file only you can read, such as ~/.secrets/campanel.secrets`,
    );
  }
  if (info.size > MAX_FILE_BYTES) return refused(`${resolvedPath} is larger than 1 MiB, so it is not a secrets file`);

  let text: string | null;
  try {
    text = await readNoFollow(resolvedPath, info.ino);
  } catch (error) {
    if (errnoCode(error) === 'ELOOP') return refused(`${resolvedPath} is a symbolic link; give the real file's path`);
    return { kind: 'refused', message: describeFsError(resolvedPath, error) };
  }
  if (text === null) return refused(`${resolvedPath} was replaced while it was being read; try again`);
  return parseSecretsText(resolvedPath, text);
}

function refused(message: string): ReadOutcome {
  return { kind: 'refused', message };
}

/**
 * O_NOFOLLOW plus an inode check: the file read is the one lstat() approved, not something swapped in since.
 * Returns null when it was swapped.
 */
async function readNoFollow(resolvedPath: string, expectedIno: number): Promise<string | null> {
  const handle = await open(resolvedPath, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW);
  try {
    const info = await handle.stat();
    if (info.ino !== expectedIno || !info.isFile()) return null;
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

function parseSecretsText(resolvedPath: string, text: string): ReadOutcome {
  // An empty file is what raspiCamSrv's own first step (touch) leaves behind; it means "no sections yet".
  if (text.trim() === '') return { kind: 'ok', document: {}, key: undefined };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // The parser's message quotes the file's content, which may hold a key: never pass it on.
    return refused(`${resolvedPath} does not contain a JSON object (it is not valid JSON)`);
  }
  const document = jsonObjectSchema.safeParse(parsed).success ? (parsed as JsonObject) : null;
  if (document === null) return refused(`${resolvedPath} does not contain a JSON object`);
  if (!Object.hasOwn(document, 'jwtSecrets')) return { kind: 'ok', document, key: undefined };
  const jwtSecrets = document['jwtSecrets'];
  if (!jsonObjectSchema.safeParse(jwtSecrets).success) {
    return refused(`${resolvedPath} has a "jwtSecrets" section that is not a JSON object`);
  }
  const rawKey = (jwtSecrets as JsonObject)['jwtSecretKey'];
  const key = z.string().optional().safeParse(rawKey);
  if (!key.success) return refused(`${resolvedPath} has a "jwtSecretKey" that is not a string`);
  // "" counts as missing, as in raspiCamSrv: a new key is generated for it.
  return { kind: 'ok', document, key: key.data === '' ? undefined : key.data };
}

async function writeNewKey(resolvedPath: string, document: JsonObject): Promise<SecretsResult> {
  // token_urlsafe(32) equivalent: 32 random bytes, base64url without padding (43 characters).
  const key = randomBytes(32).toString('base64url');
  const existing = document['jwtSecrets'];
  // Modify only jwtSecretKey in the parsed objects, so every other section and key keeps its value and order.
  if (jsonObjectSchema.safeParse(existing).success) (existing as JsonObject)['jwtSecretKey'] = key;
  else document['jwtSecrets'] = { jwtSecretKey: key };
  try {
    // 4-space indent and no trailing newline, as raspiCamSrv writes it.
    await writeFileAtomic(resolvedPath, JSON.stringify(document, null, 4), { mode: 0o600 });
  } catch (error) {
    return refuse(resolvedPath, `Could not write ${resolvedPath}: ${describeFsError(resolvedPath, error, false)}`);
  }
  return { ok: true, resolvedPath, key, keyId: keyIdOf(key), generated: true };
}

/** Creates the missing directories above the file with 0700; existing ones are left as they are. Returns an error message or null. */
async function createParentDirectories(resolvedPath: string): Promise<string | null> {
  const missing: string[] = [];
  let dir = dirname(resolvedPath);
  while (!(await exists(dir))) {
    missing.unshift(dir);
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  for (const created of missing) {
    try {
      await mkdir(created, { mode: 0o700 });
      // mkdir's mode is narrowed by the umask; set it exactly, and only on what we created.
      await chmod(created, 0o700);
    } catch (error) {
      if (errnoCode(error) === 'EEXIST') continue; // created by someone else meanwhile: not ours to chmod
      return `Could not create the directory ${created}: ${describeFsError(created, error, false)}`;
    }
  }
  return null;
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    // Anything but "not there" (e.g. no permission to look) counts as existing; the write then reports the real problem.
    return errnoCode(error) !== 'ENOENT';
  }
}

/** The first ancestor of the path that exists but is not a directory, as a message; null when there is none. */
async function findNonDirectoryAncestor(resolvedPath: string): Promise<string | null> {
  const { root } = parse(resolvedPath);
  const parts = resolvedPath.slice(root.length).split('/').filter(Boolean).slice(0, -1);
  let current = root;
  for (const part of parts) {
    current = join(current, part);
    try {
      // stat, not lstat: a parent that is a symlink to a directory (e.g. a linked home) is fine.
      if (!(await stat(current)).isDirectory()) return `${current} is a file, not a directory, so ${resolvedPath} cannot be used`;
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return null;
      return describeFsError(current, error);
    }
  }
  return null;
}

function errnoCode(error: unknown): string | undefined {
  return error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
}

/** A short reason from the error code only; the raw message is not used, so nothing unexpected leaks. */
function describeFsError(path: string, error: unknown, withPath = true): string {
  const reasons: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'the file system is read-only',
    ENOSPC: 'no space left on the device',
    ELOOP: 'too many symbolic links',
    ENAMETOOLONG: 'the path is too long',
    ENOTDIR: 'a part of the path is not a directory',
    EISDIR: 'it is a directory',
  };
  const code = errnoCode(error);
  const reason = (code !== undefined ? reasons[code] : undefined) ?? (code ? `error ${code}` : 'unexpected error');
  return withPath ? `${path}: ${reason}` : reason;
}

function formatMode(mode: number): string {
  return `0${mode.toString(8).padStart(3, '0')}`;
}

/** Quotes the path in the suggested chmod command only when the shell would split or expand it. */
function shellQuote(path: string): string {
  return /^[\w./@%+=:,-]+$/.test(path) ? path : `'${path.replaceAll("'", `'\\''`)}'`;
}
