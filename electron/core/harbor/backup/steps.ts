/**
 * A backup of a Harbor HA cluster as a plan of the deployment engine (operation `backup`), the same for both
 * generations where Harbor is the same: check what the backup needs, dump the database on node 1, then stream the dump,
 * the key material every node shares, the rendered configuration and the sealed profile into one age-encrypted archive
 * on the desktop, read it back against its manifest, and keep the newest N. Images are not in it: they stay in OSS.
 *
 * A run cut short resumes where it stopped: the dump stays on node 1 until an archive holding it was verified, so a
 * connection dropped while streaming costs only the transfer.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { Readable } from 'node:stream';
import { L, type Localized } from '../../../../shared/i18n/localized';
import { deployError } from '../../deploy/remote';
import type { Step } from '../../deploy/step';
import { writeArchive, type ArchiveMember } from '../../maintenance/archive';
import { BACKUP_RECORD, backupRecordSchema, type BackupRecord, type BackupRunInput } from '../../maintenance/backup-run';
import { archiveName, pruneArchives } from '../../maintenance/retention';
import { ossFromNode } from '../../probe/probes';
import { commandLine } from '../../ssh/quote';
import type { HarborAdapter } from '../adapter';
import { firstNode, type Ctx } from '../common/context';
import { connectFromNode } from '../v1/database';
import { pgFromNode } from '../v2/database';
import { HARBOR_DIR } from '../common/paths';
import { freeKb } from '../common/steps/nodes';
import type { HarborEnv } from '../env';
import { chooseHarborDbImage, dumpSpec, harborDbRepository, parseDockerImages, stagingDir, type DumpSpec } from './dump';

/**
 * Where the backup steps find their input: a backup run's own, or what another operation gives them (an upgrade backs
 * up first, or was told to skip it with a reason, which the steps then report).
 */
export type BackupSource = (ctx: Ctx) => BackupRunInput | { readonly skipped: string };

const ownInput: BackupSource = (ctx) => ctx.input as BackupRunInput;

function inputFrom(source: BackupSource, ctx: Ctx): BackupRunInput | { readonly skipped: string } {
  const i = source(ctx);
  if ('skipped' in i) return i;
  if (!i?.passphrase || !i.folder || !i.sealedProfile) throw new Error('a backup run needs its input (maintenance.backup)');
  ctx.redactor.add(i.passphrase);
  return i;
}

/** The check of a backup step the operator chose to skip: done, saying why. */
const skippedCheck = (i: { readonly skipped: string }) => ({
  done: true,
  reason: L(`skipped: ${i.skipped}`, `已跳过：${i.skipped}`),
});

const harborPassword = (ctx: Ctx) => ctx.requireSecret('database.harbor.password', L('Harbor database password', 'Harbor 数据库密码'));

/** The dump's plan, with the harbor-db image node 1 has (read once per run); a missing image is an error naming the field. */
async function spec(ctx: Ctx): Promise<DumpSpec> {
  const image = await ctx.once('harbor-db-image', async () => chooseHarborDbImage(ctx.profile, await loadedImages(ctx)));
  if (!image) throw deployError(firstNode(ctx).label, noHarborDbImage(ctx), 'no_harbor_db_image', 'harbor.version');
  return dumpSpec(ctx.profile, stagingDir(ctx.profile, ctx.runId), harborPassword(ctx), image);
}

function noHarborDbImage(ctx: Ctx): Localized {
  const repo = harborDbRepository(ctx.profile);
  return L(
    `Node 1 has no ${repo} image: the backup dumps the database with the client in Harbor's own image, which Harbor's installer loads. Deploy the profile (Harbor ${ctx.profile.harbor.version}) to node 1 first.`,
    `节点 1 上没有 ${repo} 镜像：备份使用 Harbor 自带镜像中的客户端导出数据库，该镜像由 Harbor 安装包加载。请先将集群配置（Harbor ${ctx.profile.harbor.version}）部署到节点 1。`,
  );
}

