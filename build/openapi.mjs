#!/usr/bin/env node
/**
 * `npm run openapi`: writes docs/openapi.json from the code (electron/api-server/openapi/campanel-document.ts),
 * with package.json's version. campanel-document.test.ts fails while the committed file differs from this.
 * The TypeScript sources are loaded through Vite's module runner, so no build is needed first.
 * `npm run openapi -- --check` only reports whether the committed file is current (exit 1 if not).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TARGET = join(ROOT, 'docs', 'openapi.json');

const { version } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'));
const load = async (path) => (await runnerImport(join(ROOT, path), { configFile: false, root: ROOT, logLevel: 'error' })).module;
const { campanelOpenApiDocument } = await load('electron/api-server/openapi/campanel-document.ts');
const { serializeOpenApiDocument } = await load('electron/api-server/openapi/build-document.ts');
const text = serializeOpenApiDocument(campanelOpenApiDocument(version));

const current = await readFile(TARGET, 'utf8').catch(() => null);
if (process.argv.includes('--check')) {
  console.log(current === text ? 'docs/openapi.json is current' : 'docs/openapi.json is out of date: run npm run openapi');
  process.exit(current === text ? 0 : 1);
}
if (current === text) {
  console.log('docs/openapi.json is current');
} else {
  await writeFile(TARGET, text);
  console.log(`docs/openapi.json written (${Object.keys(JSON.parse(text).paths).length} paths)`);
}
