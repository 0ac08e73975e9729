/** Reading deployment journals in tests: statuses per step and node, the failures as text, a run stopped at preflight. */
import { expect } from 'vitest';
import type { Journal } from '../../electron/core/deploy/journal';
import type { LabNode } from '../lab';

export const statuses = (j: Journal) =>
  Object.fromEntries(
    Object.entries(j.cells).map(([s, byNode]) => [s, Object.fromEntries(Object.entries(byNode).map(([n, c]) => [n, c.status]))]),
  );

export const failures = (j: Journal) =>
  Object.entries(j.cells)
    .flatMap(([s, byNode]) => Object.entries(byNode).map(([n, c]) => ({ s, n, c })))
    .filter((x) => x.c.status === 'failed' || x.c.status === 'blocked')
    .map((x) => `${x.s}@${x.n}: ${x.c.status} ${x.c.error?.en ?? x.c.reason?.en ?? ''}`)
    .join('\n');

/**
 * The run stopped at preflight: nothing after it ran, and nothing was written on any node (none of
 * `paths` exists, no NAT rule).
 */
export async function expectStoppedAtPreflight(j: Journal, nodes: readonly LabNode[], paths: readonly string[]): Promise<void> {
  expect(j.state).toBe('failed');
  for (const step of j.steps.slice(1)) for (const c of Object.values(j.cells[step]!)) expect(c.status, step).toBe('blocked');
  const test = paths.map((x) => `test -e ${x}`).join(' || ');
  for (const n of nodes) {
    expect((await n.exec(test)).code, n.name).not.toBe(0);
    expect(await n.exec('iptables -t nat -S').then((r) => r.stdout)).not.toContain('REDIRECT');
  }
}
