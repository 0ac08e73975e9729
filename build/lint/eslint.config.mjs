// ESLint for the whole project, run from the project root by `npm run lint` (build/lint.mjs).
// It lives here rather than at the root so that its imports resolve from build/lint/node_modules: the lint
// toolchain needs TypeScript 6 (typescript-eslint's type information does not support TypeScript 7), the
// app compiles with TypeScript 7, and the two must not share one node_modules. With --config, ESLint 9
// takes the patterns below relative to the working directory: the project root.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { join } from 'node:path';

const layers = '{electron,renderer,shared,build,test,bench}';
const typescript = [`${layers}/**/*.ts`, `${layers}/**/*.tsx`];
const javascript = [`${layers}/**/*.mjs`, `${layers}/**/*.cjs`];

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'out/**', 'dist/**', 'test-results/**', '.lab/**', '.scratch/**'] },
  // A disable comment that no longer silences anything is itself an error: each one must still be needed.
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  {
    files: [...typescript, ...javascript],
    extends: [js.configs.recommended],
    rules: {
      // Bugs these catch here: `==` between a string and a number, a `var` leaking out of its block, a `let`
      // that was meant to stay put. `== null` stays allowed: it means "null or undefined", on purpose.
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-var': 'error',
      'prefer-const': 'error',
      // A leading underscore is how this code names a value it drops on purpose (`{ [key]: _gone, ...rest }`).
      'no-unused-vars': ['error', unusedVars()],
    },
  },
  {
    files: typescript,
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { project: join(import.meta.dirname, 'tsconfig.json'), tsconfigRootDir: join(import.meta.dirname, '..', '..') },
    },
    rules: {
      // A promise nobody awaits loses its rejection: in the core a silent failure, or a crash of the process.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', unusedVars()],
      // An async function without await is how this code fulfils a Promise-returning interface (and turns a
      // throw into a rejection); the rule reports that shape, not a bug.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // `any` in tests comes from JSON.parse of a file the test reads and from vitest's asymmetric matchers
    // (expect.any, expect.stringContaining are typed any); the assertion is what checks the shape.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: javascript,
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['build/**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
  {
    // The two rules of hooks. The plugin's 7.x `recommended` also brings the React Compiler's rules, which
    // judge idioms this app uses on purpose without the compiler (the latest-value ref written during
    // render, clearing state in the effect that reloads it).
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
);

function unusedVars() {
  return {
    argsIgnorePattern: '^_',
    varsIgnorePattern: '^_',
    caughtErrorsIgnorePattern: '^_',
    destructuredArrayIgnorePattern: '^_',
    ignoreRestSiblings: true,
  };
}
