import type { CamPanelCore } from '../core/campanel-core.js';
import type { Handlers } from '../registry/handler-registry.js';
import { apiHandlers, type PlatformFeatures } from './api-handlers.js';
import { cameraHandlers } from './camera-handlers.js';
import { captureHandlers } from './capture-handlers.js';
import { sessionHandlers } from './session-handlers.js';
import { settingsHandlers } from './settings-handlers.js';
import { systemHandlers } from './system-handlers.js';
import { userHandlers } from './user-handlers.js';

export type { PlatformFeatures } from './api-handlers.js';

/**
 * One handler per contract channel; the type fails to compile if a channel has none. The registry has
 * checked access and parsed the request; a handler calls an operation (electron/operations/) as the
 * session's user and shapes the answer, so the panel cannot act differently from the command line.
 */
export function createHandlers(core: CamPanelCore, platform: PlatformFeatures = {}): Handlers {
  return {
    ...sessionHandlers(core),
    ...userHandlers(core),
    ...settingsHandlers(core),
    ...apiHandlers(core, platform),
    ...cameraHandlers(core),
    ...captureHandlers(core),
    ...systemHandlers(core),
  };
}
