import { z } from 'zod';

/**
 * Who may call a channel.
 * open: anyone holding a panel session (login screen, first run);
 * authenticated: logged in, even while the password must still be changed;
 * user: logged in with a usable password; admin: role admin with a usable password.
 */
export type Access = 'open' | 'authenticated' | 'user' | 'admin';

export interface ChannelDef<Req extends z.ZodType, Res extends z.ZodType> {
  access: Access;
  request: Req;
  response: Res;
}

export const channel = <Req extends z.ZodType, Res extends z.ZodType>(
  access: Access,
  request: Req,
  response: Res,
): ChannelDef<Req, Res> => ({ access, request, response });

export const empty = z.strictObject({});
export const ok = z.strictObject({ ok: z.literal(true) });
