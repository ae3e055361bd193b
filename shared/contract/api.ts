import { z } from 'zod';
import { LIMITS, apiStatusViewSchema, tokenRecordSchema } from '../domain.js';
import { channel, empty, ok } from './channel.js';

export const apiChannels = {
  apiStatus: channel('user', empty, apiStatusViewSchema),
  restartApi: channel('admin', empty, apiStatusViewSchema),
  rotateKey: channel('admin', empty, apiStatusViewSchema),

  generateToken: channel(
    'admin',
    z.strictObject({ label: z.string().max(LIMITS.label, `Label is at most ${LIMITS.label} characters`) }),
    z.strictObject({ token: z.string(), record: tokenRecordSchema }),
  ),
  listTokens: channel('admin', empty, z.array(tokenRecordSchema)),
  revokeToken: channel('admin', z.strictObject({ jti: z.string().min(1).max(LIMITS.jti) }), z.array(tokenRecordSchema)),

  /** Electron only: copy a one-time secret and clear the clipboard after 60 s if it still holds it. */
  copySecret: channel('admin', z.strictObject({ text: z.string().min(1).max(LIMITS.token) }), ok),
} as const;
