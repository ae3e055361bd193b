import type { ApiSettings, SettingsView } from '../../../../shared/domain';

export interface WarningNotice {
  fields: string[];
  backupPath: string | null;
}

/** The yellow notice at the top of Settings, or null when the settings file was read cleanly. */
export function warningNotice(view: SettingsView | null): WarningNotice | null {
  if (!view || view.warnings.length === 0) return null;
  return { fields: view.warnings, backupPath: view.backupPath };
}

export const allowApi = (view: SettingsView | null): boolean => view?.settings.general.allowApi ?? false;

export const apiSettings = (view: SettingsView | null): ApiSettings | null => view?.settings.api ?? null;
