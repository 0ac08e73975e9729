/** docs/profiles.md's table of where each secret lands is the one the code generates (build/value-table.ts). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withValueTable } from '../../build/value-table';
import { projectRoot } from '../helpers/serve';

describe('docs/profiles.md', () => {
  it('shows the value policy as the code has it (run `npm run docs:values` after changing it)', () => {
    const doc = readFileSync(join(projectRoot, 'docs', 'profiles.md'), 'utf8');
    expect(withValueTable(doc)).toBe(doc);
  });
});
