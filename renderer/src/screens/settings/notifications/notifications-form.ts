/**
 * The Notifications form: text inputs in, the contract's SaveNotifications (or messages per field) out. Messages
 * are keyed by full path ("settings.host", "password"), as the main process keys its refusals. The password is
 * write-only: the form only says whether to keep, replace or remove it.
 */
import { saveNotificationsSchema, type MailTlsMode, type NotificationSettings, type SaveNotifications } from '../../../../../shared/domain';
import type { FieldErrors } from '../../../forms/field-errors';
import { fieldErrorsByPath } from '../../../store/camera-settings/draft';
import { parseNumberField } from '../api/api-form';

export interface NotificationFormValues {
  host: string;
  port: string;
  tls: MailTlsMode;
  user: string;
  sender: string;
  recipient: string;
}

/** keep: send no password (blank typed counts as keep); set: replace it; remove: delete the stored one. */
export type PasswordChoice = { mode: 'keep' } | { mode: 'set'; value: string } | { mode: 'remove' };

export const toNotificationValues = (s: NotificationSettings): NotificationFormValues => ({
  host: s.host,
  port: String(s.port),
  tls: s.tls,
  user: s.user,
  sender: s.sender,
  recipient: s.recipient,
});

/** The request's password: absent keeps the stored one, '' removes it, anything else replaces it. */
export function passwordOf(choice: PasswordChoice): string | undefined {
  if (choice.mode === 'remove') return '';
  if (choice.mode === 'set' && choice.value !== '') return choice.value;
  return undefined;
}

/** Whether Save would change anything (the test mail uses the stored settings). */
export const notificationsDirty = (values: NotificationFormValues, stored: NotificationSettings, choice: PasswordChoice): boolean =>
  JSON.stringify(values) !== JSON.stringify(toNotificationValues(stored)) || passwordOf(choice) !== undefined;

export type NotificationFormCheck = { ok: true; request: SaveNotifications } | { ok: false; fields: FieldErrors };

export function checkNotificationsForm(values: NotificationFormValues, choice: PasswordChoice, passwordUnavailable: string | null): NotificationFormCheck {
  const password = passwordOf(choice);
  const request = {
    settings: {
      host: values.host.trim(),
      port: parseNumberField(values.port),
      tls: values.tls,
      user: values.user.trim(),
      sender: values.sender.trim(),
      recipient: values.recipient.trim(),
    },
    ...(password === undefined ? {} : { password }),
  };
  const parsed = saveNotificationsSchema.safeParse(request);
  const fields = parsed.success ? {} : fieldErrorsByPath(parsed.error.issues);
  // Refused before sending: the password lives in the secrets file, which cannot be written now.
  if (password !== undefined && passwordUnavailable) fields.password ??= passwordUnavailable;
  if (!parsed.success || Object.keys(fields).length > 0) return { ok: false, fields };
  return { ok: true, request: parsed.data };
}