/** The folder the archive goes to: absolute, a directory, writable. An error names the field. */
async function checkFolder(folder: string): Promise<Localized | null> {
  if (!isAbsolute(folder))
    return L(`"${folder}" is not an absolute path: choose the folder again.`, `“${folder}”不是绝对路径：请重新选择文件夹。`);
  try {
    if (!(await stat(folder)).isDirectory()) return L(`${folder} is not a folder.`, `${folder} 不是文件夹。`);
    await access(folder, constants.W_OK);
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT'
      ? L(`The folder ${folder} does not exist: create it or choose another.`, `文件夹 ${folder} 不存在：请创建或选择其他文件夹。`)
      : L(
          `The app cannot write into ${folder} (${code ?? 'error'}): choose a folder you own.`,
          `应用无法写入 ${folder}（${code ?? 'error'}）：请选择您有权限的文件夹。`,
        );
  }
}

/** Harbor's database size in bytes, asked through node 1 as Harbor's own account. */
async function databaseBytes(ctx: Ctx): Promise<number> {
  const p = ctx.profile;
  const node = firstNode(ctx);
  const { client } = await ctx.shell(node, 'backup-check', ctx).connection();
  const account = { host: p.database.host, port: p.database.port, user: p.database.harbor.user, password: harborPassword(ctx) };
  if (p.database.engine === 'postgresql') {
    const c = await pgFromNode(client, node.label, account, p.database.harbor.database);
    try {
      const r = await c.query<{ size: string }>('SELECT pg_database_size(current_database())::text AS size');
      return Number(r.rows[0]?.size ?? 0);
    } finally {
      await c.end().catch(() => undefined);
    }
  }
  const c = await connectFromNode(client, node.label, account);
  try {
    const [rows] = await c.query(
      "SELECT COALESCE(SUM(data_length + index_length), 0) AS size FROM information_schema.tables WHERE table_schema = 'registry'",
    );
    return Number((rows as { size: string | number }[])[0]?.size ?? 0);
  } finally {
    await c.end().catch(() => undefined);
  }
}

type Versioning = 'enabled' | 'suspended' | 'off' | 'unknown';

/** The bucket's versioning, read as the registry reaches it (through node 1); unknown when it cannot be read. */
async function ossVersioning(ctx: Ctx): Promise<{ state: Versioning; why?: string }> {
  const p = ctx.profile;
  const node = firstNode(ctx);
  try {
    const { client } = await ctx.shell(node, 'backup-check', ctx).connection();
    const oss = ossFromNode(client, node.label, {
      ...p.oss,
      accessKeySecret: ctx.requireSecret('oss.accessKeySecret', L('OSS AccessKey secret', 'OSS AccessKey Secret')),
    });
    // ali-oss has it (lib/common/bucket/getBucketVersioning.js); its type declarations lag behind.
    const withVersioning = oss as unknown as { getBucketVersioning(bucket: string): Promise<{ versionStatus?: string }> };
    const r = await withVersioning.getBucketVersioning(p.oss.bucket);
    return { state: r.versionStatus === 'Enabled' ? 'enabled' : r.versionStatus === 'Suspended' ? 'suspended' : 'off' };
  } catch (error) {
    return { state: 'unknown', why: ctx.redactor.redact(error instanceof Error ? error.message : String(error)) };
  }
}

/** What OSS keeps of the images, for the operator: the archive holds the records, OSS the layers. */
function storageNote(v: { state: Versioning; why?: string }, bucket: string): Localized {
  switch (v.state) {
    case 'enabled':
      return L(
        `OSS bucket ${bucket} keeps old versions: images deleted after this backup can be brought back from OSS, and the archive's records point at them.`,
        `OSS Bucket ${bucket} 已开启版本控制：本次备份之后删除的镜像可以从 OSS 找回，归档中的记录指向它们。`,
      );
    case 'suspended':
    case 'off':
      return L(
        `OSS bucket ${bucket} has no versioning: the archive holds Harbor's records, not the images; an image deleted (or garbage-collected) after this backup is gone from OSS and a restore lists it without its layers. Enable versioning on the bucket to keep them.`,
        `OSS Bucket ${bucket} 未开启版本控制：归档保存 Harbor 的记录而非镜像本身；本次备份之后被删除（或被垃圾回收）的镜像会从 OSS 消失，恢复后只有记录没有镜像层。如需保留，请为该 Bucket 开启版本控制。`,
      );
    default:
      return L(
        `The versioning of OSS bucket ${bucket} could not be read (${v.why ?? 'no answer'}): the archive holds Harbor's records, not the images, which stay in OSS.`,
        `无法读取 OSS Bucket ${bucket} 的版本控制状态（${v.why ?? '无响应'}）：归档保存 Harbor 的记录而非镜像，镜像仍在 OSS 中。`,
      );
  }
}

