import { z } from 'zod';
import {
  appliedCameraSettingsSchema,
  captureEntrySchema,
  cameraSettingsSchema,
  detectedCameraSchema,
  pipelineStateSchema,
} from '../domain.js';
import { channel, empty } from './channel.js';

const cameraNum = z.strictObject({ camera: z.number().int().min(0).max(99) });

export const cameraChannels = {
  /** The pipeline and every camera's state; the 'camera' event says when to fetch it again. */
  cameraStatus: channel('user', empty, pipelineStateSchema),
  /** A fresh worker with its failure count reset (the "Restart pipeline" button). */
  restartPipeline: channel('admin', empty, pipelineStateSchema),
  /** Live screen: a photo or raw photo from the camera's next frame; answers with the new capture. */
  takePhoto: channel('user', cameraNum.extend({ kind: z.enum(['photo', 'raw']) }), captureEntrySchema),
  /** Live screen: starts recording (until stopRecording; at most a day). */
  startRecording: channel('user', cameraNum, pipelineStateSchema),
  /** Live screen: stops recording; answers with the closed video. */
  stopRecording: channel('user', cameraNum, captureEntrySchema),
  /** raspiCamSrv's switch_cameras: the second camera becomes the active one. */
  switchCamera: channel('user', empty, pipelineStateSchema),
  /** Settings → Camera: the stored camera settings. */
  cameraSettings: channel('admin', empty, cameraSettingsSchema),
  /** Settings → Camera: cameras found on this machine (takes up to a few seconds). */
  detectCameras: channel('admin', empty, z.array(detectedCameraSchema)),
  /** Settings → Camera: validates and stores the whole camera settings; restarts only changed cameras. */
  applyCameraSettings: channel('admin', cameraSettingsSchema, appliedCameraSettingsSchema),
} as const;
