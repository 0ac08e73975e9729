/**
 * What the engine needs from the thing it deploys. The engine (plans, previews, runs, journals) knows steps, nodes
 * and cells; a deployment kind — the Harbor adapter, electron/core/harbor/adapter.ts — knows what the steps do. It is
 * injected by core.ts, so deploy/ never imports what it deploys.
 */
import type { OperationId } from '../../../shared/api/contracts/deploy';
import type { Profile } from '../../../shared/profile';
import type { DeployEnv, DeployOptions } from './context';
import type { Step } from './step';

export interface DeploymentKind<E extends DeployEnv = DeployEnv> {
  /** The steps a run of this operation on this profile goes through, in order. */
  steps(p: Profile, operation: OperationId): Step<E>[];
  /** The environment the steps get: the engine's, plus what this kind's steps share (built once per run or preview). */
  env(base: DeployEnv): E;
  /**
   * Refuse a run before it starts (an ApiError): e.g. an option that destroys data without the operator's
   * confirmation. Nothing has been recorded or changed when this throws.
   */
  beforeStart?(p: Profile, options: DeployOptions, confirmation: string | undefined): void;
}
