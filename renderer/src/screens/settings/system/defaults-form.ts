/** The defaults form (setDefault's keys): text inputs in, the contract's SystemDefaults (or messages per field) out. */
import { systemDefaultsSchema, type SystemDefaults } from '../../../../../shared/domain';
import type { FieldErrors } from '../../../forms/field-errors';
import { fieldErrorsByPath } from '../../../store/camera-settings/draft';
import { parseNumberField } from '../api/api-form';

export interface DefaultsFormValues {
  maxFailCount: string;
  resetFailCount: boolean;
  otpLen: string;
  syncWindow: string;
  countWindow: string;
}

export const toDefaultsValues = (d: SystemDefaults): DefaultsFormValues => ({
  maxFailCount: String(d.maxFailCount),
  resetFailCount: d.resetFailCount,
  otpLen: String(d.otpLen),
  syncWindow: String(d.syncWindow),
  countWindow: String(d.countWindow),
});

export type DefaultsFormCheck = { ok: true; defaults: SystemDefaults } | { ok: false; fields: FieldErrors };

export function checkDefaultsForm(values: DefaultsFormValues): DefaultsFormCheck {
  const parsed = systemDefaultsSchema.safeParse({
    maxFailCount: parseNumberField(values.maxFailCount),
    resetFailCount: values.resetFailCount,
    otpLen: parseNumberField(values.otpLen),
    syncWindow: parseNumberField(values.syncWindow),
    countWindow: parseNumberField(values.countWindow),
  });
  return parsed.success ? { ok: true, defaults: parsed.data } : { ok: false, fields: fieldErrorsByPath(parsed.error.issues) };
}
