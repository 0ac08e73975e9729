/** The env of one run (or preview): the profile's secrets read from the vault when a step asks, a shell on any node, work done once per run. */
import type { Profile } from '../../../shared/profile';
import type { Redactor } from '../log';
import { fromVaultError } from '../profiles/errors';
import { secretPrefix } from '../profiles/secrets';
import type { KnownHosts } from '../ssh/known-hosts';
import type { SshPool } from '../ssh/pool';
import type { TransferService } from '../transfer/service';
import type { Vault } from '../vault/vault';
import { missingSecret, type DeployEnv, type DeployOptions, type RecordStore } from './context';
import type { DeploymentKind } from './kind';
import { NodeShell } from './remote';

/** What every run's env is built from: the core's services, and the deployment kind, which adds its own. */
export interface RunEnvSources {
  readonly vault: Vault;
  readonly pool: SshPool;
  readonly transfers: TransferService;
  readonly knownHosts: KnownHosts;
  readonly redactor: Redactor;
  /** What is deployed: its steps and what they share (core.ts injects the Harbor adapter). */
  readonly kind: DeploymentKind;
}

export function runEnv(
  sources: RunEnvSources,
  records: RecordStore,
  p: Profile,
  runId: string,
  options: DeployOptions,
  input?: unknown,
): DeployEnv {
  const vault = sources.vault;
  const prefix = secretPrefix(p.id);
  const onceMap = new Map<string, Promise<unknown>>();
  const secret = (key: string): string | undefined => {
    try {
      return vault.has(prefix + key) ? vault.get(prefix + key) : undefined;
    } catch (error) {
      throw fromVaultError(error);
    }
  };
  return sources.kind.env({
    profile: p,
    runId,
    options,
    input,
    pool: sources.pool,
    transfers: sources.transfers,
    knownHosts: sources.knownHosts,
    redactor: sources.redactor,
    records,
    secret,
    requireSecret: (key, field) => {
      const v = secret(key);
      if (v === undefined || v === '') throw missingSecret(p, field);
      return v;
    },
    shell: (node, stepId, ctx) =>
      new NodeShell(sources.pool, p.id, typeof node === 'string' ? node : node.id, `deploy: ${stepId}`, ctx?.log, ctx?.signal),
    once: <T>(key: string, start: () => Promise<T>) => {
      let v = onceMap.get(key) as Promise<T> | undefined;
      if (!v) {
        v = start();
        onceMap.set(key, v);
      }
      return v;
    },
  });
}
