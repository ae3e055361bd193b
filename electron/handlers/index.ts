import type { CamPanelCore } from '../core/campanel-core.js';
import type { Handlers } from '../registry/handler-registry.js';
import { apiHandlers, type PlatformFeatures } from './api-handlers.js';
import { sessionHandlers } from './session-handlers.js';
import { settingsHandlers } from './settings-handlers.js';
import { userHandlers } from './user-handlers.js';

export type { PlatformFeatures } from './api-handlers.js';

/** One handler per contract channel; the type fails to compile if a channel has none. */
export function createHandlers(core: CamPanelCore, platform: PlatformFeatures = {}): Handlers {
  return {
    ...sessionHandlers(core),
    ...userHandlers(core),
    ...settingsHandlers(core),
    ...apiHandlers(core, platform),
  };
}
