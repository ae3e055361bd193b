import { z } from 'zod';
import { captureIdSchema, captureListSchema, listCapturesRequestSchema } from '../domain.js';
import { channel } from './channel.js';

export const captureChannels = {
  /** Captures screen: newest first, optionally one camera's; the 'captures' event says when to fetch again. */
  listCaptures: channel('user', listCapturesRequestSchema, captureListSchema),
  /** Deletes one capture (and its cached thumbnail). */
  deleteCapture: channel('admin', z.strictObject({ id: captureIdSchema }), z.strictObject({ id: captureIdSchema })),
} as const;
