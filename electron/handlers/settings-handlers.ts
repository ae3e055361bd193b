import type { CamPanelCore } from '../core/campanel-core.js';
import { exportConfig, importConfig, storeApiSettings } from '../core/configuration.js';
import type { Handlers } from '../registry/handler-registry.js';

type SettingsHandlers = Pick<
  Handlers,
  'getSettings' | 'setGeneralSettings' | 'setApiSettings' | 'exportConfig' | 'importConfig'
>;

export function settingsHandlers(core: CamPanelCore): SettingsHandlers {
  return {
    getSettings: () => core.settings.view(),

    setGeneralSettings: (general, context) => {
      core.settings.setGeneral(general);
      core.logger.info({ allowApi: general.allowApi, by: context.session.userName }, 'general settings stored');
      core.emit('api');
      return core.settings.view();
    },

    setApiSettings: async (api) => {
      await storeApiSettings(core, api);
      return core.settings.view();
    },

    exportConfig: () => exportConfig(core),

    importConfig: async ({ json }) => {
      await importConfig(core, json);
      return core.settings.view();
    },
  };
}
