/**
 * The setDefault keys as values CamPanel acts on (the network login limiter reads maxFailCount and
 * resetFailCount). privacyIDEA stores them unchecked; CamPanel checks them on every way in (setDefault,
 * setConfig, the panel), since a stored "abc" would otherwise silently turn a lock-out rule off.
 */
import { DEFAULT_KEYS, DEFAULT_SYSTEM_DEFAULTS, systemDefaultsSchema, type SystemDefaults } from '../../shared/domain.js';

export type DefaultField = keyof SystemDefaults;

/** privacyIDEA's order: setDefault writes and reports them in this order. */
export const DEFAULT_FIELDS_IN_ORDER: readonly DefaultField[] = ['maxFailCount', 'syncWindow', 'countWindow', 'otpLen', 'resetFailCount'];

/** Stored name → panel field, for the exact (case-sensitive) stored names. */
export const DEFAULT_FIELD_BY_KEY: ReadonlyMap<string, DefaultField> = new Map(
  DEFAULT_FIELDS_IN_ORDER.map((field) => [DEFAULT_KEYS[field], field] as const),
);

const WHOLE_NUMBER = /^[0-9]{1,9}$/;
const BOOLEAN_WORDS: ReadonlyMap<string, boolean> = new Map([
  ['true', true],
  ['1', true],
  ['false', false],
  ['0', false],
]);

type Parsed<T> = { ok: true; value: T; stored: string } | { ok: false; message: string };

/** A stored or submitted text as the field's value, with the text to store ("007" → "7", "true" → "True"). */
export function parseDefault<F extends DefaultField>(field: F, text: string): Parsed<SystemDefaults[F]> {
  const trimmed = text.trim();
  if (field === 'resetFailCount') {
    const value = BOOLEAN_WORDS.get(trimmed.toLowerCase());
    if (value === undefined) return { ok: false, message: 'Enter True or False' };
    return { ok: true, value: value as SystemDefaults[F], stored: value ? 'True' : 'False' };
  }
  if (!WHOLE_NUMBER.test(trimmed)) return { ok: false, message: field === 'otpLen' ? 'An OTP has 6 or 8 digits' : 'Enter a whole number of 0 or more' };
  const checked = systemDefaultsSchema.shape[field].safeParse(Number(trimmed));
  if (!checked.success) return { ok: false, message: checked.error.issues[0]?.message ?? 'Not valid' };
  return { ok: true, value: checked.data as SystemDefaults[F], stored: String(checked.data) };
}

/** A panel value as the text to store. */
export const storedDefault = (field: DefaultField, value: SystemDefaults[DefaultField]): string =>
  field === 'resetFailCount' ? (value ? 'True' : 'False') : String(value);

/** The defaults from stored texts; a missing or unusable one (a hand-edited file) takes the built-in default. */
export function readDefaults(stored: (key: string) => string | null | undefined): SystemDefaults {
  const result: SystemDefaults = { ...DEFAULT_SYSTEM_DEFAULTS };
  for (const field of DEFAULT_FIELDS_IN_ORDER) {
    const text = stored(DEFAULT_KEYS[field]);
    if (text === null || text === undefined) continue;
    const parsed = parseDefault(field, text);
    if (parsed.ok) Object.assign(result, { [field]: parsed.value });
  }
  return result;
}
