/** The stored settings as the main process reports them (incl. start-up warnings). */
import { createStore } from 'zustand/vanilla';
import type { PanelClient, PanelErrorBody, Result } from '../../../../shared/contract';
import type { ApiSettings, SettingsView } from '../../../../shared/domain';

export interface SettingsStoreState {
  view: SettingsView | null;
  loadError: PanelErrorBody | null;
  refresh(): Promise<void>;
  setAllowApi(allowApi: boolean): Promise<Result<SettingsView>>;
  setApiSettings(settings: ApiSettings): Promise<Result<SettingsView>>;
  exportConfig(): Promise<Result<{ fileName: string; json: string }>>;
  importConfig(json: string): Promise<Result<SettingsView>>;
}

export function createSettingsStore(client: PanelClient) {
  return createStore<SettingsStoreState>()((set) => {
    const apply = (result: Result<SettingsView>): Result<SettingsView> => {
      if (result.ok) set({ view: result.value, loadError: null });
      return result;
    };
    return {
      view: null,
      loadError: null,
      async refresh() {
        const result = await client.getSettings({});
        if (result.ok) set({ view: result.value, loadError: null });
        else set({ loadError: result.error });
      },
      setAllowApi: async (allowApi) => apply(await client.setGeneralSettings({ allowApi })),
      setApiSettings: async (settings) => apply(await client.setApiSettings(settings)),
      exportConfig: () => client.exportConfig({}),
      importConfig: async (json) => apply(await client.importConfig({ json })),
    };
  });
}

export type SettingsStore = ReturnType<typeof createSettingsStore>;
