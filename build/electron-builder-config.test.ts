/**
 * The packaging config carries Electron's fuses. It is read and validated by electron-builder's own code
 * (app-builder-lib, which `npm run dist` runs), so a misspelt key fails here as it would fail the build.
 */
import { fileURLToPath } from 'node:url';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));

describe('build/electron-builder.yml', () => {
  it('is valid for electron-builder and sets every fuse', async () => {
    const config = await getConfig(repoRoot, 'build/electron-builder.yml', null);
    await validateConfiguration(config, new DebugLogger(false));
    expect(config.electronFuses).toEqual({
      runAsNode: false, // ELECTRON_RUN_AS_NODE would turn the app binary into a plain Node
      enableNodeOptionsEnvironmentVariable: false, // NODE_OPTIONS could preload code into the main process
      enableNodeCliInspectArguments: false, // --inspect / SIGUSR1 would open a debugger into the main process
      enableCookieEncryption: true,
      onlyLoadAppFromAsar: true, // no app/ folder beside app.asar can replace the code
      enableEmbeddedAsarIntegrityValidation: true,
      grantFileProtocolExtraPrivileges: false, // the renderer comes from campanel://, file:// pages get no extras
    });
    expect(config.asar).not.toBe(false); // onlyLoadAppFromAsar needs the app packed in an asar
    // Native and executable parts must be outside the asar to load or run.
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['**/node_modules/sharp/**/*', '**/node_modules/@ffmpeg-installer/**/*']));
  }, 60_000);
});
