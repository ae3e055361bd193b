/**
 * One `campanel` command as it runs on a core, in this process or inside the running instance (through
 * the control socket). Arguments may have crossed a process boundary, so each command declares a zod
 * schema for them, built from the shared domain schemas so the limits are the panel's.
 */
import { z } from 'zod';
import type { CamPanelCore } from '../../core/campanel-core.js';

export interface CliCommand<Args extends z.ZodType = z.ZodType> {
  args: Args;
  /** Acts through the operations (electron/operations/) and returns what to print on stdout. */
  run(core: CamPanelCore, args: z.output<Args>): Promise<string>;
}

export const command = <Args extends z.ZodType>(
  args: Args,
  run: (core: CamPanelCore, args: z.output<Args>) => Promise<string>,
): CliCommand<Args> => ({ args, run });

export const noArgs = z.strictObject({});
