import { createRequire } from 'node:module';

/** package.json's version, read once (the built file sits at out/electron/core/, the package two levels up from out/). */
export const CAMPANEL_VERSION: string = (() => {
  try {
    const pkg = createRequire(import.meta.url)('../../../package.json') as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
})();
