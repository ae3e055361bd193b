/**
 * The /system dialect's view of the core (SystemApi): each call goes through the same operation the panel and
 * the command line use, acting as the token's user, via 'api'. The dialect owns the wire; this owns nothing but
 * the mapping (domain refusals → privacyIDEA's error ids, the configured GnuPG home).
 */
import { HSM_TEXTS, SystemError, type SystemActor, type SystemApi } from '../api-server/privacyidea/system-api.js';
import { GpgError, defaultGnupgHome, listSecretKeys } from '../gpg/gpg-keys.js';
import type { Actor } from '../operations/actor.js';
import { testEmail } from '../operations/notifications.js';
import { deleteConfig, setConfig, setDefault, systemDocumentation, unlockSecrets } from '../operations/system.js';
import { SecretsLockError } from '../secrets/secrets-lock.js';
import type { CamPanelCore } from './campanel-core.js';

/** The config key naming the GnuPG home /system/gpgkeys lists (privacyIDEA's PI_GNUPG_HOME); unset: <data dir>/gpg. */
export const GNUPG_HOME_KEY = 'gpg.home';

const asActor = (actor: SystemActor): Actor => ({ by: actor.user, via: 'api' });

export function createSystemApi(core: CamPanelCore): SystemApi {
  return {
    readConfig: (role) => core.systemConfig.readConfig(role),
    readConfigKey: (key, role) => core.systemConfig.readConfigKey(key, role),
    setConfig: (params, actor) => setConfig(core, params, asActor(actor)),
    setDefault: (params, actor) => setDefault(core, params, asActor(actor)),
    deleteConfig: (key, actor) => deleteConfig(core, key, asActor(actor)),
    documentation: async (actor) => (await systemDocumentation(core, asActor(actor))).text,
    nodes: () => Promise.resolve(core.nodes.all()),
    hsmReady: () => !core.api.lockedMode,
    // Resolves once the file is unlocked; the API restart it queues replaces the very listener this request came in on.
    hsmUnlock: async (password, actor) => {
      try {
        await unlockSecrets(core, password, asActor(actor));
      } catch (error) {
        if (error instanceof SecretsLockError) {
          if (error.reason === 'wrongPassphrase') throw new SystemError(707, HSM_TEXTS.wrongPassword);
          if (error.reason === 'notLocked' || error.reason === 'notProtected' || error.reason === 'noFile') throw new SystemError(707, HSM_TEXTS.alreadySetUp);
          throw new SystemError(707, error.message);
        }
        throw error;
      }
    },
    testEmail: (params, actor) => testEmail(core, params, asActor(actor)),
    gpgKeys: async () => {
      const home = (await core.systemConfig.readConfigKey(GNUPG_HOME_KEY, 'admin')) || defaultGnupgHome(core.dataDir);
      core.gpgHomesUsed.add(home);
      try {
        return await listSecretKeys(home);
      } catch (error) {
        if (error instanceof GpgError) throw new SystemError(10, `GnuPG keys could not be listed: ${error.message}`);
        throw error;
      }
    },
    radiusNames: () => Promise.resolve([]),
    caConnectors: () => Promise.resolve([]),
  };
}
