import type { CamPanelCore } from '../core/campanel-core.js';
import { checkImport, exportConfig, importConfig, setGeneralSettings, storeApiSettings } from '../operations/settings.js';
import type { Handlers } from '../registry/handler-registry.js';
import { panelActor } from './panel-actor.js';

type SettingsHandlers = Pick<
  Handlers,
  'getSettings' | 'setGeneralSettings' | 'setApiSettings' | 'exportConfig' | 'checkImport' | 'importConfig'
>;

export function settingsHandlers(core: CamPanelCore): SettingsHandlers {
  return {
    getSettings: () => core.settings.view(),

    setGeneralSettings: (general, context) => {
      setGeneralSettings(core, general, panelActor(context));
      return core.settings.view();
    },

    setApiSettings: async (api, context) => {
      const { secretsFile } = await storeApiSettings(core, api, panelActor(context));
      return { ...core.settings.view(), secretsFile };
    },

    exportConfig: (_request, context) => exportConfig(core, panelActor(context)),

    checkImport: ({ json }) => checkImport(core, json),

    importConfig: async ({ json }, context) => {
      await importConfig(core, json, panelActor(context));
      return core.settings.view();
    },
  };
}