/** Images node 1 has loaded, as `repository:tag`. */
async function loadedImages(ctx: Ctx): Promise<Set<string>> {
  return parseDockerImages(await ctx.shell(firstNode(ctx), 'backup-check', ctx).ok(['docker', 'images']));
}

const MB = 1 << 20;
const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;

function checkStep(source: BackupSource): Step<HarborEnv> {
  return {
    id: 'backup-check',
    title: L('Check what the backup needs', '检查备份所需条件'),
    explain: L(
      "Changes nothing. The archive folder exists and is writable; node 1 has Harbor's own harbor-db image of the installed version (its database client makes the dump); the database answers Harbor's account through node 1 and node 1 has room for the dump; and what OSS keeps of the images (its versioning), since the archive holds Harbor's records, not the images.",
      '不做任何修改。检查归档文件夹存在且可写；节点 1 上有已安装版本的 Harbor 自带 harbor-db 镜像（用其中的数据库客户端导出）；数据库通过节点 1 以 Harbor 账号可以连接，且节点 1 有足够空间存放导出文件；以及 OSS 对镜像保留什么（版本控制），因为归档保存的是 Harbor 的记录，而不是镜像。',
    ),
    scope: 'cluster',
    readOnly: true,
    gate: true,
    async check(ctx) {
      const input = inputFrom(source, ctx);
      if ('skipped' in input) return skippedCheck(input);
      const folderProblem = await checkFolder(input.folder);
      if (folderProblem) return { done: false, reason: folderProblem, field: 'folder' };
      const image = await ctx.once('harbor-db-image', async () => chooseHarborDbImage(ctx.profile, await loadedImages(ctx)));
      if (!image) return { done: false, reason: noHarborDbImage(ctx), field: 'harbor.version' };
      const s = await spec(ctx);
      const [size, free, versioning] = await Promise.all([
        databaseBytes(ctx),
        freeKb(ctx.shell(firstNode(ctx), 'backup-check', ctx), ctx.profile.options.dataVolume),
        ctx.once('oss-versioning', () => ossVersioning(ctx)),
      ]);
      // A dump holds the rows, not the indexes, and -Fc compresses them: half the database's size is a safe floor.
      if (free !== null && free * 1024 < size / 2)
        return {
          done: false,
          reason: L(
            `Node 1 has ${mb(free * 1024)} free in ${ctx.profile.options.dataVolume}, and the database takes ${mb(size)}: free at least ${mb(size / 2)} there first.`,
            `节点 1 的 ${ctx.profile.options.dataVolume} 只有 ${mb(free * 1024)} 可用空间，而数据库占用 ${mb(size)}：请先在该处腾出至少 ${mb(size / 2)}。`,
          ),
        };
      const note = storageNote(versioning, ctx.profile.oss.bucket);
      return {
        done: true,
        reason: L(
          `database ${mb(size)}; node 1 has ${free === null ? '?' : mb(free * 1024)} free; ${s.image} present. ${note.en}`,
          `数据库 ${mb(size)}；节点 1 可用空间 ${free === null ? '?' : mb(free * 1024)}；已有 ${s.image}。${note['zh-CN']}`,
        ),
      };
    },
    async preview(ctx) {
      const s = await spec(ctx);
      return {
        commands: [commandLine(s.argv)],
        files: [],
        sql: [],
        notes: [storageNote(await ctx.once('oss-versioning', () => ossVersioning(ctx)), ctx.profile.oss.bucket)],
      };
    },
    async apply() {
      // read-only: the check is the work
    },
  };
}

