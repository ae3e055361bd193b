#!/usr/bin/env node
// The `campanel` command. The code is TypeScript compiled to out/ by `npm run build` (part of setup).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../out/electron/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('campanel: not built yet; run `npm run setup` (or `npm run build`) first\n');
  process.exit(1);
}
await import(entry.href);
