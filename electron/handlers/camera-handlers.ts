import type { CamPanelCore } from '../core/campanel-core.js';
import { cameraStatus, restartPipeline } from '../operations/camera.js';
import type { Handlers } from '../registry/handler-registry.js';
import { panelActor } from './panel-actor.js';

type CameraHandlers = Pick<Handlers, 'cameraStatus' | 'restartPipeline'>;

export function cameraHandlers(core: CamPanelCore): CameraHandlers {
  return {
    cameraStatus: () => cameraStatus(core),
    restartPipeline: (_request, context) => restartPipeline(core, panelActor(context)),
  };
}
