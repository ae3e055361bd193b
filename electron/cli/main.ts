/** Entry point of the `campanel` command (bin/campanel.js imports this). */
import { run } from './program.js';

process.exitCode = await run(process.argv.slice(2));
