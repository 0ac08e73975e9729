/**
 * The Harbor generation adapter: everything the rest of the core needs to know about a Harbor generation, chosen by
 * the profile. core.ts injects it into the deploy engine (as its DeploymentKind) and into the health sweep (as its
 * NodeKind), so neither `deploy/` nor `health/` imports Harbor, and each fact exists once (harbor/node.ts).
 */
import type { OperationId } from '../../../shared/api/contracts/deploy';
import { ApiError } from '../../../shared/errors';
import { L } from '../../../shared/i18n/localized';
import type { Generation, Profile } from '../../../shared/profile';
import type { DeployOptions } from '../deploy/context';
import type { DeploymentKind } from '../deploy/kind';
import type { Step } from '../deploy/step';
import type { NodeKind, SharedLine } from '../health/kind';
import { harborEnv, type HarborEnv } from './env';
import { componentService, harborHealth } from './health-answer';
import {
  DOCKER_PS,
  HARBOR_LOG_DIR,
  LOCAL_STATE_CONTAINERS,
  nodeEndpoint,
  parseDockerPs,
  PROXY_CONTAINER,
  V2_CSRF_KEY,
  v1Containers,
  v1KeyFiles,
  v2Containers,
  v2SecretFiles,
  type KeyFile,
} from './node';
import { backupSteps } from './backup/steps';
import { restoreSteps } from './restore/steps';
import { upgradeSteps } from './upgrade/steps';
import { rotateSteps } from './rotate/steps';
import { v1Steps } from './v1/steps';
import { v2Steps } from './v2/steps';

export interface HarborAdapter {
  readonly generation: Generation;
  /** The deployment's steps for this profile, in order. */
  steps(p: Profile): Step<HarborEnv>[];
  /** The containers a healthy node runs. */
  containers(p: Profile): string[];
  /** The files every node must hold byte for byte (the token key pair, the secret key). */
  sharedKeyFiles(p: Profile): KeyFile[];
  /** The line holding the key that signs the portal's CSRF tokens, which every node must share (2.x). */
  readonly csrfKey?: SharedLine;
}

const ADAPTERS: Readonly<Record<Generation, HarborAdapter>> = {
  v1: { generation: 'v1', steps: v1Steps, containers: v1Containers, sharedKeyFiles: v1KeyFiles },
  v2: { generation: 'v2', steps: v2Steps, containers: v2Containers, sharedKeyFiles: v2SecretFiles, csrfKey: V2_CSRF_KEY },
};

export function harborAdapter(p: Profile): HarborAdapter {
  return ADAPTERS[p.harbor.generation];
}

/** `existingDatabase: reset` drops a live database: only when the operator typed its host again. */
function confirmDatabaseReset(p: Profile, options: DeployOptions, confirmation: string | undefined): void {
  if (options.existingDatabase !== 'reset' || confirmation === p.database.host) return;
  throw new ApiError({
    code: 'confirmation_required',
    reason: 'reset_database',
    message: L(
      `Resetting drops the Harbor database on ${p.database.host} (every project, user and image record). To confirm, type the database host ${p.database.host}.`,
      `重置会删除 ${p.database.host} 上的 Harbor 数据库（所有项目、用户和镜像记录）。如确认，请输入数据库地址 ${p.database.host}。`,
    ),
  });
}

/** Each operation of the engine as the plan of a profile: the walkthrough's deployment and the day-two operations. */
const OPERATIONS: Readonly<Record<OperationId, (p: Profile, adapter: HarborAdapter) => Step<HarborEnv>[]>> = {
  deploy: (p, adapter) => adapter.steps(p),
  backup: (_p, adapter) => backupSteps(adapter),
  restore: (p, adapter) => restoreSteps(p, adapter),
  upgrade: (p, adapter) => upgradeSteps(p, adapter),
  'rotate-cert': (p) => rotateSteps(p),
};

/** Harbor as the deploy engine's deployment kind. */
export const harborDeployment: DeploymentKind<HarborEnv> = {
  steps: (p, operation) => OPERATIONS[operation](p, harborAdapter(p)),
  env: harborEnv,
  beforeStart: confirmDatabaseReset,
};

/** Harbor as the health sweep's node kind: the generation's facts from its adapter, the rest from harbor/node.ts. */
export const harborNodes: NodeKind = {
  containers: (p) => harborAdapter(p).containers(p),
  localStateContainers: LOCAL_STATE_CONTAINERS,
  proxyContainer: PROXY_CONTAINER,
  containerList: { argv: DOCKER_PS, parse: parseDockerPs },
  logFolder: HARBOR_LOG_DIR,
  sharedFiles: (p) => harborAdapter(p).sharedKeyFiles(p),
  csrfKey: (p) => harborAdapter(p).csrfKey,
  nodeEndpoint,
  health: (graph, get, where) => harborHealth(graph.generation, graph.domain, get, where),
  componentService,
};
