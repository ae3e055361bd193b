import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

/** The renderer runs in a sandboxed page: no Node built-ins, no Electron, no main-process code. */
const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
export const rendererRestrictedImports = {
  paths: [
    { name: 'electron', message: 'The renderer reaches the main process only through PanelClient.' },
    ...nodeBuiltins.map((name) => ({ name, message: 'Node built-ins are not available in the renderer.' })),
  ],
  patterns: [
    { group: ['**/electron/**', 'electron/*'], message: 'The renderer must not import main-process code.' },
    { group: ['node:*'], message: 'Node built-ins are not available in the renderer.' },
  ],
};

/**
 * Core code (everything in electron/ but the Electron entry points and desktop/) also runs in plain Node:
 * `campanel serve`, the CLI, the tests. It must not load `electron`, in any form of import.
 */
const CORE_ELECTRON_MESSAGE =
  'Core code runs in plain Node (campanel serve, the CLI): only electron/main.ts, electron/preload.ts and electron/desktop/ may import electron.';
const electronPath = { name: 'electron', message: CORE_ELECTRON_MESSAGE };
export const coreRestrictedImports = {
  paths: [
    electronPath,
    { name: 'electron-store', message: 'electron-store imports electron when it loads; use confBackend (settings-store.ts) in core code.' },
  ],
};
/** `import('electron')` as an expression or a type, and require('electron'), which no-restricted-imports does not see. */
export const coreRestrictedSyntax = [
  { selector: "ImportExpression[source.value='electron']", message: CORE_ELECTRON_MESSAGE },
  { selector: "TSImportType[argument.literal.value='electron']", message: CORE_ELECTRON_MESSAGE },
  { selector: "CallExpression[callee.name='require'][arguments.0.value='electron']", message: CORE_ELECTRON_MESSAGE },
];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'docs/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'no-restricted-imports': ['error', rendererRestrictedImports],
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  {
    files: ['electron/**/*.ts'],
    // Test files and test-support may import the fake electron module (test-support/fake-electron.ts).
    ignores: ['electron/main.ts', 'electron/preload.ts', 'electron/desktop/**', 'electron/**/*.test.ts', 'electron/test-support/**'],
    rules: {
      'no-restricted-imports': ['error', coreRestrictedImports],
      'no-restricted-syntax': ['error', ...coreRestrictedSyntax],
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly' } },
  },
);
