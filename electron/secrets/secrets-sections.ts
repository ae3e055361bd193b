/**
 * The sections of the secrets file other than jwtSecrets: raspiCamSrv's `eventnotification` (mail credentials)
 * and CamPanel's `campanelConfig` (the key that encrypts password-typed /system config values). Whoever needs one
 * gets this narrow interface, bound to the configured secrets file path, and never the file itself.
 *
 * Both calls go through the same checks as the JWT key (mode, symlink, location) and keep every other section;
 * on a passphrase-protected file they work on the decrypted document once it is unlocked and write it back
 * encrypted. Failures are answers, not exceptions, with a message fit for the panel (never a secret in it).
 */
import {
  createParentDirectories,
  documentText,
  jsonObjectSchema,
  readSecretsDocument,
  withSecretsFile,
  writeSecretsText,
  type JsonObject,
} from './secrets-document.js';
import { MSG_NO_PATH, MSG_SECRETS_LOCKED, resolveTarget } from './secrets-file.js';
import { PROTECTED_SECTION } from './secrets-protection.js';

export type SectionFailure = {
  ok: false;
  /** none: no secrets file path is configured; locked: protected and not unlocked; unusable: anything else. */
  problem: 'none' | 'locked' | 'unusable';
  message: string;
};

export type SectionRead = { ok: true; value: Record<string, unknown> | undefined } | SectionFailure;
export type SectionWrite = { ok: true } | SectionFailure;

export interface SecretsSections {
  /** The section's object, or undefined when the file or the section does not exist yet. */
  read(section: string): Promise<SectionRead>;
  /**
   * Replace one section with what `update` returns for its current value (undefined removes it). The file is
   * created (0600, directories 0700) when missing; every other section keeps its value and order. Atomic.
   */
  update(section: string, update: (current: Record<string, unknown> | undefined) => Record<string, unknown> | undefined): Promise<SectionWrite>;
}

/**
 * Sections this interface never hands out or replaces: the JWT key (secrets-file.ts owns it), the protected
 * envelope's name, and names that would reach an object's prototype instead of a key.
 */
const RESERVED_SECTIONS = new Set(['jwtSecrets', PROTECTED_SECTION, '__proto__', 'constructor', 'prototype']);

/** The sections of the file at `path()`, read anew on every call so a changed setting applies at once. */
export function secretsSections(path: () => string): SecretsSections {
  return {
    async read(section) {
      const target = await sectionTarget(path(), section);
      if (!target.ok) return target;
      const read = await readSecretsDocument(target.resolvedPath);
      if (read.kind === 'missing') return { ok: true, value: undefined };
      if (read.kind !== 'ok') return readFailure(read);
      return sectionOf(target.resolvedPath, read.document, section);
    },

    async update(section, update) {
      const target = await sectionTarget(path(), section);
      if (!target.ok) return target;
      const { resolvedPath } = target;
      return withSecretsFile(resolvedPath, async (): Promise<SectionWrite> => {
        const read = await readSecretsDocument(resolvedPath);
        if (read.kind === 'refused' || read.kind === 'locked') return readFailure(read);
        const document: JsonObject = read.kind === 'ok' ? read.document : {};
        const current = sectionOf(resolvedPath, document, section);
        if (!current.ok) return current;
        const next = update(current.value);
        if (next === undefined) {
          if (!Object.hasOwn(document, section)) return { ok: true }; // nothing to remove: the file is left as it is
          delete document[section];
        } else {
          // Assigning keeps an existing section's place; a new one goes after the others.
          document[section] = next;
        }
        if (read.kind === 'missing') {
          const created = await createParentDirectories(resolvedPath);
          if (created !== null) return unusable(created);
        }
        const failed = await writeSecretsText(resolvedPath, documentText(document), read.protection);
        return failed === null ? { ok: true } : unusable(failed);
      });
    },
  };
}

const unusable = (message: string): SectionFailure => ({ ok: false, problem: 'unusable', message });

async function sectionTarget(path: string, section: string): Promise<{ ok: true; resolvedPath: string } | SectionFailure> {
  if (path.trim() === '') return { ok: false, problem: 'none', message: MSG_NO_PATH };
  // A programming error, answered like the others so that no caller can reach the key by a name.
  if (RESERVED_SECTIONS.has(section)) return unusable(`"${section}" is not a section of the secrets file that can be read or changed here`);
  const target = await resolveTarget(path);
  return target.ok ? target : unusable(target.message);
}

function readFailure(read: { kind: 'refused'; message: string } | { kind: 'locked' }): SectionFailure {
  return read.kind === 'locked' ? { ok: false, problem: 'locked', message: MSG_SECRETS_LOCKED } : unusable(read.message);
}

function sectionOf(resolvedPath: string, document: JsonObject, section: string): SectionRead {
  if (!Object.hasOwn(document, section)) return { ok: true, value: undefined };
  const value = document[section];
  if (!jsonObjectSchema.safeParse(value).success) return unusable(`${resolvedPath} has a "${section}" section that is not a JSON object`);
  return { ok: true, value: value as Record<string, unknown> };
}
