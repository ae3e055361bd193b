import type { CamPanelCore } from '../core/campanel-core.js';
import { DomainError } from '../core/errors.js';
import type { Handlers } from '../registry/handler-registry.js';

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
    apiStatus: () => core.api.status(),
    restartApi: () => core.api.restart(),
    rotateKey: async () => {
      const status = await core.api.rotateKey();
      core.emit('tokens');
      return status;
    },

    generateToken: async ({ label }, context) => {
      const owner = context.session.userName;
      if (!owner) throw new DomainError('unauthenticated', 'Please log in');
      const result = await core.api.generateToken(owner, label);
      core.emit('tokens');
      return result;
    },

    listTokens: () => core.tokens.list(),

    revokeToken: async ({ jti }) => {
      const revoked = await core.tokens.revoke(jti);
      if (!revoked) throw new DomainError('not_found', 'No such token');
      core.logger.info({ jti }, 'access token revoked');
      core.emit('tokens');
      return core.tokens.list();
    },

    copySecret: ({ text }) => {
      if (!platform.copySecret) throw new DomainError('unsupported', 'Copying through the app is only available in the desktop app');
      platform.copySecret(text);
      return { ok: true as const };
    },
  };
}
