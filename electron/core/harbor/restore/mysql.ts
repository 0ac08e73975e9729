/**
 * What a restore does differently on Harbor 1.5 (MySQL): the target database's state for the check, the database's
 * replacement (the dump is mysqldump's SQL, which creates `registry` itself, read by the mysql client of Harbor's own
 * vmware/harbor-db image as the admin account), and the key material put into node 1's ha/ folder before it installs:
 * 1.5's prepare --ha takes ha/private_key.pem, ha/root.crt and ha/secretkey over anything else (make/prepare of
 * v1.5.0), and the install step then gives node 1's ha/ files to every other node.
 */
import { createHash } from 'node:crypto';
import type { Localized } from '../../../../shared/i18n/localized';
import { planned, type Action } from '../../deploy/plan';
import { deployError } from '../../deploy/remote';
import type { Step } from '../../deploy/step';
import { mysqlRestoreSpec } from '../backup/dump';
import { firstNode, L, type Ctx } from '../common/context';
import { HARBOR_DIR } from '../common/paths';
import type { HarborEnv } from '../env';
import { v1KeyFiles } from '../node';
import { registryDbState, type RegistryDbState } from '../v1/database';
import { withMysql } from '../v1/steps/connections';
import { archivedKey, restoreSource, type RestoreSource } from './source';

/** The `registry` database as the restore finds it. */
export function mysqlTargetState(ctx: Ctx): Promise<RegistryDbState> {
  return withMysql(ctx, false, (conn) => registryDbState(conn));
}

const adminPassword = (ctx: Ctx) => ctx.requireSecret('database.admin.password', L('database administrator password', '数据库管理员密码'));

/** The actions after the dump is on node 1: `registry` dropped, the dump read by the image's mysql, what came back logged. */
export function mysqlRestoreActions(ctx: Ctx, dir: string, image: string): { file: string; actions: Action[] } {
  const p = ctx.profile;
  const db = p.database;
  const via = firstNode(ctx).label;
  const spec = mysqlRestoreSpec(p, dir, { user: db.admin.user, password: adminPassword(ctx) }, image);
  const statement = 'DROP DATABASE IF EXISTS registry';
  return {
    file: spec.file,
    actions: [
      {
        kind: 'sql',
        statement: `${statement};`,
        server: `MySQL ${db.host}:${db.port} (from ${via})`,
        run: () => withMysql(ctx, false, async (conn) => void (await conn.query(statement))),
        done: L('dropped "registry"', '已删除“registry”'),
      },
      { kind: 'write', path: spec.credentials.path, content: spec.credentials.content, mode: 0o600 },
      {
        kind: 'run',
        argv: spec.argv,
        options: { stream: true, timeoutMs: 6 * 60 * 60_000 },
        done: L(`the mysql client of ${image} loaded the archive into "registry"`, `已用 ${image} 的 mysql 客户端将归档导入“registry”`),
      },
      {
        kind: 'check',
        what: L('the restored registry database has its schema version', '恢复后的 registry 数据库有其结构版本'),
        holds: async () => {
          const state = await mysqlTargetState(ctx);
          if (!state.exists)
            throw deployError(
              via,
              L(
                'The restored "registry" has no alembic_version table: the archive does not hold a Harbor 1.x database.',
                '恢复后的“registry”中没有 alembic_version 表：该归档不包含 Harbor 1.x 数据库。',
              ),
            );
          ctx.log.line(
            L(
              `restored: schema ${state.version ?? '?'}, ${state.tables} tables`,
              `已恢复：数据库结构 ${state.version ?? '?'}，${state.tables} 张表`,
            ),
          );
        },
      },
    ],
  };
}

/** Node 1's ha/ file for each shared key of 1.5, in v1KeyFiles' order (token key, token certificate, secret key). */
const HA_FILES = ['private_key.pem', 'root.crt', 'secretkey'] as const;

function keyWrites(ctx: Ctx, source: RestoreSource): Action[] {
  const p = ctx.profile;
  return v1KeyFiles(p).map((f, i): Action => {
    const content = archivedKey(source, p, f);
    const what: Localized = f.what;
    if (content === null)
      return {
        kind: 'fail',
        message: L(
          `The archive holds no ${what.en} (${f.path}): it is not a backup of a Harbor 1.x cluster.`,
          `归档中没有${what['zh-CN']}（${f.path}）：它不是 Harbor 1.x 集群的备份。`,
        ),
      };
    const path = `${HARBOR_DIR}/ha/${HA_FILES[i]!}`;
    return { kind: 'write', path, content, mode: HA_FILES[i] === 'root.crt' ? 0o644 : 0o600, done: L(`wrote ${path}`, `已写入 ${path}`) };
  });
}

/** 1.5: the archive's key material into node 1's ha/ before it installs (prepare --ha takes it from there). */
export function restoreKeysStep(): Step<HarborEnv> {
  const wanted = async (ctx: Ctx) => {
    const source = await restoreSource(ctx)!;
    return { source, writes: keyWrites(ctx, source) };
  };
  return planned<HarborEnv>({
    id: 'restore-keys',
    title: L('Put back the key material', '放回密钥材料'),
    explain: L(
      "Writes the archive's token key, token certificate and secret key into node 1's ha/ folder, where Harbor 1.5's prepare --ha takes them from before anything else; node 1's install then gives them to every other node. The secret key decrypts the passwords stored in the restored database, and the token pair is what clients' tokens were signed with. They are never shown.",
      '把归档中的令牌私钥、令牌证书和 secretkey 写入节点 1 的 ha/ 文件夹，Harbor 1.5 的 prepare --ha 会优先从这里取用；随后节点 1 的安装会把它们交给其他每个节点。secretkey 用于解密恢复后数据库中存储的密码，令牌密钥对用于签发客户端令牌。它们不会被显示。',
    ),
    scope: 'cluster',
    dependsOn: ['unpack'],
    async check(ctx) {
      const { writes } = await wanted(ctx);
      const files = writes.flatMap((w) => (w.kind === 'write' ? [w] : []));
      if (files.length < writes.length) return { done: false };
      const sums = await ctx.shell(firstNode(ctx), 'restore-keys', ctx).sha256(files.map((f) => f.path));
      const same = files.every(
        (f, i) =>
          sums[i] ===
          createHash('sha256')
            .update(f.content as string)
            .digest('hex'),
      );
      return same
        ? { done: true, reason: L("node 1's ha/ holds the archive's keys", '节点 1 的 ha/ 中已是归档中的密钥') }
        : { done: false };
    },
    async plan(ctx) {
      const { source, writes } = await wanted(ctx);
      return {
        actions: writes,
        notes: [L(`From ${source.file}. The contents are never shown.`, `来自 ${source.file}。内容不会显示。`)],
      };
    },
  });
}
