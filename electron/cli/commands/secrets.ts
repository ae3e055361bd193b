/** `campanel secrets status|unlock|protect|unprotect`: the secrets file's passphrase protection. */
import { z } from 'zod';
import { newPassphraseSchema, passphraseSchema, type SecretsLock } from '../../../shared/domain.js';
import { isRunningInstance } from '../../control/running-instance.js';
import type { CamPanelCore } from '../../core/campanel-core.js';
import { DomainError } from '../../core/errors.js';
import { command, noArgs } from './command.js';

const WHERE_TO_UNLOCK = 'Settings → API, campanel secrets unlock, or POST /system/hsm';

async function secretsPath(core: CamPanelCore): Promise<string> {
  return (await core.api.status()).resolvedSecretsPath ?? core.settings.get().api.secretsFilePath;
}

function describe(lock: SecretsLock, path: string, running: boolean): string {
  if (!lock.configured) return 'No JWT Secret Key File Path specified: there is no secrets file to protect.\n';
  if (!lock.protected) return `${path}: not protected with a passphrase.\n`;
  if (!lock.locked) return `${path}: protected with a passphrase, unlocked.\n`;
  if (!running) return `${path}: protected with a passphrase. CamPanel is not running here; it starts locked, and campanel secrets unlock opens it once it runs.\n`;
  return `${path}: protected with a passphrase, locked. The API stays inactive until it is unlocked (${WHERE_TO_UNLOCK}).\n`;
}

export const secretsCommands = {
  'secrets.status': command(noArgs, async (core) => describe(await core.api.secretsLock(), await secretsPath(core), isRunningInstance(core))),

  'secrets.unlock': command(z.strictObject({ passphrase: passphraseSchema }), async (core, { passphrase }) => {
    // An unlock lasts as long as the process that holds it: one made here would end with this command.
    if (!isRunningInstance(core)) {
      throw new DomainError('conflict', 'CamPanel is not running on this data directory: start it (the app or campanel serve), then unlock it');
    }
    await core.api.unlockSecrets(passphrase);
    await core.api.settled();
    const banner = (await core.api.status()).banner;
    return banner ? `Secrets file unlocked. ${banner.message}\n` : 'Secrets file unlocked.\n';
  }),

  'secrets.protect': command(z.strictObject({ passphrase: newPassphraseSchema }), async (core, { passphrase }) => {
    await core.api.protectSecrets(passphrase);
    return (
      `${await secretsPath(core)} is now protected with a passphrase; raspiCamSrv cannot read it while it is. ` +
      `After every start of CamPanel, unlock it (${WHERE_TO_UNLOCK}): until then the API stays inactive.\n`
    );
  }),

  'secrets.unprotect': command(z.strictObject({ passphrase: passphraseSchema }), async (core, { passphrase }) => {
    await core.api.unprotectSecrets(passphrase);
    await core.api.settled();
    return `${await secretsPath(core)} is stored in clear again (mode 0600), without a passphrase.\n`;
  }),
} as const;
