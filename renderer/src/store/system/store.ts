/**
 * Settings → System (admins): the config table, the defaults and the nodes, as one overview the main process
 * answers after every change. Revealed password values and random keys go to the caller only: the store
 * never holds a secret, so nothing leaves the screen with it.
 */
import { createStore } from 'zustand/vanilla';
import type { PanelClient, PanelErrorBody, ResponseOf, Result } from '../../../../shared/contract';
import type { RandomRequest, SaveConfigEntry, SystemDefaults, SystemOverview } from '../../../../shared/domain';

export interface SystemStoreState {
  overview: SystemOverview | null;
  loadError: PanelErrorBody | null;
  refresh(): Promise<void>;
  saveEntry(entry: SaveConfigEntry): Promise<Result<SystemOverview>>;
  deleteEntry(key: string): Promise<Result<SystemOverview>>;
  /** One password value in clear, for the caller to show; audited by the main process. */
  revealEntry(key: string): Promise<Result<{ value: string }>>;
  setDefaults(defaults: SystemDefaults): Promise<Result<SystemOverview>>;
  randomKey(request: RandomRequest): Promise<Result<{ value: string }>>;
  documentation(): Promise<Result<ResponseOf<'systemDocumentation'>>>;
  registerNode(name: string, uuid: string): Promise<Result<SystemOverview>>;
  removeNode(uuid: string): Promise<Result<SystemOverview>>;
}

export function createSystemStore(client: PanelClient) {
  return createStore<SystemStoreState>()((set) => {
    const apply = (result: Result<SystemOverview>): Result<SystemOverview> => {
      if (result.ok) set({ overview: result.value, loadError: null });
      return result;
    };
    return {
      overview: null,
      loadError: null,
      async refresh() {
        const result = await client.systemOverview({});
        if (result.ok) set({ overview: result.value, loadError: null });
        else set({ loadError: result.error });
      },
      saveEntry: async (entry) => apply(await client.saveConfigEntry(entry)),
      deleteEntry: async (key) => apply(await client.deleteConfigEntry({ key })),
      revealEntry: (key) => client.revealConfigEntry({ key }),
      setDefaults: async (defaults) => apply(await client.setSystemDefaults(defaults)),
      randomKey: (request) => client.randomKey(request),
      documentation: () => client.systemDocumentation({}),
      registerNode: async (name, uuid) => apply(await client.registerNode({ name, uuid })),
      removeNode: async (uuid) => apply(await client.removeNode({ uuid })),
    };
  });
}

export type SystemStore = ReturnType<typeof createSystemStore>;
