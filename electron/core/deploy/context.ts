/**
 * What every deployment step gets besides the runner's StepContext: the profile, its secrets (read
 * from the vault only when a step needs them), a shell on any node, the transfer service, the run's
 * options and the deployment's own records. Built by the deploy service for one run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Localized } from '../../../shared/i18n/localized';
import type { Profile } from '../../../shared/profile';
import type { KnownHosts } from '../ssh/known-hosts';
import type { SshPool } from '../ssh/pool';
import type { TransferService } from '../transfer/service';
import { writeFileAtomic } from '../vault/atomic';
import type { Redactor } from '../log';
import { deployError, NodeShell } from './remote';
import type { NodeRef, StepContext } from './step';

/** Choices the operator makes for a run (the UI and CLI ask; defaults are the safe ones). */
export interface DeployOptions {
  /**
   * What to do with an existing Harbor database the app did not create in an earlier run:
   * `refuse` (default: preflight stops and explains), `adopt` (it is this cluster's: keep it, as
   * when adding a node), `reset` (drop it and import registry.sql again: explicit consent).
   */
  readonly existingDatabase?: 'refuse' | 'adopt' | 'reset';
  /** Install docker, docker-compose and Python 2 where they are missing (yum or apt). */
  readonly installRuntime?: boolean;
  /**
   * Demonstration only: do not give the other nodes node 1's token keys. The push check then fails,
   * which shows why the keys must be shared. Never offered in the UI.
   */
  readonly unsafeSkipKeySharing?: boolean;
}

export const deployOptionsSchema = z
  .object({
    existingDatabase: z.enum(['refuse', 'adopt', 'reset']).optional(),
    installRuntime: z.boolean().optional(),
    unsafeSkipKeySharing: z.boolean().optional(),
  })
  .strict();

/** Facts about a cluster the app keeps between runs (no secrets). */
export interface DeployRecords {
  /** The Harbor database this app created (or the operator adopted) for the profile. */
  /** `database` is the 2.x database name (1.x always uses `registry`); 2.x creates it (`create`) instead of importing. */
  registryDatabase?: { host: string; port: number; database?: string; by: 'import' | 'adopt' | 'create'; runId: string; at: string };
  clairDatabase?: { host: string; port: number; database: string; at: string };
}

const recordsSchema = z.object({
  registryDatabase: z.object({ host: z.string(), port: z.number(), database: z.string().optional(), by: z.enum(['import', 'adopt', 'create']), runId: z.string(), at: z.string() }).optional(),
  clairDatabase: z.object({ host: z.string(), port: z.number(), database: z.string(), at: z.string() }).optional(),
});

export class RecordStore {
  constructor(private readonly dir: string) {}

  #file(profileId: string) {
    return join(this.dir, `${profileId}.records.json`);
  }

  load(profileId: string): DeployRecords {
    try {
      return recordsSchema.parse(JSON.parse(readFileSync(this.#file(profileId), 'utf8'))) as DeployRecords;
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

export interface InstallerInfo {
  readonly localPath: string;
  readonly name: string;
  readonly size: number;
  readonly sha256: string;
  /** Where it is kept on the nodes. */
  readonly remotePath: string;
}

export interface DeployEnv {
  readonly profile: Profile;
  readonly runId: string;
  readonly options: DeployOptions;
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
  /** The installer (hashed once per run). */
  installer(): Promise<InstallerInfo>;
  /** Work shared by the cells of one step in this run (one transfer for all nodes), started once. */
  once<T>(key: string, start: () => Promise<T>): Promise<T>;
}

export function missingSecret(profile: Profile, field: Localized): Error {
  return deployError(profile.name, {
    en: `The profile "${profile.name}" has no ${field.en} stored. Open the profile and enter it.`,
    'zh-CN': `集群配置“${profile.name}”中没有保存${field['zh-CN']}。请打开集群配置并输入。`,
  });
}
