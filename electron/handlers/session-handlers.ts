import type { SessionState } from '../../shared/domain.js';
import type { CamPanelCore } from '../core/campanel-core.js';
import { DomainError } from '../core/errors.js';
import type { CallContext, Handlers } from '../registry/handler-registry.js';

const WRONG_CREDENTIALS = 'Wrong name or password';

export function sessionState(core: CamPanelCore, context: CallContext): SessionState {
  if (!core.users.hasUsers()) return { phase: 'firstRun', user: null };
  const name = context.session.userName;
  const user = name ? core.users.get(name) : null;
  if (!user) return { phase: 'login', user: null };
  const view = { ...user, locked: core.limiter.isLocked(user.name) };
  return { phase: user.initial ? 'changePassword' : 'ready', user: view };
}

type SessionHandlers = Pick<Handlers, 'sessionState' | 'createAdmin' | 'login' | 'logout' | 'changePassword'>;

export function sessionHandlers(core: CamPanelCore): SessionHandlers {
  return {
    sessionState: (_request, context) => sessionState(core, context),

    // The first-run channel closes for good once any user exists.
    createAdmin: async ({ name, password }, context) => {
      const user = await core.users.createFirstAdmin(name, password);
      context.session.userName = user.name;
      core.logger.info({ user: user.name }, 'first administrator created');
      return sessionState(core, context);
    },

    login: async ({ name, password }, context) => {
      const attempt = await core.limiter.attempt(name, context.address, () => core.users.verifyPassword(name, password));
      if (attempt.outcome === 'limited') {
        const seconds = Math.ceil(attempt.retryAfterMs / 1000);
        throw new DomainError('forbidden', `Too many failed attempts. Try again in ${seconds} seconds.`);
      }
      if (attempt.outcome === 'wrong') {
        core.logger.warn({ address: context.address }, 'panel login failed');
        throw new DomainError('unauthenticated', WRONG_CREDENTIALS);
      }
      const user = attempt.value;
      context.session.userName = user.name;
      core.logger.info({ user: user.name, transport: context.transport }, 'panel login');
      return sessionState(core, context);
    },

    logout: (_request, context) => {
      context.session.userName = null;
      return sessionState(core, context);
    },

    changePassword: async ({ currentPassword, newPassword }, context) => {
      const name = context.session.userName;
      if (!name) throw new DomainError('unauthenticated', 'Please log in');
      await core.users.changePassword(name, currentPassword, newPassword);
      core.logger.info({ user: name }, 'password changed');
      return sessionState(core, context);
    },
  };
}
