/** The stored settings as the main process reports them (incl. start-up warnings). */
import { createStore } from 'zustand/vanilla';
import type { PanelClient, PanelErrorBody, ResponseOf, Result } from '../../../../shared/contract';
import type { ApiSettings, SettingsView } from '../../../../shared/domain';

export interface SettingsStoreState {
  view: SettingsView | null;
  loadError: PanelErrorBody | null;
  refresh(): Promise<void>;
  setAllowApi(allowApi: boolean): Promise<Result<SettingsView>>;
  /** Also says what happened to the secrets file (created, key added, existing). */
  setApiSettings(settings: ApiSettings): Promise<Result<ResponseOf<'setApiSettings'>>>;
  exportConfig(): Promise<Result<{ fileName: string; json: string }>>;
  /** Import, step one: every problem, or what would change; changes nothing. */
  checkImport(json: string): Promise<Result<ResponseOf<'checkImport'>>>;
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
      async setApiSettings(settings) {
        const result = await client.setApiSettings(settings);
        if (result.ok) {
          const { secretsFile: _secretsFile, ...view } = result.value;
          set({ view, loadError: null });
        }
        return result;
      },
      exportConfig: () => client.exportConfig({}),
      checkImport: (json) => client.checkImport({ json }),
      importConfig: async (json) => apply(await client.importConfig({ json })),
    };
  });
}

export type SettingsStore = ReturnType<typeof createSettingsStore>;
