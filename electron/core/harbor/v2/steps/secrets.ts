/** The shared secrets, pre-seeded under <data_volume>/secret before any install. */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type { HarborEnv } from '../../env';
import type { NodeShell } from '../../../deploy/remote';
import type { Step } from '../../../deploy/step';
import { planned, readShell, type Action } from '../../../deploy/plan';
import { asideName } from '../../common/steps/unpack';
import { v2SecretFiles, type SharedSecret } from '../../node';
import { newSecretKey, newTokenKeyPair, pemSecrets } from '../secrets';
import { type Ctx, L, HARBOR_UID, firstNode } from './context';
import type { Localized } from '../../../../../shared/i18n/localized';
import { deployError } from '../../../deploy/remote';
import { archivedKey, restoreSource, type RestoreSource } from '../../restore/source';

// ───────────────────────────── shared secrets ─────────────────────────────

export interface Material {
  readonly files: readonly { id: SharedSecret; path: string; content: string; sha256: string }[];
  /** Where they came from, for the log. */
  readonly origin: Localized;
}

export const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/** The cluster's secrets: a restore's archive's; else node 1's when it has them, otherwise made once for this run on this computer. */
export function material(ctx: Ctx): Promise<Material> {
  return ctx.once('v2-shared-secrets', async () => {
    const p = ctx.profile;
    const restoring = restoreSource(ctx);
    if (restoring) return archivedMaterial(ctx, await restoring);
    const node = firstNode(ctx);
    const shell = readShell(ctx, 'secrets', node);
    const list = v2SecretFiles(p);
    const legacy = posix.join(p.options.dataVolume, 'secretkey');
    const [secretkey, legacyKey, privateKey, rootCrt] = await Promise.all([
      shell.read(list[0]!.path),
      shell.read(legacy),
      shell.read(list[1]!.path),
      shell.read(list[2]!.path),
    ]);
    const origin: Localized[] = [];
    let key = secretkey ?? legacyKey;
    if (key === null) {
      key = newSecretKey();
      origin.push(L('secretkey generated', '已生成 secretkey'));
    } else {
      const where = `${node.label}${secretkey === null ? ` (${legacy})` : ''}`;
      origin.push(L(`secretkey from ${where}`, `secretkey 来自 ${where}`));
    }
    let pair: { privateKeyPem: string; certificatePem: string };
    // prepare makes a new pair unless both files exist, so a lone half is replaced too.
    if (privateKey !== null && rootCrt !== null) {
      pair = { privateKeyPem: privateKey, certificatePem: rootCrt };
      origin.push(L(`token key pair from ${node.label}`, `令牌密钥对来自 ${node.label}`));
    } else {
      pair = await newTokenKeyPair();
      origin.push(L('token key pair generated (RSA 4096)', '已生成令牌密钥对（RSA 4096）'));
    }
    ctx.redactor.add(key);
    for (const s of pemSecrets(pair.privateKeyPem)) ctx.redactor.add(s);
    const content: Record<SharedSecret, string> = { secretkey: key, privateKey: pair.privateKeyPem, rootCrt: pair.certificatePem };
    return {
      files: list.map((f) => ({ id: f.id, path: f.path, content: content[f.id], sha256: sha(content[f.id]) })),
      origin: L(origin.map((o) => o.en).join(', '), origin.map((o) => o['zh-CN']).join('、')),
    };
  });
}

/** A restore puts back the secrets the backup holds: the database's stored passwords are encrypted with its secret key. */
function archivedMaterial(ctx: Ctx, source: RestoreSource): Material {
  const p = ctx.profile;
  const files = v2SecretFiles(p).map((f) => {
    const content = archivedKey(source, p, f);
    if (content === null)
      throw deployError(
        source.file,
        L(
          `The archive holds no ${f.what.en} for ${f.path}: it is not a backup of a Harbor 2.x cluster.`,
          `归档中没有 ${f.path} 的${f.what['zh-CN']}：它不是 Harbor 2.x 集群的备份。`,
        ),
        'missing_member',
        'file',
      );
    return { id: f.id, path: f.path, content, sha256: sha(content) };
  });
  return { files, origin: L(`from the backup ${source.file}`, `来自备份 ${source.file}`) };
}

export interface SecretsState {
  readonly differ: string[];
  readonly owners: string[];
  /** A legacy <data_volume>/secretkey that prepare would move over the shared one. */
  readonly legacyConflict: boolean;
}

export async function secretsState(ctx: Ctx, shell: NodeShell, m: Material): Promise<SecretsState> {
  const paths = m.files.map((f) => f.path);
  const legacy = posix.join(ctx.profile.options.dataVolume, 'secretkey');
  const [sums, stat, legacySum] = await Promise.all([
    shell.sha256(paths),
    shell.run(['sh', '-c', 'for f in "$@"; do stat -c "%u:%g %a" -- "$f" 2>/dev/null || echo missing; done', 'sh', ...paths]),
    shell.sha256([legacy]),
  ]);
  const modes = stat.stdout.trim().split('\n');
  const differ = m.files.filter((f, i) => sums[i] !== f.sha256).map((f) => f.path);
  const owners = m.files.filter((f, i) => !differ.includes(f.path) && modes[i] !== `${HARBOR_UID} 600`).map((f) => f.path);
  return { differ, owners, legacyConflict: !!legacySum[0] && legacySum[0] !== m.files[0]!.sha256 };
}

