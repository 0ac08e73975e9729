/**
 * Comparing a step's preview with what its apply ran, for the preview-is-the-plan tests: the preview of every node,
 * the run of that step alone on profile `lab`, and the audit log's commands under the step's own purpose.
 */
import { expect } from 'vitest';
import type { DeployOptions } from '../../electron/core/deploy/context';
import type { Journal } from '../../electron/core/deploy/journal';
import type { testCore } from './core';

/** A run of profile `lab` with only these steps, to its end. */
export async function deployOnly(core: ReturnType<typeof testCore>, only: string[], options?: DeployOptions): Promise<Journal> {
  // a step run again after a change may reinstall serving nodes: the test consents to every node
  const confirmDisruption = core.deploy.plan('lab').nodes.map((n) => n.id);
  const { runId } = await core.deploy.start('lab', { only, confirmDisruption, ...(options ? { options } : {}) });
  return core.deploy.wait(runId);
}

/**
 * Each node's preview of `stepId` for a run with `options`, then that run of the step alone; answers both, by node
 * label: the commands (`previewed`, `ran`: the audit under `deploy: <step>`, keyed by node, or by database server for
 * SQL), the SQL shown, the notes, the reads the step made to decide (`read`: under `deploy: <step> (reading)`).
 */
export async function previewThenApply(core: ReturnType<typeof testCore>, stepId: string, options?: DeployOptions) {
  const plan = core.deploy.plan('lab');
  const scope = plan.steps.find((s) => s.id === stepId)!.scope;
  const previewed = new Map<string, readonly string[]>();
  const notes = new Map<string, string[]>();
  const sql = new Map<string, readonly string[]>();
  for (const n of scope === 'cluster' ? [plan.nodes[0]!] : plan.nodes) {
    const p = await core.deploy.preview('lab', stepId, scope === 'cluster' ? undefined : n.id, options);
    previewed.set(n.label, p.commands);
    sql.set(n.label, p.sql);
    notes.set(
      n.label,
      p.notes.map((x) => x.en),
    );
  }
  const since = new Date().toISOString();
  const run = await deployOnly(core, [stepId], options);
  const ran = new Map<string, string[]>();
  const read = new Map<string, string[]>();
  for (const e of core.audit.read(100_000).reverse()) {
    if (e.time < since) continue;
    const into = e.purpose === `deploy: ${stepId}` ? ran : e.purpose === `deploy: ${stepId} (reading)` ? read : null;
    into?.set(e.node, [...(into.get(e.node) ?? []), e.command]);
  }
  // which cells applied (a cell whose check passed reports unchanged and runs nothing)
  const applied = new Set(
    plan.nodes.filter((n) => run.cells[stepId]?.[scope === 'cluster' ? '*' : n.id]?.status === 'succeeded').map((n) => n.label),
  );
  return { run, previewed, sql, ran, read, notes, applied };
}

/** Every node that applied ran exactly its preview's commands; the others ran nothing. */
export function expectPlanRan(r: Awaited<ReturnType<typeof previewThenApply>>): void {
  for (const [node, commands] of r.previewed) {
    if (r.applied.has(node)) expect(r.ran.get(node) ?? [], node).toEqual(commands);
    else expect(r.ran.get(node), node).toBeUndefined();
  }
}