function dumpStep(source: BackupSource): Step<HarborEnv> {
  return {
    id: 'backup-dump',
    title: L('Dump the Harbor database on node 1', '在节点 1 上导出 Harbor 数据库'),
    explain: L(
      "Node 1 runs the database client of Harbor's harbor-db image against the shared database: pg_dump -Fc (2.x) or mysqldump --single-transaction (1.5), one consistent snapshot while Harbor keeps serving. The dump waits in a private folder under the data volume until the archive holding it is verified; the password is in a file of mode 600 there, removed when the dump ends.",
      '节点 1 使用 Harbor harbor-db 镜像中的数据库客户端导出共享数据库：pg_dump -Fc（2.x）或 mysqldump --single-transaction（1.5），在 Harbor 继续服务时取得一致的快照。导出文件保存在数据卷下的私有文件夹中，直到包含它的归档校验通过；密码存放在该处权限为 600 的文件中，导出结束即删除。',
    ),
    scope: 'cluster',
    async check(ctx) {
      const input = inputFrom(source, ctx);
      if ('skipped' in input) return skippedCheck(input);
      const s = await spec(ctx);
      const there = (await ctx.shell(firstNode(ctx), 'backup-dump', ctx).run(['test', '-s', s.file])).code === 0;
      return there ? { done: true, reason: L('the dump of this run is on node 1', '本次运行的导出文件已在节点 1 上') } : { done: false };
    },
    async preview(ctx) {
      const s = await spec(ctx);
      return { commands: [commandLine(s.argv), commandLine(['mv', '-f', '--', `${s.file}.part`, s.file])], files: [], sql: [], notes: [] };
    },
    async apply(ctx) {
      const s = await spec(ctx);
      const shell = ctx.shell(firstNode(ctx), 'backup-dump', ctx);
      const dir = stagingDir(ctx.profile, ctx.runId);
      await shell.ok(['sh', '-c', 'umask 077; mkdir -p -- "$1" && chmod 700 -- "$1"', 'sh', dir]);
      await shell.write(s.credentials.path, s.credentials.content, 0o600);
      try {
        ctx.log.line(L(`dumping ${s.database} with ${s.tool} of ${s.image}`, `正在用 ${s.image} 的 ${s.tool} 导出 ${s.database}`));
        await shell.ok(s.argv, { stream: true, timeoutMs: 6 * 60 * 60_000 });
        await shell.ok(['mv', '-f', '--', `${s.file}.part`, s.file]);
      } finally {
        await shell.run(['rm', '-f', '--', s.credentials.path, `${s.file}.part`]);
      }
    },
  };
}

/** A file of node 1 as bytes; missing is an error naming the node and the file. */
async function nodeFile(ctx: Ctx, path: string, what: Localized): Promise<Buffer> {
  const shell = ctx.shell(firstNode(ctx), 'backup-archive', ctx);
  const r = await shell.run(['cat', '--', path], { maxBuffer: 16 << 20, auditOutput: false });
  if (r.code !== 0) {
    const label = await shell.label();
    throw deployError(
      label,
      L(
        `${label} has no ${what.en} at ${path}: is Harbor installed there? Deploy the profile first, then back it up.`,
        `${label} 上 ${path} 处没有${what['zh-CN']}：Harbor 是否已安装？请先部署集群配置，再进行备份。`,
      ),
    );
  }
  return Buffer.from(r.stdout, 'utf8');
}

/** The dump on node 1 as a stream with backpressure (an exec channel: as fast as the SSH connection, never buffered whole). */
async function dumpMember(ctx: Ctx, s: DumpSpec): Promise<ArchiveMember> {
  const shell = ctx.shell(firstNode(ctx), 'backup-archive', ctx);
  const size = Number((await shell.ok(['stat', '-c', '%s', '--', s.file])).trim());
  const { client } = await shell.connection();
  return {
    name: s.member,
    kind: 'database',
    source: `${s.tool} (${s.image}) on ${await shell.label()}`,
    content: {
      size,
      open: () =>
        new Promise<Readable>((resolve, reject) => {
          client.exec(commandLine(['cat', '--', s.file]), (error, channel) => {
            if (error) return reject(error);
            ctx.signal.addEventListener('abort', () => channel.destroy(), { once: true });
            resolve(channel);
          });
        }),
    },
  };
}

