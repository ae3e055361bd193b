/**
 * Domain schemas shared by the main process and the renderer.
 * Every string that crosses a boundary has an upper bound: the contract refuses oversized input before any handler runs.
 */
import { z } from 'zod';

export const LIMITS = {
  userName: 64,
  password: 256,
  path: 1024,
  label: 100,
  host: 253,
  token: 4096,
  jti: 64,
  configJson: 256 * 1024,
  lifetimeMax: 999_999,
} as const;

export const userNameSchema = z
  .string()
  .min(1, 'Name is required')
  .max(LIMITS.userName, `Name is at most ${LIMITS.userName} characters`)
  .regex(/^[A-Za-z0-9._-]+$/, 'Use letters, digits, dot, dash or underscore');

export const passwordSchema = z
  .string()
  .min(8, 'Password must be at least 8 characters')
  .max(LIMITS.password, `Password is at most ${LIMITS.password} characters`);

/** A password typed at login: checked for length only, so a wrong one is just "wrong". */
export const loginPasswordSchema = z.string().min(1).max(LIMITS.password);

export const roleSchema = z.enum(['admin', 'user']);
export type Role = z.infer<typeof roleSchema>;

export const userViewSchema = z.strictObject({
  name: z.string(),
  role: roleSchema,
  initial: z.boolean(),
  locked: z.boolean(),
});
export type UserView = z.infer<typeof userViewSchema>;

/** What the panel shows: which screen, and who is logged in. */
export const sessionStateSchema = z.strictObject({
  phase: z.enum(['firstRun', 'login', 'changePassword', 'ready']),
  user: userViewSchema.nullable(),
});
export type SessionState = z.infer<typeof sessionStateSchema>;

export const lifetimeSchema = z
  .number({ error: 'Enter a whole number' })
  .int('Enter a whole number')
  .min(0, 'Must be 0 or more')
  .max(LIMITS.lifetimeMax, `Must be at most ${LIMITS.lifetimeMax}`);

export const hostSchema = z
  .string()
  .min(1, 'Host is required')
  .max(LIMITS.host)
  .regex(/^[A-Za-z0-9.:-]+$/, 'Enter an IP address or host name');

export const portSchema = z
  .number({ error: 'Enter a port number' })
  .int('Enter a whole number')
  .min(1, 'Port must be 1 to 65535')
  .max(65535, 'Port must be 1 to 65535');

/** Settings → API form. The secrets file path may be blank: blank deactivates the API. */
export const apiSettingsSchema = z.strictObject({
  secretsFilePath: z.string().max(LIMITS.path, `Path is at most ${LIMITS.path} characters`),
  accessTokenMinutes: lifetimeSchema,
  refreshTokenDays: lifetimeSchema,
  host: hostSchema,
  port: portSchema,
});
export type ApiSettings = z.infer<typeof apiSettingsSchema>;

export const generalSettingsSchema = z.strictObject({
  allowApi: z.boolean(),
});
export type GeneralSettings = z.infer<typeof generalSettingsSchema>;

export const settingsSchema = z.strictObject({
  general: generalSettingsSchema,
  api: apiSettingsSchema,
});
export type Settings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  general: { allowApi: false },
  api: { secretsFilePath: '', accessTokenMinutes: 60, refreshTokenDays: 0, host: '0.0.0.0', port: 5000 },
};

export const RECOMMENDED_SECRETS_PATH = '~/.secrets/campanel.secrets';

export const settingsViewSchema = z.strictObject({
  settings: settingsSchema,
  /** Fields of the settings file that were broken and fell back to defaults at start-up. */
  warnings: z.array(z.string()),
  backupPath: z.string().nullable(),
});
export type SettingsView = z.infer<typeof settingsViewSchema>;

export const tokenRecordSchema = z.strictObject({
  jti: z.string(),
  owner: z.string(),
  label: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});
export type TokenRecord = z.infer<typeof tokenRecordSchema>;

export const bannerSchema = z.strictObject({
  colour: z.enum(['red', 'yellow', 'green']),
  message: z.string(),
  restartButton: z.boolean(),
  urls: z.array(z.string()),
});
export type Banner = z.infer<typeof bannerSchema>;

export const apiStatusViewSchema = z.strictObject({
  /** null: the API tab is hidden (API not allowed and not running). */
  banner: bannerSchema.nullable(),
  running: z.boolean(),
  keyPresent: z.boolean(),
  /** Why "Generate Access Token" is disabled; null when it is enabled. */
  generateDisabledReason: z.string().nullable(),
  recommendedPath: z.string(),
  resolvedSecretsPath: z.string().nullable(),
});
export type ApiStatusView = z.infer<typeof apiStatusViewSchema>;
