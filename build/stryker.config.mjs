// Mutation testing of the security core (docs/security.md, "Mutation testing"): `npm run mutate`.
// Stryker changes one expression at a time in the files below and runs their fast unit tests
// (test/vitest.mutate.config.ts); a mutant no test notices is a regression the suite would let through.
// Equivalent mutants are marked where they live, with `// Stryker disable next-line <mutator>: <reason>`.

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'test/vitest.mutate.config.ts' },
  mutate: [
    'electron/core/ssh/known-hosts.ts',
    'electron/core/ssh/host-key-decision.ts',
    'electron/core/ssh/quote.ts',
    'electron/core/vault/crypto.ts',
    'electron/core/vault/sealed.ts',
    'electron/core/log.ts',
    'electron/core/string-masker.ts',
    'electron/core/secret-forms.ts',
    'shared/profile/value-policy.ts',
    'shared/profile/value-formats.ts',
    'shared/profile/destinations.ts',
    'shared/profile/rules.ts',
    'electron/core/serve/security.ts',
    'electron/core/api/dispatcher.ts',
  ],
  // The sandbox needs sources and tests only: not the built app, screenshots or earlier reports. The
  // solution tsconfig.json is left out too: Stryker would rewrite it with the TypeScript compiler API,
  // which TypeScript 7 (a native binary) no longer ships; the tests do not need it (the layers'
  // own tsconfig files stay, and vitest strips types without checking them).
  ignorePatterns: ['out', 'test-results', 'docs/screenshots', '.lab', '.scratch', 'bench', 'dist', '/tsconfig.json'],
  coverageAnalysis: 'perTest',
  // Static mutants (module-level tables and constants: value formats, destinations, the CSP) would
  // need the whole test set each, about four hours here; they are counted as ignored, not as killed.
  ignoreStatic: true,
  // Two cores, shared with whoever else is working: one mutant at a time.
  concurrency: 1,
  timeoutMS: 10_000,
  reporters: ['html', 'clear-text', 'progress', 'json'],
  htmlReporter: { fileName: 'out/mutation/index.html' },
  jsonReporter: { fileName: 'out/mutation/report.json' },
  tempDirName: 'out/.stryker-tmp',
  thresholds: { high: 95, low: 90, break: 90 },
};
