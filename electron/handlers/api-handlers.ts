import type { CamPanelCore } from '../core/campanel-core.js';
import { DomainError } from '../core/errors.js';
import { apiStatus, restartApi } from '../operations/api.js';
import { generateToken, listTokens, revokeToken, rotateKey } from '../operations/tokens.js';
import type { Handlers } from '../registry/handler-registry.js';
import { loggedInUser, panelActor } from './panel-actor.js';

type ApiHandlers = Pick<
  Handlers,
  'apiStatus' | 'restartApi' | 'rotateKey' | 'generateToken' | 'listTokens' | 'revokeToken' | 'copySecret'
>;

/** What only the desktop app can do; the headless panel leaves it out. */
export interface PlatformFeatures {
  /** Copy a secret to the system clipboard and clear it after 60 s if it is still there. */
  copySecret?: (text: string) => void;
}

export function apiHandlers(core: CamPanelCore, platform: PlatformFeatures): ApiHandlers {
  return {
    apiStatus: () => apiStatus(core),
    restartApi: (_request, context) => restartApi(core, panelActor(context)),
    rotateKey: (_request, context) => rotateKey(core, panelActor(context)),

    // A token generated in the panel acts as the administrator who generated it.
    generateToken: ({ label }, context) => generateToken(core, { owner: loggedInUser(context), label }, panelActor(context)),

    listTokens: () => listTokens(core),

    revokeToken: async ({ jti }, context) => {
      await revokeToken(core, { jti }, panelActor(context));
      return listTokens(core);
    },

    copySecret: ({ text }) => {
      if (!platform.copySecret) throw new DomainError('unsupported', 'Copying through the app is only available in the desktop app');
      platform.copySecret(text);
      return { ok: true as const };
    },
  };
}
