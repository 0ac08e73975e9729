/** Reading deployment journals in tests: statuses per step and node, and the failures as text. */
import type { Journal } from '../../electron/core/deploy/journal';

export const statuses = (j: Journal) => Object.fromEntries(Object.entries(j.cells).map(([s, byNode]) => [s, Object.fromEntries(Object.entries(byNode).map(([n, c]) => [n, c.status]))]));

export const failures = (j: Journal) =>
  Object.entries(j.cells)
    .flatMap(([s, byNode]) => Object.entries(byNode).map(([n, c]) => ({ s, n, c })))
    .filter((x) => x.c.status === 'failed' || x.c.status === 'blocked')
    .map((x) => `${x.s}@${x.n}: ${x.c.status} ${x.c.error?.en ?? x.c.reason?.en ?? ''}`)
    .join('\n');
