import { z } from 'zod';
import { LIMITS, loginPasswordSchema, passwordSchema, sessionStateSchema, userNameSchema } from '../domain.js';
import { channel, empty } from './channel.js';

export const sessionChannels = {
  sessionState: channel('open', empty, sessionStateSchema),
  createAdmin: channel(
    'open',
    z.strictObject({ name: userNameSchema, password: passwordSchema }),
    sessionStateSchema,
  ),
  login: channel(
    'open',
    z.strictObject({ name: z.string().min(1).max(LIMITS.userName), password: loginPasswordSchema }),
    sessionStateSchema,
  ),
  logout: channel('authenticated', empty, sessionStateSchema),
  changePassword: channel(
    'authenticated',
    z.strictObject({ currentPassword: loginPasswordSchema, newPassword: passwordSchema }),
    sessionStateSchema,
  ),
} as const;
