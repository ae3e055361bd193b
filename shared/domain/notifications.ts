import { z } from 'zod';
import { hostSchema, portSchema } from './api.js';
import { LIMITS } from './limits.js';

/**
 * How the mail client talks to the server: `none` plain SMTP (port 25 or a local relay), `starttls`
 * plain then upgraded (port 587; refused when the server does not offer it), `tls` TLS from the first byte (465).
 */
export const mailTlsModeSchema = z.enum(['none', 'starttls', 'tls']);
export type MailTlsMode = z.infer<typeof mailTlsModeSchema>;

/** A mail address as typed: one address, no display name; checked loosely (the server has the last word). */
export const mailAddressSchema = z
  .string()
  .max(LIMITS.mailAddress, `At most ${LIMITS.mailAddress} characters`)
  .regex(/^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+$/, 'Enter one mail address, such as camera@example.org');

/**
 * Settings → Notifications, as stored in the settings store. The password is never here: it lives in the
 * secrets file's `eventnotification` section, as raspiCamSrv keeps it. Blank host = notifications off.
 */
export const notificationSettingsSchema = z.strictObject({
  host: z.union([z.literal(''), hostSchema]),
  port: portSchema,
  tls: mailTlsModeSchema,
  user: z.string().max(LIMITS.mailAddress, `At most ${LIMITS.mailAddress} characters`),
  sender: z.union([z.literal(''), mailAddressSchema]),
  recipient: z.union([z.literal(''), mailAddressSchema]),
});
export type NotificationSettings = z.infer<typeof notificationSettingsSchema>;

export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettings = {
  host: '',
  port: 587,
  tls: 'starttls',
  user: '',
  sender: '',
  recipient: '',
};

export const notificationViewSchema = z.strictObject({
  settings: notificationSettingsSchema,
  /** A mail password is stored in the secrets file (its value never leaves the main process). */
  passwordSet: z.boolean(),
  /** Why the password cannot be stored or read now (no secrets file configured, secrets locked…); null when it can. */
  passwordUnavailable: z.string().nullable(),
  /** The settings were first taken from an existing raspiCamSrv `eventnotification` section. */
  importedFromSecrets: z.boolean(),
});
export type NotificationView = z.infer<typeof notificationViewSchema>;

export const saveNotificationsSchema = z.strictObject({
  settings: notificationSettingsSchema,
  /** Absent: keep the stored password; '' removes it; anything else replaces it. */
  password: z.string().max(LIMITS.password, `At most ${LIMITS.password} characters`).optional(),
});
export type SaveNotifications = z.infer<typeof saveNotificationsSchema>;

/** What a test mail did, in words the panel shows as they are. */
export const mailTestResultSchema = z.strictObject({
  ok: z.boolean(),
  message: z.string(),
});
export type MailTestResult = z.infer<typeof mailTestResultSchema>;
