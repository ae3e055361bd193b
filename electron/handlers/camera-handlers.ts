import type { CamPanelCore } from '../core/campanel-core.js';
import { DomainError } from '../core/errors.js';
import { cameraStatus, restartPipeline } from '../operations/camera.js';
import type { Handlers } from '../registry/handler-registry.js';
import { panelActor } from './panel-actor.js';

type CameraHandlers = Pick<
  Handlers,
  | 'cameraStatus'
  | 'restartPipeline'
  | 'takePhoto'
  | 'startRecording'
  | 'stopRecording'
  | 'switchCamera'
  | 'cameraSettings'
  | 'detectCameras'
  | 'applyCameraSettings'
  | 'listCaptures'
  | 'deleteCapture'
>;

// TODO(issue 8): replaced by the operations of the camera panel; placeholders keep the contract compiling.
const notYet = () => {
  throw new DomainError('unsupported', 'Not built yet');
};

export function cameraHandlers(core: CamPanelCore): CameraHandlers {
  return {
    cameraStatus: () => cameraStatus(core),
    restartPipeline: (_request, context) => restartPipeline(core, panelActor(context)),
    takePhoto: notYet,
    startRecording: notYet,
    stopRecording: notYet,
    switchCamera: notYet,
    cameraSettings: notYet,
    detectCameras: notYet,
    applyCameraSettings: notYet,
    listCaptures: notYet,
    deleteCapture: notYet,
  };
}
