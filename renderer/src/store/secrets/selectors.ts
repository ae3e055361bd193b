/** The secrets file's lock state in words, for the System tab's Secrets section and the API tab. */
import type { SecretsLock } from '../../../../shared/domain';

export type LockState = 'notConfigured' | 'notProtected' | 'unlocked' | 'locked';

export const lockState = (lock: SecretsLock): LockState =>
  !lock.configured ? 'notConfigured' : !lock.protected ? 'notProtected' : lock.locked ? 'locked' : 'unlocked';

export interface LockSummary {
  state: LockState;
  /** A short label (a badge): the state never depends on colour alone. */
  label: string;
  text: string;
}

export function lockSummary(lock: SecretsLock): LockSummary {
  const state = lockState(lock);
  switch (state) {
    case 'notConfigured':
      return {
        state,
        label: 'No secrets file',
        text: 'No secrets file is configured (JWT Secret Key File Path on the API tab), so there is nothing to protect.',
      };
    case 'notProtected':
      return {
        state,
        label: 'Not protected',
        text: 'The secrets file is stored without a passphrase; only its owner can read it (file mode 0600).',
      };
    case 'unlocked':
      return {
        state,
        label: 'Protected',
        text: 'The secrets file is encrypted with a passphrase and was unlocked since CamPanel started.',
      };
    case 'locked':
      return {
        state,
        label: 'Locked',
        text:
          'The secrets file is protected with a passphrase and has not been unlocked since CamPanel started: ' +
          'the API stays inactive and password values cannot be read until an administrator unlocks it.',
      };
  }
}
