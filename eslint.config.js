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
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly' } },
  },
);
