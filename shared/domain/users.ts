import { z } from 'zod';
import { LIMITS } from './limits.js';

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
