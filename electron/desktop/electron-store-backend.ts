/**
 * The settings backend inside the Electron app. electron-store imports `electron` when it loads, so this
 * file must only ever be imported by electron/main.ts; plain-Node code (serve, CLI, tests) uses confBackend.
 */
import ElectronStore from 'electron-store';
import { SETTINGS_FILE_MODE, type SettingsBackendFactory } from '../settings/settings-store.js';

/**
 * electron-store calls conf's `configName` option `name` (it would silently overwrite a `configName` with
 * its default "config"), so this is the one narrow adapter between the two APIs.
 */
export const electronStoreBackend: SettingsBackendFactory = ({ cwd, configName }) =>
  new ElectronStore<Record<string, unknown>>({ cwd, name: configName, configFileMode: SETTINGS_FILE_MODE });
