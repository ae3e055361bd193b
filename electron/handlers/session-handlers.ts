import type { SessionState } from '../../shared/domain.js';
import type { CamPanelCore } from '../core/campanel-core.js';
import { changePassword, createFirstAdmin, login, withLocks } from '../operations/users.js';
import type { CallContext, Handlers } from '../registry/handler-registry.js';
import { loggedInUser, panelActor } from './panel-actor.js';

export function sessionState(core: CamPanelCore, context: CallContext): SessionState {
  if (!core.users.hasUsers()) return { phase: 'firstRun', user: null };
  const name = context.session.userName;
  const user = name ? core.users.get(name) : null;
  if (!user) return { phase: 'login', user: null };
  const view = withLocks(core, user);
  return { phase: user.initial ? 'changePassword' : 'ready', user: view };
}

type SessionHandlers = Pick<Handlers, 'sessionState' | 'createAdmin' | 'login' | 'logout' | 'changePassword'>;

export function sessionHandlers(core: CamPanelCore): SessionHandlers {
  return {
    sessionState: (_request, context) => sessionState(core, context),

    // The first-run channel closes for good once any user exists; the new admin is logged in.
    createAdmin: async ({ name, password }, context) => {
      const user = await createFirstAdmin(core, { name, password }, panelActor(context));
      context.session.userName = user.name;
      return sessionState(core, context);
    },

    login: async ({ name, password }, context) => {
      const user = await login(core, { name, password, address: context.address }, panelActor(context));
      context.session.userName = user.name;
      return sessionState(core, context);
    },

    logout: (_request, context) => {
      context.session.userName = null;
      return sessionState(core, context);
    },

    changePassword: async ({ currentPassword, newPassword }, context) => {
      const name = loggedInUser(context);
      await changePassword(core, { name, currentPassword, newPassword }, panelActor(context));
      return sessionState(core, context);
    },
  };
}
