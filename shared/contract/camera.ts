import { pipelineStateSchema } from '../domain.js';
import { channel, empty } from './channel.js';

export const cameraChannels = {
  /** The pipeline and every camera's state; the 'camera' event says when to fetch it again. */
  cameraStatus: channel('user', empty, pipelineStateSchema),
  /** A fresh worker with its failure count reset (the "Restart pipeline" button). */
  restartPipeline: channel('admin', empty, pipelineStateSchema),
} as const;
