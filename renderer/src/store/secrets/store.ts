/**
 * The secrets file's passphrase protection (Settings → API, and the System tab's Secrets section). A locked
 * file keeps the API inactive until an admin unlocks it; passphrases pass through to the main process only.
 */
import { createStore } from 'zustand/vanilla';
import type { PanelClient, PanelErrorBody, Result } from '../../../../shared/contract';
import type { SecretsLock } from '../../../../shared/domain';

export interface SecretsStoreState {
  lock: SecretsLock | null;
  loadError: PanelErrorBody | null;
  refresh(): Promise<void>;
  unlock(passphrase: string): Promise<Result<SecretsLock>>;
  protect(passphrase: string): Promise<Result<SecretsLock>>;
  unprotect(passphrase: string): Promise<Result<SecretsLock>>;
}

export function createSecretsStore(client: PanelClient) {
  return createStore<SecretsStoreState>()((set) => {
    const apply = (result: Result<SecretsLock>): Result<SecretsLock> => {
      if (result.ok) set({ lock: result.value, loadError: null });
      return result;
    };
    return {
      lock: null,
      loadError: null,
      async refresh() {
        const result = await client.secretsLock({});
        if (result.ok) set({ lock: result.value, loadError: null });
        else set({ loadError: result.error });
      },
      unlock: async (passphrase) => apply(await client.unlockSecrets({ passphrase })),
      protect: async (passphrase) => apply(await client.protectSecrets({ passphrase })),
      unprotect: async (passphrase) => apply(await client.unprotectSecrets({ passphrase })),
    };
  });
}

export type SecretsStore = ReturnType<typeof createSecretsStore>;
