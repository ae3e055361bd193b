import { z } from 'zod';
import { passwordSchema, roleSchema, userNameSchema, userViewSchema } from '../domain.js';
import { channel, empty } from './channel.js';

export const userChannels = {
  listUsers: channel('admin', empty, z.array(userViewSchema)),
  addUser: channel(
    'admin',
    z.strictObject({ name: userNameSchema, role: roleSchema, password: passwordSchema }),
    userViewSchema,
  ),
  removeUser: channel('admin', z.strictObject({ name: userNameSchema }), z.array(userViewSchema)),
  resetPassword: channel(
    'admin',
    z.strictObject({ name: userNameSchema, password: passwordSchema }),
    userViewSchema,
  ),
  /** Clears the login locks that refuse a user (the panel's and the API's); answers the new list. */
  unlockUser: channel('admin', z.strictObject({ name: userNameSchema }), z.array(userViewSchema)),
} as const;
