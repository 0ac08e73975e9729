/**
 * A restore of a backup archive as a plan of the deployment engine (operation `restore`), into the cluster it came from
 * or into a new profile on fresh nodes (a disaster-recovery drill). It is the deployment's own plan with three changes:
 * it starts by reading the archive whole (nothing changes anywhere if the passphrase, a byte or the versions are wrong);
 * it stops Harbor on every node before the database is touched (goharbor/harbor#10729: a restore under running cores
 * fails on their open connections, and a core started on a half-restored schema migrates it); and the database step
 * replaces the database with the dump instead of creating an empty one. The shared secrets and the CSRF key then come
 * from the archive (harbor/restore/source.ts), node 1 installs first, then the rest, then the deployment's verify.
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import type { Profile } from '../../../../shared/profile';
import { after, type CheckResult, type Step } from '../../deploy/step';
import { planned, readOnly, readShell, type Action } from '../../deploy/plan';
import type { HarborAdapter } from '../adapter';
import { bundleVersion, chooseHarborDbImage, harborDbRepository, parseDockerImages, restoreSpec, stagingDir } from '../backup/dump';
import { firstNode, L, type Ctx } from '../common/context';
import { HARBOR_DIR } from '../common/paths';
import { freeKb } from '../common/steps/nodes';
import { stopStep } from '../common/steps/stop';
import type { HarborEnv } from '../env';
import { createDatabaseSql, dropDatabaseSql, harborDbState, ident, pgFromNode } from '../v2/database';
import { adminOpener, adminStatement, harborDbName } from '../v2/steps/context';
import { deployError } from '../../deploy/remote';
import { mysqlRestoreActions, mysqlTargetState, restoreKeysStep } from './mysql';
import { restoreInputOf, restoreSource, type RestoreRunInput } from './source';

const MB = 1 << 20;
const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;

function inputOf(ctx: Ctx): RestoreRunInput {
  const i = restoreInputOf(ctx);
  if (!i) throw new Error('a restore run needs its input (maintenance.restore)');
  return i;
}

/** The database host typed again: what a restore over Harbor data or a serving cluster needs. */
export const confirmed = (p: Profile, input: Pick<RestoreRunInput, 'confirmation'>) => input.confirmation === p.database.host;

const harborPassword = (ctx: Ctx) => ctx.requireSecret('database.harbor.password', L('Harbor database password', 'Harbor 数据库密码'));