export function secretsStep(): Step<HarborEnv> {
  return planned<HarborEnv>({
    id: 'secrets',
    title: L('Shared secrets', '共享密钥'),
    explain: L(
      "Every node must have the same secret key (it encrypts the passwords Harbor stores in the shared database) and the same token key pair (core checks /v2/ tokens with this key, so a token signed by one node's core must be accepted by every node's core, or a push through the load balancer fails with 401). Harbor's prepare keeps these files when they exist, so they are written before any install: taken from node 1 when it has them (a running cluster, or adding nodes), otherwise made once on this computer the way prepare makes them (16-character secret key; RSA 4096 key and a self-signed certificate). They go to <data_volume>/secret/keys/secretkey, secret/core/private_key.pem and secret/registry/root.crt with mode 600 and owner 10000. They are never shown or logged.",
      '所有节点必须使用相同的 secretkey（它加密 Harbor 存放在共享数据库中的密码）和相同的令牌密钥对（core 用此密钥校验 /v2/ 令牌，一个节点的 core 签发的令牌必须被每个节点的 core 接受，否则经负载均衡推送会返回 401）。Harbor 的 prepare 会保留已存在的这些文件，因此在任何安装之前写入：节点 1 已有时取自节点 1（运行中的集群或扩容），否则按 prepare 的方式在本机生成一次（16 位 secretkey；RSA 4096 私钥及自签名证书）。文件写入 <data_volume>/secret/keys/secretkey、secret/core/private_key.pem 与 secret/registry/root.crt，权限 600，属主 10000。它们不会被显示或写入日志。',
    ),
    scope: 'each-node',
    async check(ctx) {
      const m = await material(ctx);
      const s = await secretsState(ctx, readShell(ctx, 'secrets'), m);
      if (s.differ.length) return { done: false, reason: L(`to write: ${s.differ.join(', ')}`, `需要写入：${s.differ.join('、')}`) };
      if (s.owners.length)
        return {
          done: false,
          reason: L(`not owned by 10000 with mode 600: ${s.owners.join(', ')}`, `属主不是 10000 或权限不是 600：${s.owners.join('、')}`),
        };
      if (s.legacyConflict)
        return {
          done: false,
          reason: L(
            `${posix.join(ctx.profile.options.dataVolume, 'secretkey')} differs; prepare would move it over the shared secret key`,
            `${posix.join(ctx.profile.options.dataVolume, 'secretkey')} 不同；prepare 会用它覆盖共享的 secretkey`,
          ),
        };
      return {
        done: true,
        reason: L(
          `${m.files.length} files identical to ${firstNode(ctx).label}'s`,
          `${m.files.length} 个文件与 ${firstNode(ctx).label} 一致`,
        ),
      };
    },
    async plan(ctx) {
      const m = await material(ctx);
      const shell = readShell(ctx, 'secrets');
      const s = await secretsState(ctx, shell, m);
      const paths = m.files.map((f) => f.path);
      const actions: Action[] = [
        { kind: 'run', argv: ['sh', '-c', 'umask 022; mkdir -p -- "$@"', 'sh', ...new Set(m.files.map((f) => posix.dirname(f.path)))] },
      ];
      for (const f of m.files)
        if (s.differ.includes(f.path))
          actions.push({ kind: 'write', path: f.path, content: f.content, mode: 0o600, done: L(`wrote ${f.path}`, `已写入 ${f.path}`) });
      actions.push(
        { kind: 'run', argv: ['chown', HARBOR_UID, ...paths] },
        {
          kind: 'run',
          argv: ['chmod', '600', ...paths],
          ...(ctx.node!.index === 0 ? { done: L(`shared secrets: ${m.origin.en}`, `共享密钥：${m.origin['zh-CN']}`) } : {}),
        },
      );
      if (s.legacyConflict) {
        const legacy = posix.join(ctx.profile.options.dataVolume, 'secretkey');
        const aside = (await asideName(shell, legacy, 'before-harbor-ha'))!;
        actions.push({
          kind: 'run',
          argv: ['mv', '-f', '--', legacy, aside],
          done: L(
            `moved ${legacy} aside: prepare would have moved it over the shared secret key`,
            `已将 ${legacy} 移开：否则 prepare 会用它覆盖共享的 secret key`,
          ),
        });
      }
      const source =
        ctx.node!.index === 0
          ? L('kept when the node has them, otherwise generated on this computer', '节点已有则保留，否则在本机生成')
          : L(`copied from ${firstNode(ctx).label}`, `从 ${firstNode(ctx).label} 复制`);
      return { actions, notes: [L(`${source.en}. The contents are never shown.`, `${source['zh-CN']}。内容不会显示。`)] };
    },
  });
}
