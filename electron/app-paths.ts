/**
 * Where the built parts live, relative to this compiled file (out/electron/app-paths.js),
 * so the same code works from the repo, a packaged app and an npm install.
 */
import { fileURLToPath } from 'node:url';

export const rendererDir = (): string => fileURLToPath(new URL('../renderer/', import.meta.url));
export const rendererIndex = (): string => fileURLToPath(new URL('../renderer/index.html', import.meta.url));
export const preloadPath = (): string => fileURLToPath(new URL('../preload/preload.cjs', import.meta.url));
/** The pipeline worker's entry (a child process: child_process.fork in Node, utilityProcess in Electron). */
export const workerPath = (): string => fileURLToPath(new URL('./pipeline/worker/worker-main.js', import.meta.url));
