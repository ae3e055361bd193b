/**
 * The secrets file as one JSON document: the checks every use shares (regular file, not a symlink, mode 0600
 * or stricter, at most 1 MiB, a JSON object), the passphrase protection (secrets-protection.ts) applied on the
 * way in and out, and atomic 0600 writes. What the sections mean is for secrets-file.ts (jwtSecrets) and
 * secrets-sections.ts (the others).
 *
 * File contents never reach a message: messages name the path and the problem only.
 */
import { constants as fsConstants } from 'node:fs';
import { chmod, lstat, mkdir, open, stat } from 'node:fs/promises';
import { dirname, join, parse } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../util/atomic-write.js';
import { mayAdviseChmod } from './secrets-location.js';
import {
  decryptDocument,
  encryptDocument,
  envelopeOf,
  keyFits,
  unlockedKeyFor,
  type ProtectedEnvelope,
  type UnlockedKey,
} from './secrets-protection.js';

export type JsonObject = Record<string, unknown>;

/** Plain JSON object (not an array, not null); used to validate, never to copy, so values stay exactly as parsed. */
export const jsonObjectSchema = z.record(z.string(), z.unknown());

/** A secrets file holds a few short strings; anything this large is not one, and is not read into memory. */
const MAX_FILE_BYTES = 1024 * 1024;

/** The file as it is on disk, before any key is applied. */
export type RawRead =
  | { kind: 'missing' }
  | { kind: 'refused'; message: string }
  | { kind: 'plain'; text: string; document: JsonObject }
  | { kind: 'protected'; envelope: ProtectedEnvelope };

/**
 * The document as this process can see it. `protection` is the key the next write must encrypt with (null:
 * written in clear); for a missing file it is the key of a file protected in this process and since removed,
 * so that recreating it does not silently drop the protection. `text` is the document exactly as read.
 */
export type DocumentRead =
  | { kind: 'missing'; protection: UnlockedKey | null }
  | { kind: 'refused'; message: string }
  | { kind: 'locked' }
  | { kind: 'ok'; text: string; document: JsonObject; protection: UnlockedKey | null };

export async function readSecretsDocument(resolvedPath: string): Promise<DocumentRead> {
  const raw = await readRawSecretsFile(resolvedPath);
  if (raw.kind === 'missing') return { kind: 'missing', protection: unlockedKeyFor(resolvedPath) ?? null };
  if (raw.kind === 'refused') return raw;
  if (raw.kind === 'plain') return { kind: 'ok', text: raw.text, document: raw.document, protection: null };
  const unlocked = unlockedKeyFor(resolvedPath);
  // No key, or one for an earlier salt (the file was protected anew, by another process): its passphrase is needed.
  if (!unlocked || !keyFits(unlocked, raw.envelope)) return { kind: 'locked' };
  const text = decryptDocument(raw.envelope, unlocked);
  if (text === null) {
    return refused(`${resolvedPath} cannot be decrypted with the key it was unlocked with: it was changed outside CamPanel or is damaged`);
  }
  const parsed = parseDocumentText(resolvedPath, text);
  return 'message' in parsed ? refused(parsed.message) : { kind: 'ok', text, document: parsed.document, protection: unlocked };
}

export async function readRawSecretsFile(resolvedPath: string): Promise<RawRead> {
  let info;
  try {
    info = await lstat(resolvedPath);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT') {
      const blocker = await findNonDirectoryAncestor(resolvedPath);
      return blocker === null ? { kind: 'missing' } : refused(blocker);
    }
    if (code === 'ENOTDIR') return refused((await findNonDirectoryAncestor(resolvedPath)) ?? describeFsError(resolvedPath, error));
    return refused(describeFsError(resolvedPath, error));
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
    return refused(describeFsError(resolvedPath, error));
  }
  if (text === null) return refused(`${resolvedPath} was replaced while it was being read; try again`);
  const parsed = parseDocumentText(resolvedPath, text);
  if ('message' in parsed) return refused(parsed.message);
  const envelope = envelopeOf(parsed.document);
  if (envelope === null) return { kind: 'plain', text, document: parsed.document };
  if ('problem' in envelope) return refused(`${resolvedPath} ${envelope.problem}`);
  return { kind: 'protected', envelope: envelope.envelope };
}

function refused(message: string): { kind: 'refused'; message: string } {
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

function parseDocumentText(resolvedPath: string, text: string): { document: JsonObject } | { message: string } {
  // An empty file is what raspiCamSrv's own first step (touch) leaves behind; it means "no sections yet".
  if (text.trim() === '') return { document: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // The parser's message quotes the file's content, which may hold a key: never pass it on.
    return { message: `${resolvedPath} does not contain a JSON object (it is not valid JSON)` };
  }
  if (!jsonObjectSchema.safeParse(parsed).success) return { message: `${resolvedPath} does not contain a JSON object` };
  return { document: parsed as JsonObject };
}

/**
 * Replaces the file atomically (0600) with `plaintext`, encrypted when `protection` is given. Returns why it
 * failed, or null.
 */
export async function writeSecretsText(resolvedPath: string, plaintext: string, protection: UnlockedKey | null): Promise<string | null> {
  try {
    await writeFileAtomic(resolvedPath, protection ? encryptDocument(plaintext, protection) : plaintext, { mode: 0o600 });
    return null;
  } catch (error) {
    return `Could not write ${resolvedPath}: ${describeFsError(resolvedPath, error, false)}`;
  }
}

/** The document as raspiCamSrv writes it: 4-space indent, no trailing newline. */
export const documentText = (document: JsonObject): string => JSON.stringify(document, null, 4);

const queues = new Map<string, Promise<unknown>>();

/**
 * Runs read-modify-write steps on one file one at a time in this process, so that, say, a mail password saved
 * while the file is being protected is not lost to the protect's older copy of the document.
 */
export function withSecretsFile<T>(resolvedPath: string, step: () => Promise<T>): Promise<T> {
  const result = (queues.get(resolvedPath) ?? Promise.resolve()).then(step);
  const tail = result.then(
    () => undefined,
    () => undefined,
  );
  queues.set(resolvedPath, tail);
  void tail.then(() => {
    if (queues.get(resolvedPath) === tail) queues.delete(resolvedPath);
  });
  return result;
}

/** Creates the missing directories above the file with 0700; existing ones are left as they are. Returns an error message or null. */
export async function createParentDirectories(resolvedPath: string): Promise<string | null> {
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
