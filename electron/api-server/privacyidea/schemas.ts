/**
 * The zod schemas of /system's parameters: the handlers parse with them and openapi-docs.ts describes the
 * endpoints with the same ones, so the OpenAPI document says what the server accepts. Parameters reach
 * the handlers as strings (params.ts); a schema here that wants a number is fed the parsed integer.
 */
import { z } from 'zod';
import { DEFAULT_KEYS, LIMITS, RANDOM_LIMITS } from '../../../shared/domain.js';

/** One parameter value as a client may send it in JSON (query and form values are text). */
export const wireValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** setConfig's body: any keys; `<key>.type` sets a key's type (`password` encrypts it), `<key>.desc` its description. */
export const setConfigParamsSchema = z
  .record(z.string(), wireValueSchema)
  .describe('key → value; `<key>.type` (e.g. "password", "public") and `<key>.desc` describe `<key>`');

/** setDefault's recognised keys (matched case-insensitively); others are ignored when one of these is present. */
export const setDefaultParamsSchema = z.looseObject(
  Object.fromEntries(Object.values(DEFAULT_KEYS).map((key) => [key, wireValueSchema.optional()])) as Record<
    (typeof DEFAULT_KEYS)[keyof typeof DEFAULT_KEYS],
    z.ZodOptional<typeof wireValueSchema>
  >,
);

export const RANDOM_LEN_TEXT = `len must be a whole number of bytes from ${RANDOM_LIMITS.min} to ${RANDOM_LIMITS.max} (default ${RANDOM_LIMITS.default})`;

export const randomParamsSchema = z.object({
  len: z
    .int({ error: RANDOM_LEN_TEXT })
    .min(RANDOM_LIMITS.min, RANDOM_LEN_TEXT)
    .max(RANDOM_LIMITS.max, RANDOM_LEN_TEXT)
    .default(RANDOM_LIMITS.default)
    .describe('Bytes of random data'),
  encode: z.string().optional().describe('"b64": standard base64 with padding; anything else: lowercase hex'),
});

const PASSWORD_MISSING = 'Missing parameter: password';

export const hsmParamsSchema = z.object({
  password: z
    .string({ error: PASSWORD_MISSING })
    .min(1, PASSWORD_MISSING)
    .max(LIMITS.password, `password is at most ${LIMITS.password} characters`)
    .describe('The passphrase of the secrets file'),
});

/** /system/test/email's parameters; without them the stored notification mail settings are used. */
export const testEmailParamsSchema = z.object({
  'email.mailserver': z.string().optional(),
  'email.port': z.string().optional().describe('default 25'),
  'email.tls': z.string().optional().describe('"True" or "False"'),
  'email.username': z.string().optional(),
  'email.password': z.string().optional(),
  'email.mailfrom': z.string().optional(),
  'email.recipient': z.string().optional(),
});

/** privacyIDEA's token types; `hmac` is an alias of `hotp`. Only `email` has a test. */
export const TOKEN_TYPES = [
  'hotp', 'totp', 'spass', 'motp', 'sshkey', 'yubikey', 'remote', 'email', 'sms', 'certificate', 'password',
  'registration', 'question', 'daypassword', 'tiqr', 'u2f', 'webauthn', 'vasco', 'paper', 'indexedsecret',
  'applspec', '4eyes', 'push', 'tan',
] as const;

export const tokenTypeSchema = z
  .string()
  .describe(`One of ${TOKEN_TYPES.join(', ')} (case-insensitive; hmac = hotp). Only email is really tested`);

export const configKeyParamSchema = z.string().describe('A config key');
