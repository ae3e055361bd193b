import type { CamPanelCore } from '../core/campanel-core.js';
import { DomainError } from '../core/errors.js';
import type { Handlers } from '../registry/handler-registry.js';

type UserHandlers = Pick<Handlers, 'listUsers' | 'addUser' | 'removeUser' | 'resetPassword'>;

export function userHandlers(core: CamPanelCore): UserHandlers {
  const list = () => core.users.list((name) => core.limiter.isLocked(name));
  return {
    listUsers: () => list(),

    addUser: async ({ name, role, password }, context) => {
      const user = await core.users.add(name, role, password);
      core.logger.info({ user: name, role, by: context.session.userName }, 'user added');
      return user;
    },

    removeUser: async ({ name }, context) => {
      const acting = context.session.userName;
      if (!acting) throw new DomainError('unauthenticated', 'Please log in');
      await core.users.remove(name, acting);
      await core.tokens.removeOwner(name);
      core.logger.info({ user: name, by: acting }, 'user removed');
      return list();
    },

    resetPassword: async ({ name, password }, context) => {
      const user = await core.users.resetPassword(name, password);
      core.logger.info({ user: name, by: context.session.userName }, 'password reset');
      return user;
    },
  };
}
