/**
 * What Harbor's deployment steps share besides the engine's DeployEnv: the installer (hashed once per file and
 * reused across runs) and the facts about the cluster the app keeps between runs (which database it created).
 */
import { statSync } from 'node:fs';
import { basename, posix } from 'node:path';
import { z } from 'zod';
import { ApiError } from '../../../shared/errors';
import { L } from '../../../shared/i18n/localized';
import type { Profile } from '../../../shared/profile';
import type { DeployEnv } from '../deploy/context';
import { sha256FileInWorker } from '../transfer/local';

/** Where installers are kept on the nodes. */
export const INSTALLER_DIR = '/opt/harbor-ha/installers';

export interface InstallerInfo {
  readonly localPath: string;
  readonly name: string;
  readonly size: number;
  readonly sha256: string;
  /** Where it is kept on the nodes. */
  readonly remotePath: string;
}

/** The installer's path on the nodes. */
export function installerRemotePath(p: Profile): string {
  const i = p.harbor.installer;
  const name =
    i.kind === 'local'
      ? posix.basename(i.path.replace(/\\/g, '/'))
      : i.kind === 'url'
        ? posix.basename(new URL(i.url).pathname) || 'harbor-installer.tgz'
        : posix.basename(i.object);
  return `${INSTALLER_DIR}/${name.replace(/[^A-Za-z0-9._-]/g, '_')}`;
}

const recordsSchema = z.object({
  /** The Harbor database this app created (2.x), imported (1.x) or the operator adopted; `database` is 2.x's name. */
  registryDatabase: z
    .object({
      host: z.string(),
      port: z.number(),
      database: z.string().optional(),
      by: z.enum(['import', 'adopt', 'create']),
      runId: z.string(),
      at: z.string(),
    })
    .optional(),
  clairDatabase: z.object({ host: z.string(), port: z.number(), database: z.string(), at: z.string() }).optional(),
  /** The last restore of the database from a backup archive: the run that did it and the archive's own run. */
  restoredDatabase: z.object({ runId: z.string(), file: z.string(), backupRunId: z.string(), at: z.string() }).optional(),
});

/** Facts about a Harbor cluster the app keeps between runs (no secrets). */
export type HarborRecords = z.infer<typeof recordsSchema>;

export interface HarborEnv extends DeployEnv {
  /** The installer (hashed once per file). */
  installer(): Promise<InstallerInfo>;
  /** This profile's Harbor records: a damaged or foreign file reads as none. */
  readonly harborRecords: {
    load(): HarborRecords;
    update(patch: (r: HarborRecords) => void): Promise<void>;
  };
}

/** sha256 of local installers by path, size and mtime: a 600 MB file is hashed once, not once per run. */
const hashes = new Map<string, Promise<string>>();

async function installerInfo(p: Profile): Promise<InstallerInfo> {
  const i = p.harbor.installer;
  const remotePath = installerRemotePath(p);
  if (i.kind !== 'local') return { localPath: '', name: basename(remotePath), size: 0, sha256: i.sha256?.toLowerCase() ?? '', remotePath };
  let info;
  try {
    info = statSync(i.path);
  } catch {
    throw new ApiError({
      code: 'invalid_input',
      issues: [{ path: 'harbor.installer.path', message: L(`${i.path} does not exist on this computer.`, `本机上不存在 ${i.path}。`) }],
      message: L(
        `The installer ${i.path} does not exist on this computer. Choose the file in the profile.`,
        `本机上不存在安装包 ${i.path}。请在集群配置中选择该文件。`,
      ),
    });
  }
  const key = `${i.path}\0${info.size}\0${info.mtimeMs}`;
  let sum = hashes.get(key);
  if (!sum) {
    sum = sha256FileInWorker(i.path);
    hashes.set(key, sum);
    sum.catch(() => hashes.delete(key));
  }
  return { localPath: i.path, name: basename(i.path), size: info.size, sha256: await sum, remotePath };
}

/** The engine's environment for one run or preview, with Harbor's additions. */
export function harborEnv(base: DeployEnv): HarborEnv {
  let installer: Promise<InstallerInfo> | null = null;
  const id = base.profile.id;
  const load = (): HarborRecords => {
    const r = recordsSchema.safeParse(base.records.load(id));
    return r.success ? r.data : {};
  };
  return {
    ...base,
    installer: () => (installer ??= installerInfo(base.profile)),
    harborRecords: {
      load,
      update: (patch) =>
        base.records.update(id, (raw) => {
          const r = load();
          patch(r);
          Object.assign(raw, r);
        }),
    },
  };
}
