/**
 * Users: first run, Settings → Users, the user's own password, panel login, and `campanel user …`.
 * The user store validates names and passwords and emits 'users' itself after every write (wired in
 * CamPanelCore), so no entry point can forget it; the operations add the audit line and what else changes.
 */
import type { Role, UserView } from '../../shared/domain.js';
import type { CamPanelCore } from '../core/campanel-core.js';
import { DomainError } from '../core/errors.js';
import { audit, type Actor } from './actor.js';

type UserDeps = Pick<CamPanelCore, 'users' | 'logger'>;

export const WRONG_CREDENTIALS = 'Wrong name or password';

/** Every user with the login limiter's view of whether they are locked out. */
export function listUsers(deps: Pick<CamPanelCore, 'users' | 'limiter'>): UserView[] {
  return deps.users.list((name) => deps.limiter.isLocked(name));
}

/** First run only: refused for good once any user exists. */
export async function createFirstAdmin(deps: UserDeps, input: { name: string; password: string }, actor: Actor): Promise<UserView> {
  const user = await deps.users.createFirstAdmin(input.name, input.password);
  audit(deps.logger, actor, 'user.createFirstAdmin', 'first administrator created', { user: user.name });
  return user;
}

/** The new user is initial: whoever added them knows the password, so they must set their own. */
export async function addUser(deps: UserDeps, input: { name: string; role: Role; password: string }, actor: Actor): Promise<UserView> {
  const user = await deps.users.add(input.name, input.role, input.password);
  audit(deps.logger, actor, 'user.add', 'user added', { user: user.name, role: user.role });
  return user;
}

/** Never yourself, never the last admin; the user's generated tokens go (and stay revoked) with them. */
export async function removeUser(
  deps: Pick<CamPanelCore, 'users' | 'tokens' | 'logger' | 'emit'>,
  input: { name: string },
  actor: Actor,
): Promise<void> {
  // The command line acts as nobody in particular, so there is no "yourself" to keep; '' is never a user name.
  await deps.users.remove(input.name, actor.by ?? '');
  await deps.tokens.removeOwner(input.name);
  audit(deps.logger, actor, 'user.remove', 'user removed', { user: input.name });
  deps.emit('tokens');
}

/** An admin sets someone's password; the user becomes initial again. */
export async function resetPassword(deps: UserDeps, input: { name: string; password: string }, actor: Actor): Promise<UserView> {
  const user = await deps.users.resetPassword(input.name, input.password);
  audit(deps.logger, actor, 'user.resetPassword', 'password reset', { user: user.name });
  return user;
}

/** The user's own change, proven with the current password; ends the initial state. */
export async function changePassword(
  deps: UserDeps,
  input: { name: string; currentPassword: string; newPassword: string },
  actor: Actor,
): Promise<UserView> {
  const user = await deps.users.changePassword(input.name, input.currentPassword, input.newPassword);
  audit(deps.logger, actor, 'user.changePassword', 'password changed', { user: user.name });
  return user;
}

/**
 * A panel login through the login limiter (the same rule as /api/login, docs/compatibility.md §2.1).
 * Unknown names and wrong passwords get the same answer; `address` is the client the limiter counts.
 */
export async function login(
  deps: Pick<CamPanelCore, 'users' | 'limiter' | 'logger'>,
  input: { name: string; password: string; address: string },
  actor: Actor,
): Promise<UserView> {
  const attempt = await deps.limiter.attempt(input.name, input.address, () => deps.users.verifyPassword(input.name, input.password));
  if (attempt.outcome === 'limited') {
    const seconds = Math.ceil(attempt.retryAfterMs / 1000);
    throw new DomainError('forbidden', `Too many failed attempts. Try again in ${seconds} seconds.`);
  }
  if (attempt.outcome === 'wrong') {
    deps.logger.warn({ op: 'session.login', address: input.address, via: actor.via }, 'panel login failed');
    throw new DomainError('unauthenticated', WRONG_CREDENTIALS);
  }
  audit(deps.logger, actor, 'session.login', 'panel login', { user: attempt.value.name });
  return attempt.value;
}
