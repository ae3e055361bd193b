/**
 * Every `campanel` command that acts on a data directory, by name ('user.add', …): the one table that
 * run-command.ts (this process) and the control socket (inside the running app or `serve`) both use.
 * Each domain brings its own module; to add a group (say `camera`): write commands/camera.ts exporting
 * `cameraCommands` (name → command(argsSchema, run)), spread it in below, and give it a commander
 * grammar in grammar/camera.ts added to program.ts.
 */
import type { z } from 'zod';
import type { CamPanelCore } from '../../core/campanel-core.js';
import { DomainError, firstIssue } from '../../core/errors.js';
import { apiCommands } from './api.js';
import { cameraCommands } from './camera.js';
import type { CliCommand } from './command.js';
import { panelCommands } from './panel.js';
import { secretsCommands } from './secrets.js';
import { tokenCommands } from './token.js';
import { userCommands } from './user.js';

const commands = {
  ...userCommands,
  ...apiCommands,
  ...tokenCommands,
  ...cameraCommands,
  ...panelCommands,
  ...secretsCommands,
} as const;

export type CommandName = keyof typeof commands;
export type CommandArgs<K extends CommandName> = z.input<(typeof commands)[K]['args']>;

export const isCommandName = (value: unknown): value is CommandName =>
  typeof value === 'string' && Object.prototype.hasOwnProperty.call(commands, value);

/** Parse the arguments and run the command on `core`; returns what to print on stdout. */
export async function runOnCore(core: CamPanelCore, name: CommandName, args: unknown): Promise<string> {
  const command: CliCommand = commands[name];
  const parsed = command.args.safeParse(args);
  if (!parsed.success) {
    const { path, message } = firstIssue(parsed.error);
    throw new DomainError('invalid', path ? `${path}: ${message}` : message);
  }
  // The operation writes the audit line; this only helps to follow a command through the log.
  core.logger.debug({ command: name }, 'command line');
  return command.run(core, parsed.data);
}