/** What restores the archive without the app, in both languages, as its first member. */
function readme(s: DumpSpec, v1: boolean): Buffer {
  const restore =
    s.format === 'pg_dump-custom'
      ? `pg_restore --clean --if-exists --no-owner --dbname=<database> harbor-backup/${s.member}`
      : `mysql < harbor-backup/${s.member}`;
  return Buffer.from(
    [
      'Harbor HA Deployer backup / Harbor HA Deployer 备份',
      '',
      'Open without the app / 无需本应用即可打开:',
      '  age -d -o backup.tar <archive>.tar.age && tar -xf backup.tar',
      '',
      `Database / 数据库: ${restore}`,
      `Key material / 密钥材料: keys/ (copy each file to the same path on every node${v1 ? '' : '; CSRF_KEY goes into common/config/core/env'})`,
      'Configuration / 配置: config/ (the rendered harbor.yml or harbor.cfg of node 1)',
      'Profile / 集群配置: profile/ (import it in the app; its secrets are sealed with the same passphrase)',
      'MANIFEST.json: sha256 of every member / 每个成员的 sha256',
      '',
    ].join('\n'),
    'utf8',
  );
}

function archiveStep(adapter: HarborAdapter, source: BackupSource): Step<HarborEnv> {
  const inputOf = (ctx: Ctx) => {
    const i = inputFrom(source, ctx);
    if ('skipped' in i) throw new Error('a skipped backup has no archive');
    return i;
  };
  const fileOf = (ctx: Ctx) => join(inputOf(ctx).folder, archiveName(ctx.profile.id, ctx.runId));
  return {
    id: 'backup-archive',
    title: L('Write and verify the encrypted archive', '写入并校验加密归档'),
    explain: L(
      "Streams the dump from node 1, the key material every node shares, node 1's rendered configuration and the profile (its secrets sealed with the same passphrase) into one tar encrypted with the passphrase in the age format, on this computer, reading the file back from the disk as it is written: every chunk opened with the key the passphrase gives, the whole tar hashed and compared with what was written (whose members the manifest hashes). Only then are the dump on node 1 and the oldest archives beyond the number to keep removed. `age -d` and `tar` open it without the app.",
      '将节点 1 上的导出文件、各节点共享的密钥材料、节点 1 渲染后的配置和集群配置（其密钥用同一口令封存）以流的方式写入一个用口令以 age 格式加密的 tar，保存在本机；写入的同时从磁盘读回：用口令得到的密钥打开每个数据块，对整个 tar 计算哈希并与写入的比对（清单记录了各成员的哈希）。校验通过后才删除节点 1 上的导出文件和超出保留数量的旧归档。无需本应用，`age -d` 与 `tar` 即可打开。',
    ),
    scope: 'cluster',
    dependsOn: ['backup-dump'],
    async check(ctx) {
      const i = inputFrom(source, ctx);
      if ('skipped' in i) return skippedCheck(i);
      const r = ctx.records.load(ctx.profile.id)[BACKUP_RECORD];
      const last = backupRecordSchema.safeParse(r);
      const file = fileOf(ctx);
      if (last.success && last.data.runId === ctx.runId && last.data.file === file) {
        const there = await stat(file).then(
          () => true,
          () => false,
        );
        if (there) return { done: true, reason: L(`written and verified: ${file}`, `已写入并校验：${file}`) };
      }
      return { done: false };
    },
    async preview(ctx) {
      const s = await spec(ctx);
      return {
        commands: [commandLine(['cat', '--', s.file]), commandLine(['rm', '-rf', '--', stagingDir(ctx.profile, ctx.runId)])],
        files: [],
        sql: [],
        notes: [L(`archive: ${fileOf(ctx)}`, `归档：${fileOf(ctx)}`)],
      };
    },
    async apply(ctx) {
      const input = inputOf(ctx);
      const p = ctx.profile;
      const s = await spec(ctx);
      const file = fileOf(ctx);
      const keyFiles = adapter.sharedKeyFiles(p);
      const members: ArchiveMember[] = [
        { name: 'README.txt', kind: 'readme', source: 'harbor-ha-deployer', content: readme(s, p.harbor.generation === 'v1') },
      ];
      members.push(await dumpMember(ctx, s));
      for (const k of keyFiles)
        members.push({ name: `keys${k.path}`, kind: 'key', source: k.path, content: await nodeFile(ctx, k.path, k.what) });
      if (adapter.csrfKey) {
        const env = (await nodeFile(ctx, adapter.csrfKey.path, L('core environment', 'core 环境文件'))).toString('utf8');
        const line = env.split('\n').find((l) => l.startsWith(adapter.csrfKey!.prefix));
        if (line)
          members.push({
            name: 'keys/CSRF_KEY',
            kind: 'key',
            source: `${adapter.csrfKey.path} (${adapter.csrfKey.prefix.replace(/=$/, '')})`,
            content: Buffer.from(`${line}\n`),
          });
      }
      const config = p.harbor.generation === 'v1' ? `${HARBOR_DIR}/harbor.cfg` : `${HARBOR_DIR}/harbor.yml`;
      members.push({
        name: `config${config}`,
        kind: 'config',
        source: config,
        content: await nodeFile(ctx, config, L('rendered configuration', '渲染后的配置')),
      });
      members.push({
        name: `profile/${input.sealedProfile.fileName}`,
        kind: 'profile',
        source: 'harbor-ha-deployer',
        content: Buffer.from(input.sealedProfile.content, 'utf8'),
      });
      const versioning = await ctx.once('oss-versioning', () => ossVersioning(ctx));
      const shell = ctx.shell(firstNode(ctx), 'backup-archive', ctx);
      ctx.log.line(L(`writing ${file}`, `正在写入 ${file}`));
      const written = await shell.audited(await shell.label(), commandLine(['cat', '--', s.file]), () =>
        writeArchive(
          file,
          input.passphrase,
          {
            createdAt: new Date().toISOString(),
            runId: ctx.runId,
            app: input.appVersion,
            profile: { id: p.id, name: p.name },
            harbor: { generation: p.harbor.generation, version: input.installedVersion ?? p.harbor.version },
            database: { engine: p.database.engine, name: s.database, format: s.format, tool: `${s.tool} (${s.image})` },
            storage: { kind: 'oss', versioning: versioning.state },
          },
          members,
          (done, total) => ctx.log.progress(done, total, 'bytes'),
        ),
      );
      ctx.log.line(
        L(
          `verified: ${written.manifest.parts.length} members; ${mb(written.readBack.bytes)} read back from the disk as it was written, decrypted with the passphrase and hashed: as written`,
          `校验通过：${written.manifest.parts.length} 个成员；写入的同时从磁盘读回 ${mb(written.readBack.bytes)}，已用口令解密并计算哈希：与写入一致`,
        ),
      );
      await ctx.records.update(p.id, (r) => {
        r[BACKUP_RECORD] = {
          folder: input.folder,
          keep: input.keep,
          runId: ctx.runId,
          file,
          at: new Date().toISOString(),
        } satisfies BackupRecord;
      });
      await shell.ok(['rm', '-rf', '--', stagingDir(p, ctx.runId)]);
      for (const removed of await pruneArchives(input.folder, p.id, input.keep))
        ctx.log.line(
          L(
            `removed the older archive ${removed} (keeping the newest ${input.keep})`,
            `已删除较旧的归档 ${removed}（保留最新 ${input.keep} 个）`,
          ),
        );
    },
  };
}

/** The backup plan of a profile, in order (its input the run's own, or another operation's `source`). */
export function backupSteps(adapter: HarborAdapter, source: BackupSource = ownInput): Step<HarborEnv>[] {
  return [checkStep(source), dumpStep(source), archiveStep(adapter, source)];
}
