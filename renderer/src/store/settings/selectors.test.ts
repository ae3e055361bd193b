import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../../shared/domain';
import { allowApi, apiSettings, warningNotice } from './selectors';

const view = { settings: DEFAULT_SETTINGS, warnings: [], backupPath: null };

describe('settings selectors', () => {
  it('has no notice for a clean settings file', () => {
    expect(warningNotice(null)).toBeNull();
    expect(warningNotice(view)).toBeNull();
  });

  it('lists the reset fields and the backup', () => {
    expect(warningNotice({ ...view, warnings: ['api.port', 'general.allowApi'], backupPath: '/d/settings.json.bak' })).toEqual({
      fields: ['api.port', 'general.allowApi'],
      backupPath: '/d/settings.json.bak',
    });
  });

  it('reads allowApi and the API settings', () => {
    expect(allowApi(null)).toBe(false);
    expect(allowApi({ ...view, settings: { ...DEFAULT_SETTINGS, general: { allowApi: true } } })).toBe(true);
    expect(apiSettings(view)).toEqual(DEFAULT_SETTINGS.api);
    expect(apiSettings(null)).toBeNull();
  });
});
