import type { CamPanelCore } from '../core/campanel-core.js';
import { addUser, listUsers, removeUser, resetPassword, unlockUser } from '../operations/users.js';
import type { Handlers } from '../registry/handler-registry.js';
import { loggedInUser, panelActor } from './panel-actor.js';

type UserHandlers = Pick<Handlers, 'listUsers' | 'addUser' | 'removeUser' | 'resetPassword' | 'unlockUser'>;

export function userHandlers(core: CamPanelCore): UserHandlers {
  return {
    listUsers: () => listUsers(core),

    addUser: ({ name, role, password }, context) => addUser(core, { name, role, password }, panelActor(context)),

    removeUser: async ({ name }, context) => {
      // Named explicitly: removing yourself is refused, so the operation must know who you are.
      await removeUser(core, { name }, { ...panelActor(context), by: loggedInUser(context) });
      return listUsers(core);
    },

    resetPassword: ({ name, password }, context) => resetPassword(core, { name, password }, panelActor(context)),

    unlockUser: async ({ name }, context) => {
      await unlockUser(core, { name }, panelActor(context));
      return listUsers(core);
    },
  };
}
