/**
 * Users: first run, Settings → Users, the user's own password, panel login, and `campanel user …`.
 * The user store validates names and passwords and emits 'users' itself after every write (wired in
 * CamPanelCore), so no entry point can forget it; the operations add the audit line and what else changes.
 */
import { LOCK_CLIENTS_NAMED, type Role, type UserLock, type UserView } from '../../shared/domain.js';
import type { CamPanelCore } from '../core/campanel-core.js';
import { DomainError } from '../core/errors.js';
import { audit, type Actor } from './actor.js';

type UserDeps = Pick<CamPanelCore, 'users' | 'logger'>;

export const WRONG_CREDENTIALS = 'Wrong name or password';

type LockDeps = Pick<CamPanelCore, 'panelLimiter' | 'networkLimiter'>;

/** The login limits that refuse `name` now: the panel's and the network API's, which are kept apart. */
export function userLocks(deps: LockDeps, name: string): UserLock[] {
  const iso = (ms: number) => new Date(ms).toISOString();
  const locks: UserLock[] = [];
  const panelUntil = deps.panelLimiter.lockedUntil(name);
  if (panelUntil !== null) locks.push({ kind: 'panel', until: iso(panelUntil) });
  for (const lock of deps.networkLimiter.locks(name)) {
    if (lock.kind === 'apiCeiling') locks.push({ kind: 'apiCeiling', until: iso(lock.until) });
    else {
      const clients = lock.clients.slice(0, LOCK_CLIENTS_NAMED).map((client) => client.slice(0, 64));
      locks.push({ kind: 'api', clients, clientCount: lock.clients.length, until: iso(lock.until) });
    }
  }
  return locks;
}

/** A user as the panel shows them: with the locks that refuse their logins now. */
export function withLocks(deps: LockDeps, user: UserView): UserView {
  const locks = userLocks(deps, user.name);
  return locks.length > 0 ? { ...user, locked: true, locks } : { ...user, locked: false };
}

/** Every user, with their locks. */
export function listUsers(deps: Pick<CamPanelCore, 'users'> & LockDeps): UserView[] {
  return deps.users.list().map((user) => withLocks(deps, user));
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

/**
 * An admin clears the login locks that refuse `name`: the panel's and the network API's (a client's
 * counters go too when this user failed from it). Locks run out by themselves; this is for the owner who
 * cannot wait, or whose script was fixed.
 */
export async function unlockUser(
  deps: Pick<CamPanelCore, 'users' | 'logger' | 'emit'> & LockDeps,
  input: { name: string },
  actor: Actor,
): Promise<{ wasLocked: boolean }> {
  if (!deps.users.get(input.name)) throw new DomainError('not_found', `User ${input.name} does not exist`);
  const panel = deps.panelLimiter.unlock(input.name);
  const api = deps.networkLimiter.unlock(input.name);
  audit(deps.logger, actor, 'user.unlock', 'login locks cleared', { user: input.name, panel, api });
  deps.emit('users');
  return { wasLocked: panel || api };
}

/** An admin sets someone's password; the user becomes initial again and their login tokens end. */
export async function resetPassword(deps: UserDeps, input: { name: string; password: string }, actor: Actor): Promise<UserView> {
  const user = await deps.users.resetPassword(input.name, input.password);
  audit(deps.logger, actor, 'user.resetPassword', 'password reset', { user: user.name });
  return user;
}

/** The user's own change, proven with the current password; ends the initial state and older login tokens. */
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
 * A panel login through the panel's own login limiter (docs/compatibility.md §2.1): failures on the network
 * API are counted elsewhere and cannot lock it. Unknown names and wrong passwords get the same answer;
 * `address` is the client the limiter counts.
 */
export async function login(
  deps: Pick<CamPanelCore, 'users' | 'panelLimiter' | 'logger'>,
  input: { name: string; password: string; address: string },
  actor: Actor,
): Promise<UserView> {
  const attempt = await deps.panelLimiter.attempt(input.name, input.address, () => deps.users.verifyPassword(input.name, input.password));
  if (attempt.outcome === 'limited') {
    const seconds = Math.max(1, Math.ceil(attempt.retryAfterMs / 1000));
    throw new DomainError('forbidden', `Too many failed attempts. Try again in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}.`);
  }
  if (attempt.outcome === 'wrong') {
    deps.logger.warn({ op: 'session.login', address: input.address, via: actor.via }, 'panel login failed');
    throw new DomainError('unauthenticated', WRONG_CREDENTIALS);
  }
  audit(deps.logger, actor, 'session.login', 'panel login', { user: attempt.value.name });
  return attempt.value;
}
