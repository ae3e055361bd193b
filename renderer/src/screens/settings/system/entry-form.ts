/**
 * The config entry form (Add and Edit): text inputs in, the contract's SaveConfigEntry (or messages per field)
 * out. Password values are write-only here: editing one shows a blank value, and blank keeps the stored one.
 */
import { saveConfigEntrySchema, type ConfigEntryView, type SaveConfigEntry } from '../../../../../shared/domain';
import type { FieldErrors } from '../../../forms/field-errors';
import { fieldErrorsByPath } from '../../../store/camera-settings/draft';
import { isPasswordType } from '../../../store/system/selectors';

export interface EntryFormValues {
  key: string;
  value: string;
  type: string;
  desc: string;
}

export const EMPTY_ENTRY: EntryFormValues = { key: '', value: '', type: '', desc: '' };

/** A masked (password) value starts blank: it is never fetched to be edited. */
export const toEntryValues = (entry: ConfigEntryView): EntryFormValues => ({
  key: entry.key,
  value: entry.masked ? '' : (entry.value ?? ''),
  type: entry.type,
  desc: entry.desc,
});

export const KEY_EXISTS = 'An entry with this key exists: use Edit in the list to change it.';
export const RETYPE_VALUE = 'Type the value: it is no longer stored as a password.';

export interface EntryFormContext {
  /** The entry being edited (its key is fixed), or null when adding. */
  editing: ConfigEntryView | null;
  /** Keys in the table, so that Add never overwrites one unseen. */
  existingKeys: readonly string[];
  /** Why password values cannot be written now, or null. */
  passwordsUnavailable: string | null;
}

export type EntryFormCheck = { ok: true; entry: SaveConfigEntry } | { ok: false; fields: FieldErrors };

export function checkEntryForm(values: EntryFormValues, context: EntryFormContext): EntryFormCheck {
  const { editing, existingKeys, passwordsUnavailable } = context;
  const type = values.type.trim();
  // Blank keeps a stored password only while it stays a password; otherwise the value must be typed.
  const keepsPassword = editing !== null && editing.masked && values.value === '';
  const entry = {
    key: editing ? editing.key : values.key.trim(),
    value: keepsPassword ? null : values.value,
    type,
    desc: values.desc.trim(),
  };
  const parsed = saveConfigEntrySchema.safeParse(entry);
  const fields = parsed.success ? {} : fieldErrorsByPath(parsed.error.issues);
  if (!editing && !fields.key && existingKeys.includes(entry.key)) fields.key = KEY_EXISTS;
  if (keepsPassword && !isPasswordType(type)) fields.value ??= RETYPE_VALUE;
  // Refused before sending: a password value is written encrypted with the secrets file's key.
  if (isPasswordType(type) && entry.value !== null && passwordsUnavailable) fields.type ??= passwordsUnavailable;
  if (Object.keys(fields).length > 0 || !parsed.success) return { ok: false, fields };
  return { ok: true, entry: parsed.data };
}
