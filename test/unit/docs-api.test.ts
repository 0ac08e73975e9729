/** docs/api.md's reference is the one the contract generates (build/api-docs.ts). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiReference, BEGIN, END, withApiReference } from '../../build/api-docs';
import { contract } from '../../shared/api';
import { projectRoot } from '../helpers/serve';

describe('docs/api.md', () => {
  it('lists every call and stream as the contract has them (run `npm run docs:api` after changing shared/api)', () => {
    const doc = readFileSync(join(projectRoot, 'docs', 'api.md'), 'utf8');
    expect(withApiReference(doc), 'docs/api.md is stale: run `npm run docs:api`').toBe(doc);
  });

  it('gives every entry its input, its answer or events, and its errors', () => {
    const reference = apiReference();
    expect(reference.startsWith(BEGIN) && reference.endsWith(END)).toBe(true);
    for (const [name, spec] of Object.entries(contract)) {
      const section = reference.split(`#### \`${name}\` (${spec.kind})\n`)[1]?.split('\n#### ')[0] ?? '';
      expect(section, name).toContain(spec.doc);
      expect(section, name).toMatch(/^Input.*:\n\n```ts\n\{/m);
      expect(section, name).toMatch(spec.kind === 'call' ? /^Answers `[^`]+`/m : /^Emits `[^`]+`/m);
      expect(section, name).toMatch(/^(Errors of its own:|No errors of its own\.)$/m);
    }
  });
});
