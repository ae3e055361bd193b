import { passwordSchema, userNameSchema } from '../../../shared/domain';
import type { FieldErrors } from './field-errors';

export const PASSWORDS_DIFFER = 'The passwords do not match';

/** Checks a new password and its repetition with the contract's own rules. */
export function newPasswordErrors(password: string, repeat: string, field = 'password', repeatField = 'repeat'): FieldErrors {
  const errors: FieldErrors = {};
  const parsed = passwordSchema.safeParse(password);
  if (!parsed.success) errors[field] = parsed.error.issues[0]?.message ?? 'Invalid password';
  else if (password !== repeat) errors[repeatField] = PASSWORDS_DIFFER;
  return errors;
}

export function userNameError(name: string): string | null {
  const parsed = userNameSchema.safeParse(name);
  return parsed.success ? null : (parsed.error.issues[0]?.message ?? 'Invalid name');
}