function checkStep(): Step<HarborEnv> {
  return readOnly<HarborEnv>({
    id: 'restore-check',
    title: L('Read the archive and check the target', '读取归档并检查恢复目标'),
    explain: L(
      "Changes nothing. Decrypts the archive with the passphrase and reads it whole against its manifest (every member's sha256), so a wrong passphrase or a damaged byte stops the restore before any node is touched; checks that the archive's Harbor is the version and generation the profile installs and uses the same database engine; and reads the target database through node 1: a database that already holds Harbor data is replaced only when you typed its host again.",
      '不做任何修改。用口令解密归档并按清单完整读取（校验每个成员的 sha256），口令错误或任一字节损坏都会在触及任何节点之前终止恢复；检查归档中的 Harbor 与集群配置安装的版本和代次一致、数据库引擎相同；并通过节点 1 读取目标数据库：已有 Harbor 数据的数据库，只有在您再次输入其地址后才会被替换。',
    ),
    scope: 'cluster',
    gate: true,
    reads: L('Reads the archive on this computer and the database through node 1.', '读取本机上的归档，并通过节点 1 读取数据库。'),
    failReason: 'restore_check',
    async check(ctx): Promise<CheckResult> {
      const input = inputOf(ctx);
      const p = ctx.profile;
      if (
        !isAbsolute(input.file) ||
        !(await access(input.file, constants.R_OK).then(
          () => true,
          () => false,
        ))
      )
        return { done: false, field: 'file', reason: L(`There is no archive at ${input.file}.`, `${input.file} 处没有归档。`) };
      const source = await restoreSource(ctx)!;
      const m = source.manifest;
      if (m.harbor.generation !== p.harbor.generation || m.database.engine !== p.database.engine)
        return {
          done: false,
          field: 'harbor.generation',
          reason: L(
            `The archive is of a Harbor ${m.harbor.version} cluster on ${m.database.engine}; the profile installs Harbor ${p.harbor.version} on ${p.database.engine}. Restore it into a profile of the same generation and database engine.`,
            `该归档来自使用 ${m.database.engine} 的 Harbor ${m.harbor.version} 集群；集群配置安装的是使用 ${p.database.engine} 的 Harbor ${p.harbor.version}。请恢复到代次和数据库引擎相同的集群配置中。`,
          ),
        };
      if (m.harbor.version !== p.harbor.version)
        return {
          done: false,
          field: 'harbor.version',
          reason: L(
            `The archive is of Harbor ${m.harbor.version}; the profile installs ${p.harbor.version}. The database schema is ${m.harbor.version}'s: restore into a profile of Harbor ${m.harbor.version} (its installer), then upgrade.`,
            `该归档来自 Harbor ${m.harbor.version}；集群配置安装的是 ${p.harbor.version}。数据库结构属于 ${m.harbor.version}：请恢复到 Harbor ${m.harbor.version}（使用其安装包）的集群配置中，然后再升级。`,
          ),
        };
      const db = p.database;
      const name = harborDbName(p);
      const state =
        db.engine === 'postgresql'
          ? await harborDbState(await adminOpener(ctx, 'restore-check'), name, db.harbor.user)
          : { ...(await mysqlTargetState(ctx)), roleExists: true, harborSchema: true };
      if (!state.roleExists)
        return {
          done: false,
          field: 'database.harbor.user',
          reason: L(
            `The account ${db.harbor.user} does not exist on ${db.host}. Create it (in the RDS console: a standard account) with the password in the profile, then run the restore again.`,
            `${db.host} 上不存在账号 ${db.harbor.user}。请创建该账号（RDS 控制台中的普通账号），密码与集群配置一致，然后重新运行恢复。`,
          ),
        };
      if (state.exists && state.tables > 0 && !confirmed(p, input))
        return {
          done: false,
          field: 'confirmation',
          reason: L(
            `"${name}" on ${db.host} holds ${state.tables} tables${state.harborSchema ? " of Harbor's" : ''}: the restore drops it and loads the archive's data made ${m.createdAt}. To confirm, type the database host ${db.host}.`,
            `${db.host} 上的“${name}”有 ${state.tables} 张表${state.harborSchema ? '（Harbor 的数据）' : ''}：恢复会删除它并载入归档中 ${m.createdAt} 的数据。如确认，请输入数据库地址 ${db.host}。`,
          ),
        };
      const free = await freeKb(readShell(ctx, 'restore-check', firstNode(ctx)), p.options.dataVolume);
      if (free !== null && free * 1024 < source.dump.size * 1.1)
        return {
          done: false,
          reason: L(
            `Node 1 has ${mb(free * 1024)} free in ${p.options.dataVolume}; the dump takes ${mb(source.dump.size)}: free that much there first.`,
            `节点 1 的 ${p.options.dataVolume} 只有 ${mb(free * 1024)} 可用空间，而导出文件为 ${mb(source.dump.size)}：请先腾出足够空间。`,
          ),
        };
      const target = state.exists
        ? L(`"${name}" (${state.tables} tables) replaced`, `替换“${name}”（${state.tables} 张表）`)
        : L(`"${name}" created`, `创建“${name}”`);
      return {
        done: true,
        reason: L(
          `archive of "${m.profile.name}", Harbor ${m.harbor.version}, made ${m.createdAt}: ${m.parts.length} members verified; database ${mb(source.dump.size)}; ${target.en}`,
          `“${m.profile.name}”的归档，Harbor ${m.harbor.version}，生成于 ${m.createdAt}：${m.parts.length} 个成员校验通过；数据库 ${mb(source.dump.size)}；${target['zh-CN']}`,
        ),
      };
    },
  });
}

/** Harbor's images bundle in the unpacked installer (install.sh loads it), for a node that never installed. */
async function imagesBundle(ctx: Ctx): Promise<string | null> {
  const r = await readShell(ctx, 'restore-database', firstNode(ctx)).run([
    'sh',
    '-c',
    'for f in "$1"/harbor.v*.tar.gz; do [ -f "$f" ] && echo "$f" && exit 0; done; exit 1',
    'sh',
    HARBOR_DIR,
  ]);
  return r.code === 0 ? r.stdout.trim() : null;
}

