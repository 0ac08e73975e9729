/**
 * Where profiles live on disk: `<dataDir>/profiles.json`, written with `conf` — the storage engine
 * of electron-store, without electron-store's own `import 'electron'` (the core must run in plain
 * Node: serve mode, the CLI and the tests use the same store). Writes are atomic (temporary file,
 * fsync, rename), so a process killed mid-write leaves the previous file. The file carries a
 * schema version; older files are migrated (after a backup copy), newer ones are refused.
 * Secrets are never here: secret fields hold `{ set }` only.
 */
import Conf from 'conf';
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { migrateProfile, SCHEMA_VERSION, type Profile } from '../../../shared/profile';
import type { LastDeploy } from '../../../shared/api/types';
import { ApiError } from '../../../shared/errors';

export interface ProfileRecord {
  readonly profile: Profile;
  /** Increases by one on every save; a save against an older revision is a conflict. */
  readonly revision: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly lastDeploy?: LastDeploy;
}

interface StoreFile {
  schemaVersion: number;
  profiles: Record<string, ProfileRecord>;
}

/** Migrations from version N to N+1, applied in order on open. */
export type Migration = (data: Record<string, unknown>) => Record<string, unknown>;
export const MIGRATIONS: Record<number, Migration> = {
  // 0 → 1: files written before the version field existed held `profiles` already in today's shape.
  0: (data) => ({ ...data, profiles: data.profiles ?? {} }),
  // 1 → 2: the profiles themselves changed shape (shared/profile/migrations.ts).
  1: (data) => ({
    ...data,
    profiles: Object.fromEntries(
      Object.entries((data.profiles ?? {}) as Record<string, Record<string, unknown>>).map(([id, record]) => [
        id,
        { ...record, profile: migrateProfile(record.profile, 1) },
      ]),
    ),
  }),
};

const FILE_NAME = 'profiles';

export class ProfileStore {
  readonly #conf: Conf<StoreFile>;
  readonly path: string;

  private constructor(conf: Conf<StoreFile>) {
    this.#conf = conf;
    this.path = conf.path;
  }

  /** Opens (and if needed migrates) the store in `dataDir`. Throws an ApiError for unreadable files. */
  static open(dataDir: string, migrations: Record<number, Migration> = MIGRATIONS, currentVersion = SCHEMA_VERSION): ProfileStore {
    const file = join(dataDir, `${FILE_NAME}.json`);
    // Temporary files of writers that died before their rename: the real file is intact without them.
    for (const name of existsSync(dataDir) ? readdirSync(dataDir) : []) {
      if (name.startsWith(`${FILE_NAME}.json.tmp-`)) rmSync(join(dataDir, name), { force: true });
    }
    let conf: Conf<StoreFile>;
    try {
      conf = new Conf<StoreFile>({
        cwd: dataDir,
        configName: FILE_NAME,
        projectName: 'harbor-ha-deployer',
        clearInvalidConfig: false,
        configFileMode: 0o600,
        accessPropertiesByDotNotation: false,
        watch: false,
      });
    } catch (error) {
      throw storeError('unreadable', file, (error as Error).message);
    }
    const store = new ProfileStore(conf);
    store.#migrate(migrations, currentVersion);
    return store;
  }

  #migrate(migrations: Record<number, Migration>, current: number) {
    const raw = { ...this.#conf.store } as Record<string, unknown>;
    const fresh = Object.keys(raw).length === 0;
    let version = typeof raw.schemaVersion === 'number' ? raw.schemaVersion : fresh ? current : 0;
    if (version > current) throw storeError('newer', this.path, `schema version ${version} > ${current}`);
    if (version === current && !fresh) return;
    if (!fresh && existsSync(this.path)) copyFileSync(this.path, `${this.path}.v${version}.bak`);
    let data = raw;
    while (version < current) {
      const step = migrations[version];
      if (!step) throw storeError('unreadable', this.path, `no migration from schema version ${version}`);
      data = step(data);
      version += 1;
    }
    this.#conf.store = { ...(data as object), schemaVersion: current, profiles: (data.profiles as StoreFile['profiles']) ?? {} };
  }

  list(): ProfileRecord[] {
    return Object.values(this.#conf.get('profiles') ?? {}).sort((a, b) => a.profile.name.localeCompare(b.profile.name));
  }

  get(id: string): ProfileRecord | undefined {
    const all = this.#conf.get('profiles') ?? {};
    return Object.hasOwn(all, id) ? all[id] : undefined;
  }

  /** Writes one record (the whole file, atomically). */
  put(record: ProfileRecord): void {
    const all = { ...(this.#conf.get('profiles') ?? {}) };
    all[record.profile.id] = record;
    this.#conf.set('profiles', all);
  }

  delete(id: string): boolean {
    const all = { ...(this.#conf.get('profiles') ?? {}) };
    if (!Object.hasOwn(all, id)) return false;
    delete all[id];
    this.#conf.set('profiles', all);
    return true;
  }

  /** The raw file text, for tests and diagnostics. */
  readRaw(): string {
    return readFileSync(this.path, 'utf8');
  }
}

function storeError(kind: 'unreadable' | 'newer', file: string, detail: string): ApiError {
  return new ApiError({
    code: 'storage',
    message:
      kind === 'newer'
        ? {
            en: `The profiles file ${file} was written by a newer version of Harbor HA Deployer (${detail}). Update the app; the file was not changed.`,
            'zh-CN': `集群配置文件 ${file} 由更新版本的 Harbor HA Deployer 写入（${detail}）。请升级应用；该文件未被修改。`,
          }
        : {
            en: `The profiles file ${file} cannot be read (${detail}). Nothing was changed. Restore it from a backup (a .bak copy is kept before every migration) or move it away to start with no profiles.`,
            'zh-CN': `无法读取集群配置文件 ${file}（${detail}），未做任何更改。请从备份恢复（每次迁移前都会保留 .bak 副本），或将其移走以从空白开始。`,
          },
  });
}
