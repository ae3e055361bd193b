/** Core code must run in plain Node: the lint rule must refuse `electron` in every form of import, and only there. */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const repoRoot = decodeURIComponent(new URL('../', import.meta.url).pathname);

const IMPORTS = [
  "import { app } from 'electron';",
  "import type { UtilityProcess } from 'electron';",
  "export type Fork = typeof import('electron').utilityProcess;",
  "export const load = () => import('electron');",
  "import Store from 'electron-store';",
  "export { app as application } from 'electron';",
].join('\n');

async function boundaryErrors(filePath: string, text = `${IMPORTS}\n`): Promise<number[]> {
  const eslint = new ESLint({ cwd: repoRoot });
  const [result] = await eslint.lintText(text, { filePath });
  const errors = (result?.messages ?? []).filter(
    (m) => (m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax') && m.severity === 2,
  );
  return [...new Set(errors.map((m) => m.line))].sort((a, b) => a - b);
}

describe('core import boundary', () => {
  it('refuses electron in core code, in every form of import', async () => {
    expect(await boundaryErrors('electron/core/bad.ts')).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await boundaryErrors('electron/panel-server/deeper/bad.ts')).toEqual([1, 2, 3, 4, 5, 6]);
  }, 60_000);

  it('allows it in the entry points, desktop/, tests and test-support', async () => {
    for (const file of ['electron/main.ts', 'electron/preload.ts', 'electron/desktop/glue.ts', 'electron/core/x.test.ts', 'electron/test-support/fake.ts']) {
      expect(await boundaryErrors(file), file).toEqual([]);
    }
  }, 60_000);

  it('refuses electron-store too in core code (it loads electron): its adapter lives in desktop/', async () => {
    expect(await boundaryErrors('electron/settings/electron-store-backend.ts')).toEqual([1, 2, 3, 4, 5, 6]);
  }, 60_000);
});
