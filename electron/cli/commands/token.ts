/** `campanel token generate|list|revoke`. */
import { z } from 'zod';
import { LIMITS, userNameSchema } from '../../../shared/domain.js';
import { CLI_ACTOR } from '../../operations/actor.js';
import { generateToken, listTokens, revokeToken } from '../../operations/tokens.js';
import { command, noArgs } from './command.js';

export const tokenCommands = {
  // Prints only the token, so that scripts can capture it.
  'token.generate': command(
    z.strictObject({ user: userNameSchema, label: z.string().max(LIMITS.label, `Label is at most ${LIMITS.label} characters`) }),
    async (core, { user, label }) => `${(await generateToken(core, { owner: user, label }, CLI_ACTOR)).token}\n`,
  ),

  'token.list': command(noArgs, async (core) => {
    const rows = listTokens(core);
    if (rows.length === 0) return 'No access tokens have been generated.\n';
    const lines = rows.map((row) => `${row.jti}  ${row.owner}  ${row.createdAt}  ${row.lastUsedAt ?? 'never'}  ${row.label}`);
    return `JTI                                   OWNER  CREATED  LAST USED  LABEL\n${lines.join('\n')}\n`;
  }),

  'token.revoke': command(z.strictObject({ jti: z.string().min(1).max(LIMITS.jti) }), async (core, { jti }) => {
    await revokeToken(core, { jti }, CLI_ACTOR);
    return `Token ${jti} revoked.\n`;
  }),
} as const;
