/**
 * The `campanel` command's grammar. Exit codes: 0 success, 1 runtime error (one line on stderr), 2 bad usage.
 */
import { Command, CommanderError } from 'commander';
import { DomainError } from '../core/errors.js';
import { apiGrammar } from './grammar/api.js';
import { cameraGrammar } from './grammar/camera.js';
import { panelGrammar } from './grammar/panel.js';
import { secretsGrammar } from './grammar/secrets.js';
import { tokenGrammar } from './grammar/token.js';
import { userGrammar } from './grammar/user.js';
import { UsageError, dataDirOption, parseInteger } from './options.js';
import { serve } from './serve.js';

export function buildProgram(): Command {
  const program = new Command('campanel')
    .description('CamPanel: control panel for Raspberry Pi cameras')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  program
    .command('serve')
    .description('run the core and the panel server on 127.0.0.1 (headless)')
    .addOption(dataDirOption())
    .option('--panel-port <n>', 'panel server port (0 = any free port)', parseInteger(0, 65535), 8765)
    .action((options: { dataDir?: string; panelPort: number }) => serve(options));

  program.addCommand(userGrammar());
  program.addCommand(apiGrammar());
  program.addCommand(tokenGrammar());
  program.addCommand(cameraGrammar());
  program.addCommand(panelGrammar());
  program.addCommand(secretsGrammar());
  // Commander would call process.exit itself; throwing instead lets run() pick the exit code.
  const override = (command: Command) => {
    command.exitOverride();
    command.commands.forEach(override);
  };
  override(program);
  return program;
}

export async function run(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are successes; everything else commander reports is a usage error.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`campanel: ${error.message}\n`);
      return 2;
    }
    const message = error instanceof DomainError || error instanceof Error ? error.message : String(error);
    process.stderr.write(`campanel: ${message.split('\n')[0]}\n`);
    return 1;
  }
}
