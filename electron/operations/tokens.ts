/**
 * Generated access tokens and the JWT key: Settings → API and `campanel token …`.
 * A generated token never expires and is shown once; only its jti, owner and label are kept, so that it
 * can be revoked (docs/compatibility.md §1.2, §2.5). Every change emits 'tokens' for the panel's token list.
 */
import type { ApiStatusView, TokenRecord } from '../../shared/domain.js';
import type { CamPanelCore } from '../core/campanel-core.js';
import { DomainError } from '../core/errors.js';
import { audit, type Actor } from './actor.js';

export function listTokens(deps: Pick<CamPanelCore, 'tokens'>): TokenRecord[] {
  return deps.tokens.list();
}

/** A token for `owner`, who must exist and have set their own password (the API would refuse it otherwise). */
export async function generateToken(
  deps: Pick<CamPanelCore, 'users' | 'api' | 'logger' | 'emit'>,
  input: { owner: string; label: string },
  actor: Actor,
): Promise<{ token: string; record: TokenRecord }> {
  const user = deps.users.get(input.owner);
  if (!user) throw new DomainError('not_found', `No user ${input.owner}`);
  if (user.initial) throw new DomainError('forbidden', `${user.name} must set their own password first`);
  const generated = await deps.api.generateToken(user.name, input.label);
  const { jti, owner, label } = generated.record;
  audit(deps.logger, actor, 'token.generate', 'access token generated', { jti, owner, label });
  deps.emit('tokens');
  return generated;
}

export async function revokeToken(deps: Pick<CamPanelCore, 'tokens' | 'logger' | 'emit'>, input: { jti: string }, actor: Actor): Promise<void> {
  if (!(await deps.tokens.revoke(input.jti))) throw new DomainError('not_found', `No token ${input.jti}`);
  audit(deps.logger, actor, 'token.revoke', 'access token revoked', { jti: input.jti });
  deps.emit('tokens');
}

/**
 * A new key in the secrets file: every token issued so far is refused at once, generated ones are
 * forgotten. The running API keeps signing with the old key until "Restart API" (ApiController emits 'api').
 */
export async function rotateKey(deps: Pick<CamPanelCore, 'api' | 'logger' | 'emit'>, actor: Actor): Promise<ApiStatusView> {
  const status = await deps.api.rotateKey();
  audit(deps.logger, actor, 'token.rotateKey', 'JWT key rotated');
  deps.emit('tokens');
  return status;
}
