/**
 * The fast tests Stryker runs against each mutant of the security core (build/stryker.config.mjs):
 * unit tests only, with no global setup, because a mutation run starts thousands of test runs and
 * none of these needs the built app or a lab.
 */
import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * The unit tests that exercise the mutated files. Each mutant reruns the tests that cover it, so slow files are left
 * out when faster ones cover the same code: vault.test.ts (scrypt at full cost, 9 s) behind vault-crypto.test.ts, and
 * api-errors.test.ts (a server per test) behind contract.test.ts and input-limits.test.ts.
 */
export const MUTATION_TESTS = [
  'test/unit/ssh-pure.test.ts',
  'test/unit/host-key-decision.test.ts',
  'test/unit/known-hosts.test.ts',
  'test/unit/redactor.test.ts',
  'test/unit/redactor-edges.test.ts',
  'test/unit/vault-crypto.test.ts',
  'test/unit/vault-sealed.test.ts',
  'test/unit/profile-schema.test.ts',
  'test/unit/value-policy.test.ts',
  'test/unit/value-policy-golden.test.ts',
  'test/unit/profile-rules-golden.test.ts',
  'test/unit/serve.test.ts',
  'test/unit/serve-security.test.ts',
  'test/unit/contract.test.ts',
  'test/unit/input-limits.test.ts',
  'test/unit/dispatcher-streams.test.ts',
];

export default defineConfig({
  root,
  test: {
    include: MUTATION_TESTS,
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Stryker runs one mutant at a time per worker; the machine has two cores shared with others.
    maxWorkers: 1,
  },
});
