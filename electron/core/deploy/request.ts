/**
 * What a run is asked to do (steps, nodes, skips, concurrency) and its check against the plan, and
 * the nodes of a profile as plans and journals name them.
 */
import type { OperationId } from '../../../shared/api/contracts/deploy';
import { errors, type FieldIssue } from '../../../shared/errors';
import { type Localized, L } from '../../../shared/i18n/localized';
import type { Profile } from '../../../shared/profile';
import { nodeLabel } from '../ssh/targets';
import type { DeployEnv, DeployOptions } from './context';
import type { NodeRef, Step } from './step';

export interface StartRequest {
  /** What the run does (default: a deployment). */
  readonly operation?: OperationId;
  /**
   * What the operation's steps read (DeployEnv.input): held in memory for this run only, never written to its journal,
   * so it may carry a secret the operator typed (a backup's passphrase); a resume passes it again.
   */
  readonly input?: unknown;
  readonly options?: DeployOptions;
  readonly confirmReset?: string;
  /** The serving nodes the operator agreed this run may stop (disruption.ts). */
  readonly confirmDisruption?: readonly string[];
  readonly only?: readonly string[];
  readonly nodes?: readonly string[];
  readonly skip?: Readonly<Record<string, Localized>>;
  readonly concurrency?: number;
}

export function nodeRefs(p: Profile): NodeRef[] {
  return p.nodes.map((n, index) => ({ id: n.id, label: nodeLabel(p, n), index }));
}

/**
 * A run that names a step or node the plan does not have would finish having done nothing: refuse
 * it first, naming the unknown ids and the valid ones. An empty `only` selects no step at all.
 */
export function checkSelection(call: string, p: Profile, steps: readonly Step<DeployEnv>[], request: StartRequest): void {
  const stepIds = steps.map((s) => s.id);
  const nodeIds = p.nodes.map((n) => n.id);
  const list = (ids: readonly string[]) => ids.map((id) => `"${id}"`).join(', ');
  const issues: FieldIssue[] = [];
  const unknownSteps = (path: string, ids: readonly string[]) => {
    const bad = ids.filter((id) => !stepIds.includes(id));
    if (bad.length) {
      issues.push({
        path,
        message: L(
          `no step ${list(bad)} in this plan; its steps are ${list(stepIds)}`,
          `计划中没有步骤 ${list(bad)}；计划的步骤为 ${list(stepIds)}`,
        ),
      });
    }
  };
  if (request.only) {
    if (request.only.length === 0)
      issues.push({ path: 'only', message: L(`choose at least one step: ${list(stepIds)}`, `请至少选择一个步骤：${list(stepIds)}`) });
    unknownSteps('only', request.only);
  }
  if (request.skip) unknownSteps('skip', Object.keys(request.skip));
  const badNodes = (request.nodes ?? []).filter((id) => !nodeIds.includes(id));
  if (badNodes.length) {
    issues.push({
      path: 'nodes',
      message: L(
        `the profile has no node ${list(badNodes)}; its nodes are ${list(nodeIds)}`,
        `集群配置中没有节点 ${list(badNodes)}；其节点为 ${list(nodeIds)}`,
      ),
    });
  }
  if (issues.length) throw errors.invalidInput(call, issues);
}
