import type { CamPanelCore } from '../core/campanel-core.js';
import { notificationSettings, saveNotificationSettings, sendTestMail } from '../operations/notifications.js';
import {
  deleteConfigEntry,
  protectSecrets,
  randomKey,
  registerNode,
  removeNode,
  revealConfigEntry,
  saveConfigEntry,
  setSystemDefaults,
  systemDocumentation,
  systemOverview,
  unlockSecrets,
  unprotectSecrets,
} from '../operations/system.js';
import type { Handlers } from '../registry/handler-registry.js';
import { panelActor } from './panel-actor.js';

type SystemHandlers = Pick<
  Handlers,
  | 'systemOverview'
  | 'saveConfigEntry'
  | 'deleteConfigEntry'
  | 'revealConfigEntry'
  | 'setSystemDefaults'
  | 'randomKey'
  | 'systemDocumentation'
  | 'registerNode'
  | 'removeNode'
  | 'secretsLock'
  | 'unlockSecrets'
  | 'protectSecrets'
  | 'unprotectSecrets'
  | 'notificationSettings'
  | 'saveNotificationSettings'
  | 'sendTestMail'
>;

/** Settings → System, Settings → Notifications and the secrets passphrase on Settings → API. */
export function systemHandlers(core: CamPanelCore): SystemHandlers {
  return {
    systemOverview: () => systemOverview(core),
    saveConfigEntry: (entry, context) => saveConfigEntry(core, entry, panelActor(context)),
    deleteConfigEntry: ({ key }, context) => deleteConfigEntry(core, key, panelActor(context)),
    revealConfigEntry: ({ key }, context) => revealConfigEntry(core, key, panelActor(context)),
    setSystemDefaults: (defaults, context) => setSystemDefaults(core, defaults, panelActor(context)),
    randomKey: (request, context) => randomKey(core, request, panelActor(context)),
    systemDocumentation: (_request, context) => systemDocumentation(core, panelActor(context)),
    registerNode: (node, context) => registerNode(core, node, panelActor(context)),
    removeNode: ({ uuid }, context) => removeNode(core, uuid, panelActor(context)),

    secretsLock: () => core.api.secretsLock(),
    unlockSecrets: ({ passphrase }, context) => unlockSecrets(core, passphrase, panelActor(context)),
    protectSecrets: ({ passphrase }, context) => protectSecrets(core, passphrase, panelActor(context)),
    unprotectSecrets: ({ passphrase }, context) => unprotectSecrets(core, passphrase, panelActor(context)),

    notificationSettings: () => notificationSettings(core),
    saveNotificationSettings: (request, context) => saveNotificationSettings(core, request, panelActor(context)),
    sendTestMail: (_request, context) => sendTestMail(core, panelActor(context)),
  };
}
