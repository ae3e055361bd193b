import type { CamPanelCore } from '../core/campanel-core.js';
import { applyCameraSettings, cameraSettings, cameraStatus, listDetected, restartPipeline, switchCamera } from '../operations/camera.js';
import { startRecording, stopRecording, takePhoto } from '../operations/captures.js';
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
>;

export function cameraHandlers(core: CamPanelCore): CameraHandlers {
  return {
    cameraStatus: () => cameraStatus(core),
    restartPipeline: (_request, context) => restartPipeline(core, panelActor(context)),
    takePhoto: (request, context) => takePhoto(core, request, panelActor(context)),
    startRecording: (request, context) => startRecording(core, request, panelActor(context)),
    stopRecording: (request, context) => stopRecording(core, request, panelActor(context)),
    switchCamera: (_request, context) => switchCamera(core, panelActor(context)),
    cameraSettings: () => cameraSettings(core),
    detectCameras: () => listDetected(core),
    applyCameraSettings: (settings, context) => applyCameraSettings(core, settings, panelActor(context)),
  };
}
