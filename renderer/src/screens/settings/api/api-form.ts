/** The API settings form: text inputs in, the contract's ApiSettings (or messages per field) out. */
import { apiSettingsSchema, type ApiSettings } from '../../../../../shared/domain';
import { fieldErrorsOf, type FieldErrors } from '../../../forms/field-errors';

export interface ApiFormValues {
  secretsFilePath: string;
  accessTokenMinutes: string;
  refreshTokenDays: string;
  host: string;
  port: string;
}

export const toFormValues = (s: ApiSettings): ApiFormValues => ({
  secretsFilePath: s.secretsFilePath,
  accessTokenMinutes: String(s.accessTokenMinutes),
  refreshTokenDays: String(s.refreshTokenDays),
  host: s.host,
  port: String(s.port),
});

/** A blank number field is "not a number", never 0. */
export function parseNumberField(text: string): number {
  const trimmed = text.trim();
  if (trimmed === '' || !/^-?\d+(\.\d+)?$/.test(trimmed)) return Number.NaN;
  return Number(trimmed);
}

export type ApiFormCheck = { ok: true; settings: ApiSettings } | { ok: false; fields: FieldErrors };

export function checkApiForm(values: ApiFormValues): ApiFormCheck {
  const parsed = apiSettingsSchema.safeParse({
    secretsFilePath: values.secretsFilePath.trim(),
    accessTokenMinutes: parseNumberField(values.accessTokenMinutes),
    refreshTokenDays: parseNumberField(values.refreshTokenDays),
    host: values.host.trim(),
    port: parseNumberField(values.port),
  });
  return parsed.success ? { ok: true, settings: parsed.data } : { ok: false, fields: fieldErrorsOf(parsed.error) };
}
