/**
 * What every deployment step gets besides the runner's StepContext: the profile, its secrets (read
 * from the vault only when a step needs them), a shell on any node, the transfer service, the run's
 * options and the deployment's own records. Built by the deploy service for one run; a deployment
 * kind (the Harbor adapter) adds what its own steps need (DeploymentKind.env).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import type { runOptions } from '../../../shared/api/contracts/deploy';
import type { Localized } from '../../../shared/i18n/localized';
import type { Profile } from '../../../shared/profile';
import type { KnownHosts } from '../ssh/known-hosts';
import type { SshPool } from '../ssh/pool';
import type { TransferService } from '../transfer/service';
import { writeFileAtomic } from '../vault/atomic';
import type { Redactor } from '../log';
import { deployError, NodeShell } from './remote';
import type { NodeRef, StepContext } from './step';

/** Choices the operator makes for a run, as the API takes them; what they mean is the deployment kind's business. */
export type DeployOptions = z.infer<typeof runOptions>;

/** Facts about a cluster a deployment kind keeps between runs (no secrets), as JSON by key; the kind owns their shape. */
export type DeployRecords = Record<string, unknown>;

export class RecordStore {
  constructor(private readonly dir: string) {}

  #file(profileId: string) {
    return join(this.dir, `${profileId}.records.json`);
  }

  load(profileId: string): DeployRecords {
    try {
      const v: unknown = JSON.parse(readFileSync(this.#file(profileId), 'utf8'));
      return v && typeof v === 'object' && !Array.isArray(v) ? (v as DeployRecords) : {};
    } catch {
      return {};
    }
  }

  async update(profileId: string, patch: (r: DeployRecords) => void): Promise<void> {
    const r = this.load(profileId);
    patch(r);
    await writeFileAtomic(this.#file(profileId), JSON.stringify(r, null, 1));
  }
}

export interface DeployEnv {
  readonly profile: Profile;
  readonly runId: string;
  readonly options: DeployOptions;
  /** What the run's operation was started with (StartRequest.input): its steps parse it with their own schema. */
  readonly input?: unknown;
  readonly pool: SshPool;
  readonly transfers: TransferService;
  readonly knownHosts: KnownHosts;
  readonly redactor: Redactor;
  readonly records: RecordStore;
  /** A secret of the profile by its slot key (shared/profile/secrets.ts), e.g. `database.admin.password`. */
  secret(key: string): string | undefined;
  /** Like secret, but missing is an error naming the field. */
  requireSecret(key: string, field: Localized): string;
  /** A shell on a node, its commands recorded with `deploy <step>` as their purpose. */
  shell(node: NodeRef | string, stepId: string, ctx?: Pick<StepContext, 'log' | 'signal'>): NodeShell;
  /** Work shared by the cells of one step in this run (one transfer for all nodes), started once. */
  once<T>(key: string, start: () => Promise<T>): Promise<T>;
}

export function missingSecret(profile: Profile, field: Localized): Error {
  return deployError(profile.name, {
    en: `The profile "${profile.name}" has no ${field.en} stored. Open the profile and enter it.`,
    'zh-CN': `集群配置“${profile.name}”中没有保存${field['zh-CN']}。请打开集群配置并输入。`,
  });
}
