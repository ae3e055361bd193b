/** The random key generator's form: a length in bytes and an encoding, checked with the contract's rules. */
import { randomRequestSchema, type RandomRequest } from '../../../../../shared/domain';
import { parseNumberField } from '../api/api-form';

/**
 * What the panel offers first: 32 bytes (256 bits), a full key for HMAC-SHA256 or AES-256. The API keeps
 * privacyIDEA's own default (RANDOM_LIMITS.default) for clients that send no length.
 */
export const PANEL_RANDOM_LENGTH = 32;

export type RandomEncoding = RandomRequest['encoding'];

export type RandomFormCheck = { ok: true; request: RandomRequest } | { ok: false; error: string };

export function checkRandomForm(length: string, encoding: RandomEncoding): RandomFormCheck {
  const parsed = randomRequestSchema.safeParse({ length: parseNumberField(length), encoding });
  return parsed.success ? { ok: true, request: parsed.data } : { ok: false, error: parsed.error.issues[0]?.message ?? 'Enter a length' };
}

/** How many characters a key of `bytes` bytes has once encoded (hex: 2 per byte; base64 with padding: 4 per 3). */
export const encodedLength = (bytes: number, encoding: RandomEncoding): number =>
  encoding === 'hex' ? bytes * 2 : Math.ceil(bytes / 3) * 4;
