import { z } from 'zod';
import { LIMITS } from './limits.js';

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

export const DEFAULT_API_SETTINGS: ApiSettings = {
  secretsFilePath: '',
  accessTokenMinutes: 60,
  refreshTokenDays: 0,
  host: '0.0.0.0',
  port: 5000,
};

export const RECOMMENDED_SECRETS_PATH = '~/.secrets/campanel.secrets';

/**
 * What Submit did with the secrets file: `created` (file and key are new), `keyAdded` (the file existed
 * without a key), `existing` (its key is used as it is). The path is absolute, `~` expanded.
 */
export const secretsFileOutcomeSchema = z.strictObject({
  resolvedPath: z.string(),
  outcome: z.enum(['created', 'keyAdded', 'existing']),
});
export type SecretsFileOutcome = z.infer<typeof secretsFileOutcomeSchema>;

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
  /** The configured secrets file (or its key) is missing: offer "point at the right file" and "Create a new key". */
  newKeyButton: z.boolean(),
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
