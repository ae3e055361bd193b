import type { PanelErrorBody } from '../../../shared/contract';
import type { z } from 'zod';

export type FieldErrors = Record<string, string>;

/** The first message per top-level field of a zod error. */
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? '');
    if (!(key in fields)) fields[key] = issue.message;
  }
  return fields;
}

export const hasErrors = (fields: FieldErrors): boolean => Object.keys(fields).length > 0;

export const CORRECT_MARKED_FIELDS = 'Nothing was stored. Please correct the marked fields.';

/**
 * The message above a form's button for a refused submit. When the server's message is already
 * shown beside a field, it is not repeated: one place per message.
 */
export function formErrorText(error: PanelErrorBody): string {
  const fieldMessages = Object.values(error.fields ?? {});
  return fieldMessages.includes(error.message) ? CORRECT_MARKED_FIELDS : error.message;
}