function databaseStep(): Step<HarborEnv> {
  return planned<HarborEnv>({
    id: 'restore-database',
    title: L('Replace the database with the backup', '用备份替换数据库'),
    explain: L(
      "Streams the dump from the archive to a private folder on node 1 (decrypted as it goes, kept only when its sha256 is the manifest's), then, with the admin account through node 1, drops the Harbor database and creates it again owned by the Harbor account, and loads the dump with the pg_restore of Harbor's own harbor-db image as the Harbor account, in one transaction (a failure leaves it empty, never half-filled). The dump and the password file are removed afterwards.",
      '将归档中的导出文件以流的方式传到节点 1 上的私有文件夹（边传边解密，只有 sha256 与清单一致才保留），然后通过节点 1 以管理员账号删除 Harbor 数据库，再创建一个归 Harbor 账号所有的新库，并以 Harbor 账号用 Harbor 自带 harbor-db 镜像中的 pg_restore 在一个事务中导入（失败时数据库为空，绝不会只导入一半）。之后删除导出文件和密码文件。',
    ),
    scope: 'cluster',
    dependsOn: ['restore-stop', 'unpack'],
    async check(ctx) {
      const r = ctx.harborRecords.load().restoredDatabase;
      return r?.runId === ctx.runId
        ? { done: true, reason: L(`restored in this run from ${r.file}`, `已在本次运行中从 ${r.file} 恢复`) }
        : { done: false };
    },
    async plan(ctx) {
      const p = ctx.profile;
      const db = p.database;
      const source = await restoreSource(ctx)!;
      const name = harborDbName(p);
      const via = firstNode(ctx).label;
      const node = readShell(ctx, 'restore-database', firstNode(ctx));
      const actions: Action[] = [];
      let image = chooseHarborDbImage(p, parseDockerImages(await node.ok(['docker', 'images'])));
      if (!image) {
        const bundle = await imagesBundle(ctx);
        const version = bundle ? bundleVersion(bundle) : null;
        if (!bundle || !version)
          return {
            actions: [
              {
                kind: 'fail',
                message: L(
                  `${via} has neither ${harborDbRepository(p)} nor the unpacked installer's images: run the unpack step first.`,
                  `${via} 上既没有 ${harborDbRepository(p)} 镜像，也没有已解压安装包中的镜像：请先运行解压步骤。`,
                ),
              },
            ],
          };
        actions.push({ kind: 'run', argv: ['docker', 'load', '-i', bundle], done: L(`loaded ${bundle}`, `已加载 ${bundle}`) });
        // the bundle holds the images of the installer's own version (Harbor's package_offline names it after it)
        image = `${harborDbRepository(p)}:v${version}`;
      }
      const dir = stagingDir(p, ctx.runId);
      const upload = (file: string): Action[] => [
        { kind: 'run', argv: ['sh', '-c', 'umask 077; mkdir -p -- "$1" && chmod 700 -- "$1"', 'sh', dir] },
        {
          kind: 'upload',
          path: file,
          sha256: source.dump.sha256,
          mode: 0o600,
          open: () => source.openDump(),
          done: L(
            `the dump (${mb(source.dump.size)}) is on ${via}, its sha256 the manifest's`,
            `导出文件（${mb(source.dump.size)}）已在 ${via} 上，sha256 与清单一致`,
          ),
        },
      ];
      const record: Action = {
        kind: 'record',
        what: L(
          `Records "${name}" as this cluster's database, restored from ${source.file}.`,
          `将“${name}”记录为本集群的数据库（从 ${source.file} 恢复）。`,
        ),
        run: () =>
          ctx.harborRecords.update((r) => {
            const at = new Date().toISOString();
            r.registryDatabase = { host: db.host, port: db.port, database: name, by: 'create', runId: ctx.runId, at };
            r.restoredDatabase = { runId: ctx.runId, file: source.file, backupRunId: source.manifest.runId, at };
          }),
      };
      const notes = [
        L(
          `The archive was made ${source.manifest.createdAt} from "${source.manifest.profile.name}" (Harbor ${source.manifest.harbor.version}). Everything written to the database after that is replaced.`,
          `归档生成于 ${source.manifest.createdAt}，来自“${source.manifest.profile.name}”（Harbor ${source.manifest.harbor.version}）。此后写入数据库的内容都会被替换。`,
        ),
      ];
      if (db.engine === 'mysql') {
        const m = mysqlRestoreActions(ctx, dir, image);
        return { actions: [...actions, ...upload(m.file), ...m.actions, record, { kind: 'run', argv: ['rm', '-rf', '--', dir] }], notes };
      }
      const spec = restoreSpec(p, dir, harborPassword(ctx), image);
      const open = await adminOpener(ctx, 'restore-database');
      const state = await harborDbState(open, name, db.harbor.user);
      const sql = (statement: string, done?: string): Action => adminStatement(ctx, open, statement, done ? L(done, done) : undefined);
      const lit = `'${name.replace(/'/g, "''")}'`;
      actions.push(...upload(spec.file));
      if (state.exists) {
        // Before PostgreSQL 13 DROP DATABASE cannot end sessions itself; Harbor is stopped, but a console may be open.
        if (state.serverVersion < 130000)
          actions.push(sql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ${lit} AND pid <> pg_backend_pid()`));
        actions.push(sql(dropDatabaseSql(name, state.serverVersion), `dropped "${name}"`));
      }
      actions.push(
        sql(createDatabaseSql(name, db.harbor.user), `created "${name}" owned by ${db.harbor.user}`),
        { kind: 'write', path: spec.credentials.path, content: spec.credentials.content, mode: 0o600 },
        {
          kind: 'run',
          argv: spec.argv,
          options: { stream: true, timeoutMs: 6 * 60 * 60_000 },
          done: L(`pg_restore of ${image} loaded the archive into "${name}"`, `已用 ${image} 的 pg_restore 将归档导入“${name}”`),
        },
        {
          kind: 'check',
          what: L(`Harbor's account reads the restored schema`, 'Harbor 账号可以读取恢复后的数据库结构'),
          holds: () => restoredSummary(ctx),
        },
        record,
        { kind: 'run', argv: ['rm', '-rf', '--', dir] },
      );
      return { actions, notes };
    },
  });
}

