import type { CamPanelCore } from '../core/campanel-core.js';
import { deleteCapture, listCaptures } from '../operations/captures.js';
import type { Handlers } from '../registry/handler-registry.js';
import { panelActor } from './panel-actor.js';

type CaptureHandlers = Pick<Handlers, 'listCaptures' | 'deleteCapture'>;

export function captureHandlers(core: CamPanelCore): CaptureHandlers {
  return {
    listCaptures: (request) => listCaptures(core, request),
    deleteCapture: ({ id }, context) => deleteCapture(core, id, panelActor(context)),
  };
}
