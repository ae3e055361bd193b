import { z } from 'zod';
import { LIMITS } from './limits.js';

/** The lengths privacyIDEA's config table allows (Key 255, Value/Type/Description 2000). */
export const CONFIG_LIMITS = { key: 255, value: 2000, type: 2000, desc: 2000 } as const;

/**
 * Keys that collide with fixed /system routes (decision 13): setConfig refuses them, since
 * GET /system/<key> could never read them back.
 */
export const RESERVED_CONFIG_KEYS = [
  'documentation',
  'random',
  'nodes',
  'hsm',
  'gpgkeys',
  'names',
  'setConfig',
  'setDefault',
  'test',
] as const;

/** The internal entry every write bumps (privacyIDEA's `__timestamp__`); not writable by hand. */
export const TIMESTAMP_KEY = '__timestamp__';

/** A config key: 1–255 printable characters without `/` (it is a URL path segment), not ending in .type/.desc. */
export const configKeySchema = z
  .string()
  .min(1, 'Enter a key')
  .max(CONFIG_LIMITS.key, `A key is at most ${CONFIG_LIMITS.key} characters`)
  // A key is a URL path segment in GET/DELETE /system/<key>: nothing that would need escaping there.
  .regex(/^[^\s/\\?#%]+$/, 'A key has no spaces, slashes, ?, # or %')
  .refine((key) => [...key].every((c) => c.charCodeAt(0) > 0x1f && c.charCodeAt(0) !== 0x7f), 'A key has no control characters')
  .refine((key) => !/\.(type|desc)$/.test(key), 'A key cannot end in .type or .desc (those set the type and description)')
  .refine((key) => !(RESERVED_CONFIG_KEYS as readonly string[]).includes(key), 'This key is the name of a /system endpoint')
  .refine((key) => key !== TIMESTAMP_KEY, 'This key is kept by CamPanel');

/** `password`: encrypted at rest, masked in the panel; `public`: readable by role user; anything else is a label. */
export const configTypeSchema = z.string().max(CONFIG_LIMITS.type, `A type is at most ${CONFIG_LIMITS.type} characters`);
export const configDescSchema = z.string().max(CONFIG_LIMITS.desc, `A description is at most ${CONFIG_LIMITS.desc} characters`);
export const configValueSchema = z.string().max(CONFIG_LIMITS.value, `A value is at most ${CONFIG_LIMITS.value} characters`);

/** One entry as the System tab shows it. A password value is null (masked) until revealed one by one. */
export const configEntryViewSchema = z.strictObject({
  key: z.string(),
  value: z.string().nullable(),
  type: z.string(),
  desc: z.string(),
  masked: z.boolean(),
});
export type ConfigEntryView = z.infer<typeof configEntryViewSchema>;

/** Add or edit one entry from the panel. value null: keep the stored value (a password edited without retyping it). */
export const saveConfigEntrySchema = z.strictObject({
  key: configKeySchema,
  value: configValueSchema.nullable(),
  type: configTypeSchema,
  desc: configDescSchema,
});
export type SaveConfigEntry = z.infer<typeof saveConfigEntrySchema>;

/**
 * setDefault's keys as the panel edits them (decision 4). maxFailCount: consecutive failed network logins
 * of a user from one client before it is locked out; resetFailCount: a successful login resets that count;
 * the rest are defaults for one-time-password second factors, stored for when they arrive.
 */
export const systemDefaultsSchema = z.strictObject({
  maxFailCount: z.number({ error: 'Enter a whole number' }).int('Enter a whole number').min(0, 'Must be 0 or more').max(1000, 'Must be at most 1000'),
  resetFailCount: z.boolean(),
  otpLen: z.union([z.literal(6), z.literal(8)], { error: 'An OTP has 6 or 8 digits' }),
  syncWindow: z.number({ error: 'Enter a whole number' }).int('Enter a whole number').min(0, 'Must be 0 or more').max(100_000, 'Must be at most 100000'),
  countWindow: z.number({ error: 'Enter a whole number' }).int('Enter a whole number').min(0, 'Must be 0 or more').max(100_000, 'Must be at most 100000'),
});
export type SystemDefaults = z.infer<typeof systemDefaultsSchema>;

/**
 * What applies while nothing is stored. maxFailCount 6: the failure that reaches it locks, which is the network
 * limiter's built-in rule of 5 free failures (docs/compatibility.md §2.1).
 */
export const DEFAULT_SYSTEM_DEFAULTS: SystemDefaults = {
  maxFailCount: 6,
  resetFailCount: true,
  otpLen: 6,
  syncWindow: 1000,
  countWindow: 10,
};

/** The stored names of the defaults (privacyIDEA's), by panel field. */
export const DEFAULT_KEYS = {
  maxFailCount: 'DefaultMaxFailCount',
  syncWindow: 'DefaultSyncWindow',
  countWindow: 'DefaultCountWindow',
  otpLen: 'DefaultOtpLen',
  resetFailCount: 'DefaultResetFailCount',
} as const satisfies Record<keyof SystemDefaults, string>;

export const nodeNameSchema = z
  .string()
  .trim()
  .min(1, 'Enter a name')
  .max(LIMITS.label, `A name is at most ${LIMITS.label} characters`);
export const nodeUuidSchema = z.uuid({ error: 'Enter a UUID such as 123e4567-e89b-42d3-a456-426614174000' });

export const nodeSchema = z.strictObject({ name: z.string(), uuid: z.string() });
export type NodeInfo = z.infer<typeof nodeSchema>;

/** The secrets file's passphrase protection (the /system "hsm"). */
export const secretsLockSchema = z.strictObject({
  /** No secrets file configured: nothing to protect. */
  configured: z.boolean(),
  /** The file on disk is encrypted with a passphrase. */
  protected: z.boolean(),
  /** Protected and not unlocked since start: the API stays inactive until an admin unlocks it. */
  locked: z.boolean(),
});
export type SecretsLock = z.infer<typeof secretsLockSchema>;

export const passphraseSchema = z
  .string()
  .min(1, 'Enter the passphrase')
  .max(LIMITS.password, `A passphrase is at most ${LIMITS.password} characters`);
/** A new passphrase: long enough to stand against an offline guess at the file. */
export const newPassphraseSchema = passphraseSchema.min(12, 'Use at least 12 characters');

export const systemOverviewSchema = z.strictObject({
  entries: z.array(configEntryViewSchema),
  defaults: systemDefaultsSchema,
  node: nodeSchema,
  registeredNodes: z.array(nodeSchema),
  secrets: secretsLockSchema,
  /** Why password-typed values cannot be written or revealed now, or null. */
  passwordsUnavailable: z.string().nullable(),
});
export type SystemOverview = z.infer<typeof systemOverviewSchema>;

export const RANDOM_LIMITS = { min: 1, max: 1024, default: 20 } as const;
export const randomRequestSchema = z.strictObject({
  length: z.number({ error: 'Enter a whole number' }).int('Enter a whole number').min(RANDOM_LIMITS.min, `At least ${RANDOM_LIMITS.min}`).max(RANDOM_LIMITS.max, `At most ${RANDOM_LIMITS.max}`),
  encoding: z.enum(['hex', 'base64']),
});
export type RandomRequest = z.infer<typeof randomRequestSchema>;