/** What came back, in the log: the schema version Harbor's core will find, and how many projects, users and artifacts. */
async function restoredSummary(ctx: Ctx): Promise<void> {
  const p = ctx.profile;
  const node = firstNode(ctx);
  const { client } = await ctx.shell(node, 'restore-database', ctx).connection();
  const account = { host: p.database.host, port: p.database.port, user: p.database.harbor.user, password: harborPassword(ctx) };
  const c = await pgFromNode(client, node.label, account, harborDbName(p));
  try {
    const count = async (table: string) =>
      (await c.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${ident(table)}`).catch(() => ({ rows: [{ n: '?' }] }))).rows[0]?.n ??
      '?';
    const version = (
      await c.query<{ version: string; dirty: boolean }>('SELECT version::text AS version, dirty FROM schema_migrations LIMIT 1')
    ).rows[0];
    if (!version || version.dirty)
      throw deployError(
        node.label,
        L(
          `The restored database records ${version ? `a dirty schema migration ${version.version}` : 'no schema migration'}: the archive was taken from a database Harbor's core could not start on.`,
          `恢复后的数据库${version ? `记录了未完成的结构迁移 ${version.version}` : '没有结构迁移记录'}：该归档来自 Harbor core 无法启动的数据库。`,
        ),
      );
    const [projects, users, artifacts] = await Promise.all([count('project'), count('harbor_user'), count('artifact')]);
    ctx.log.line(
      L(
        `restored: schema ${version.version}, ${projects} projects, ${users} users, ${artifacts} artifacts`,
        `已恢复：数据库结构 ${version.version}，${projects} 个项目，${users} 个用户，${artifacts} 个制品`,
      ),
    );
  } finally {
    await c.end().catch(() => undefined);
  }
}

/**
 * The restore plan of a profile: the deployment's plan with the archive read first, Harbor stopped everywhere before
 * the database is replaced, and the database step replaced by the restore of the dump.
 */
export function restoreSteps(p: Profile, adapter: HarborAdapter): Step<HarborEnv>[] {
  const deploy = adapter.steps(p);
  const at = deploy.findIndex((s) => s.id === 'database');
  if (at < 0) throw new Error(`the ${p.harbor.generation} plan has no database step to restore in`);
  const replaced = [
    ...deploy.slice(0, at),
    stopStep(adapter, {
      id: 'restore-stop',
      why: L(
        'a core still running holds connections that make the restore fail, and would write into or migrate a database that is being replaced',
        '仍在运行的 core 持有的连接会使恢复失败，而且会向正在被替换的数据库写入或对其做结构迁移',
      ),
    }),
    databaseStep(),
    ...deploy.slice(at + 1),
  ];
  // 1.5: the archive's keys go into node 1's ha/ before the install reads them (2.x: the secrets step takes them itself)
  if (p.harbor.generation === 'v1')
    replaced.splice(
      replaced.findIndex((s) => s.id === 'install'),
      0,
      restoreKeysStep(),
    );
  // the install reads the restored database (core starts on it) and keys: after them
  const before = p.harbor.generation === 'v1' ? ['restore-database', 'restore-keys'] : ['restore-database'];
  return [checkStep(), ...replaced.map((s) => (s.id === 'install' ? after(s, [...(s.dependsOn ?? []), ...before]) : s))];
}
