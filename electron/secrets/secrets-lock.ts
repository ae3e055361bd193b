/**
 * Protecting the secrets file with a passphrase, unlocking it after a start, and removing the protection
 * (the format is in secrets-protection.ts). A wrong passphrase never changes the file, and nothing here
 * puts the passphrase into a message or a log.
 */
import { newPassphraseSchema, type SecretsLock } from '../../shared/domain.js';
import { DomainError } from '../core/errors.js';
import { readRawSecretsFile, withSecretsFile, writeSecretsText } from './secrets-document.js';
import { MSG_NO_PATH, missingMessage, resolveTarget } from './secrets-file.js';
import {
  decryptDocument,
  deriveKey,
  deriveNewKey,
  forgetUnlockedKey,
  kdfOf,
  keyFits,
  rememberUnlockedKey,
  unlockedKeyFor,
  type ProtectedEnvelope,
} from './secrets-protection.js';

/**
 * notLocked: nothing to unlock (not protected, or unlocked already); wrongPassphrase: the passphrase does not
 * open the file (or the file was changed); notProtected: nothing to unprotect; alreadyProtected: protect on a
 * protected file; noFile: no path configured, or no file at it.
 */
export type SecretsLockReason = 'notLocked' | 'wrongPassphrase' | 'notProtected' | 'alreadyProtected' | 'noFile';

export class SecretsLockError extends DomainError {
  constructor(
    readonly reason: SecretsLockReason,
    message: string,
  ) {
    // A wrong passphrase belongs beside the passphrase field; the rest are about the file's state.
    super(...lockErrorBody(reason, message));
    this.name = 'SecretsLockError';
  }
}

function lockErrorBody(reason: SecretsLockReason, message: string): ConstructorParameters<typeof DomainError> {
  if (reason === 'wrongPassphrase') return ['invalid', message, { passphrase: message }];
  return [reason === 'noFile' ? 'invalid' : 'conflict', message];
}

const TEXTS = {
  nothingToUnlock: 'The secrets file is not protected with a passphrase, so there is nothing to unlock',
  alreadyUnlocked: 'The secrets file is already unlocked',
  notProtected: 'The secrets file is not protected with a passphrase',
  alreadyProtected: 'The secrets file is already protected with a passphrase; remove the protection first to choose another one',
  wrongToUnlock: 'Wrong passphrase (or the file was changed since it was protected): the secrets file stays locked',
  wrongToUnprotect: 'Wrong passphrase (or the file was changed since it was protected): the secrets file stays protected',
} as const;

const UNLOCKED: SecretsLock = { configured: true, protected: true, locked: false };
const PLAIN: SecretsLock = { configured: true, protected: false, locked: false };

/**
 * What the file is, as this process sees it. A file that cannot be read (bad mode, not JSON, …) counts as not
 * protected: the API tab's banner names its problem.
 */
export async function secretsLockState(path: string): Promise<SecretsLock> {
  if (path.trim() === '') return { configured: false, protected: false, locked: false };
  const target = await resolveTarget(path);
  if (!target.ok) return PLAIN;
  const raw = await readRawSecretsFile(target.resolvedPath);
  if (raw.kind !== 'protected') return PLAIN;
  // The rule readSecretsDocument applies: a key for this salt and these parameters, or the passphrase again.
  const unlocked = unlockedKeyFor(target.resolvedPath);
  return unlocked && keyFits(unlocked, raw.envelope) ? UNLOCKED : { configured: true, protected: true, locked: true };
}

/** Unlocks a protected file for this process: the API (re)started afterwards can read its key. */
export async function unlockSecretsFile(path: string, passphrase: string): Promise<SecretsLock> {
  const resolvedPath = await existingTarget(path);
  return withSecretsFile(resolvedPath, async () => {
    const envelope = await protectedEnvelope(resolvedPath, 'notLocked', TEXTS.nothingToUnlock);
    const current = unlockedKeyFor(resolvedPath);
    if (current && decryptDocument(envelope, current) !== null) throw new SecretsLockError('notLocked', TEXTS.alreadyUnlocked);
    const unlocked = await deriveKey(passphrase, kdfOf(envelope));
    if (decryptDocument(envelope, unlocked) === null) throw new SecretsLockError('wrongPassphrase', TEXTS.wrongToUnlock);
    rememberUnlockedKey(resolvedPath, unlocked);
    return UNLOCKED;
  });
}

/**
 * Encrypts the file with a new passphrase; this process keeps it unlocked. The document is encrypted exactly as
 * it is on disk, so removing the protection later gives back the same bytes.
 */
export async function protectSecretsFile(path: string, passphrase: string): Promise<SecretsLock> {
  // The entry points check it too; here it guards every caller, the file being what an offline guess attacks.
  const strong = newPassphraseSchema.safeParse(passphrase);
  if (!strong.success) {
    const message = strong.error.issues[0]?.message ?? 'Choose a longer passphrase';
    throw new DomainError('invalid', message, { passphrase: message });
  }
  const resolvedPath = await existingTarget(path);
  return withSecretsFile(resolvedPath, async () => {
    const raw = await readRawSecretsFile(resolvedPath);
    if (raw.kind === 'missing') throw new SecretsLockError('noFile', missingMessage(resolvedPath));
    if (raw.kind === 'refused') throw new DomainError('invalid', raw.message);
    if (raw.kind === 'protected') throw new SecretsLockError('alreadyProtected', TEXTS.alreadyProtected);
    const unlocked = await deriveNewKey(passphrase);
    const failed = await writeSecretsText(resolvedPath, raw.text, unlocked);
    if (failed !== null) throw new DomainError('invalid', failed);
    rememberUnlockedKey(resolvedPath, unlocked);
    return UNLOCKED;
  });
}

/** Writes the file in clear again; the current passphrase confirms it, even when the file is unlocked. */
export async function unprotectSecretsFile(path: string, passphrase: string): Promise<SecretsLock> {
  const resolvedPath = await existingTarget(path);
  return withSecretsFile(resolvedPath, async () => {
    const envelope = await protectedEnvelope(resolvedPath, 'notProtected', TEXTS.notProtected);
    const plaintext = decryptDocument(envelope, await deriveKey(passphrase, kdfOf(envelope)));
    if (plaintext === null) throw new SecretsLockError('wrongPassphrase', TEXTS.wrongToUnprotect);
    const failed = await writeSecretsText(resolvedPath, plaintext, null);
    if (failed !== null) throw new DomainError('invalid', failed);
    forgetUnlockedKey(resolvedPath);
    return PLAIN;
  });
}

/** The resolved path of a configured, usable location; the file itself is read later. */
async function existingTarget(path: string): Promise<string> {
  if (path.trim() === '') throw new SecretsLockError('noFile', MSG_NO_PATH);
  const target = await resolveTarget(path);
  if (!target.ok) throw new DomainError('invalid', target.message);
  return target.resolvedPath;
}

/** The envelope of a protected file; anything else is refused with `reason` (or as unusable, or missing). */
async function protectedEnvelope(resolvedPath: string, plainReason: SecretsLockReason, plainMessage: string): Promise<ProtectedEnvelope> {
  const raw = await readRawSecretsFile(resolvedPath);
  if (raw.kind === 'missing') throw new SecretsLockError('noFile', missingMessage(resolvedPath));
  if (raw.kind === 'refused') throw new DomainError('invalid', raw.message);
  if (raw.kind === 'plain') throw new SecretsLockError(plainReason, plainMessage);
  return raw.envelope;
}
