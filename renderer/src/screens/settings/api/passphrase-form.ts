/** The secrets file passphrase forms (Protect, Remove protection, Unlock), checked with the contract's rules. */
import { newPassphraseSchema, passphraseSchema } from '../../../../../shared/domain';
import type { FieldErrors } from '../../../forms/field-errors';

export const PASSPHRASES_DIFFER = 'The passphrases do not match';

/** A passphrase is taken as typed: spaces count, so nothing is trimmed. */
export function passphraseError(passphrase: string): string | null {
  const parsed = passphraseSchema.safeParse(passphrase);
  return parsed.success ? null : (parsed.error.issues[0]?.message ?? 'Enter the passphrase');
}

/** A new passphrase (long enough) and its repetition; keys `passphrase` and `repeat`. */
export function newPassphraseErrors(passphrase: string, repeat: string): FieldErrors {
  const parsed = newPassphraseSchema.safeParse(passphrase);
  if (!parsed.success) return { passphrase: parsed.error.issues[0]?.message ?? 'Use at least 12 characters' };
  return passphrase === repeat ? {} : { repeat: PASSPHRASES_DIFFER };
}
