/** The renderer must not reach Node or the main process: the lint rule must say so for each import. */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const repoRoot = decodeURIComponent(new URL('../../', import.meta.url).pathname);

describe('renderer import boundary', () => {
  it('refuses node built-ins, electron and main-process code', async () => {
    const eslint = new ESLint({ cwd: repoRoot });
    const [result] = await eslint.lintText(
      "import fs from 'node:fs';\nimport { ipcRenderer } from 'electron';\nimport x from '../../electron/core/errors';\n",
      { filePath: 'renderer/src/bad.ts' },
    );
    const restricted = (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports' && m.severity === 2);
    // Each import line gets at least one error ('node:fs' matches both the name list and the node:* pattern).
    expect([...new Set(restricted.map((m) => m.line))].sort()).toEqual([1, 2, 3]);
  }, 60_000);

  it('accepts the shared contract', async () => {
    const eslint = new ESLint({ cwd: repoRoot });
    const [result] = await eslint.lintText("import { contract } from '../../shared/contract';\nexport const c = contract;\n", {
      filePath: 'renderer/src/good.ts',
    });
    expect(result?.messages.filter((m) => m.ruleId === 'no-restricted-imports')).toEqual([]);
  }, 60_000);
});
