/**
 * The installer onto every node: one upload from the desktop, relayed by node 1; or each node downloads it from a URL
 * or an OSS object.
 */
import OSS from 'ali-oss';
import { ApiError } from '../../../../../shared/errors';
import type { HarborEnv } from '../../env';
import { deployError, tail, type NodeShell } from '../../../deploy/remote';
import type { Step } from '../../../deploy/step';
import { planned, readShell } from '../../../deploy/plan';
import { SHA256_STDIN } from '../../../transfer/remote';
import { type Ctx, L, firstNode } from '../context';
import { TIMEOUTS } from '../timeouts';

export async function remoteSum(shell: NodeShell, path: string): Promise<string | null> {
  return (await shell.sha256([path]))[0] ?? null;
}

/**
 * Downloads on the node with curl (or wget) into a temporary name, checks the sha256 when the profile gives one, then
 * moves it into place; a wrong sum deletes the download and exits 3. The URL arrives on stdin, never in the command
 * line: an OSS link is signed (a credential for an hour), and the preview and the run show the same command.
 */
const DOWNLOAD = [
  'set -e',
  'IFS= read -r url',
  'mkdir -p "$(dirname "$1")"',
  'if command -v curl >/dev/null 2>&1; then printf \'url = "%s"\\n\' "$url" | curl -fsSL --retry 3 -o "$1.download" -K -; else printf \'%s\\n\' "$url" | wget -q -O "$1.download" -i -; fi',
  `if [ -n "$2" ] && [ "$(${SHA256_STDIN} < "$1.download" | cut -c1-64)" != "$2" ]; then rm -f -- "$1.download"; exit 3; fi`,
  'mv -f -- "$1.download" "$1"',
].join('\n');

export function installerStep(): Step<HarborEnv> {
  return planned<HarborEnv>({
    id: 'installer',
    title: L('Distribute the installer', '分发安装包'),
    explain: L(
      'Puts the Harbor offline installer on every node. From your computer it is uploaded once, to node 1, which copies it to the other nodes inside the network (with a temporary key that is removed afterwards); each copy is checked by sha256, and an interrupted upload resumes. With a URL or an OSS object, each node downloads it itself.',
      '把 Harbor 离线安装包放到每个节点上。从您的电脑只上传一次（到节点 1），再由节点 1 在内网中复制到其他节点（使用用后即删的临时密钥）；每份副本都校验 sha256，中断的上传会续传。若使用 URL 或 OSS 对象，则由各节点自行下载。',
    ),
    scope: 'each-node',
    async check(ctx) {
      const installer = await ctx.installer();
      const sum = await remoteSum(readShell(ctx, 'installer'), installer.remotePath);
      if (!sum) return { done: false, reason: L(`${installer.remotePath} is not there yet`, `${installer.remotePath} 尚不存在`) };
      if (installer.sha256 && sum !== installer.sha256)
        return {
          done: false,
          reason: L(
            `${installer.remotePath} differs from the installer (sha256 ${sum.slice(0, 12)}…)`,
            `${installer.remotePath} 与安装包不同（sha256 ${sum.slice(0, 12)}…）`,
          ),
        };
      return {
        done: true,
        reason: L(`${installer.remotePath} (sha256 ${sum.slice(0, 12)}…)`, `${installer.remotePath}（sha256 ${sum.slice(0, 12)}…）`),
      };
    },
    async plan(ctx) {
      const installer = await ctx.installer();
      const i = ctx.profile.harbor.installer;
      const label = ctx.node!.label;
      if (i.kind === 'local') {
        const first = firstNode(ctx);
        const how = L(
          `${installer.name} (${(installer.size / 1048576).toFixed(1)} MiB) is uploaded once, to ${first.label}, which copies it to the other nodes; each copy is checked by sha256.`,
          `${installer.name}（${(installer.size / 1048576).toFixed(1)} MiB）只上传一次到 ${first.label}，再由它复制到其他节点；每份副本都校验 sha256。`,
        );
        return {
          notes: [how],
          actions: [
            {
              kind: 'wait',
              what: L(`until ${installer.name} has arrived on ${label}`, `${installer.name} 送达 ${label}`),
              until: () => receiveUpload(ctx, installer),
            },
          ],
        };
      }
      const source = i.kind === 'url' ? i.url : `oss://${i.bucket ?? ctx.profile.oss.bucket}/${i.object}`;
      return {
        notes: [
          L(
            `${label} downloads ${source}${i.kind === 'oss' ? ' through a link signed for one hour (the node never holds the AccessKey)' : ''}${i.sha256 ? ', checked against the sha256 in the profile' : ''}.`,
            `${label} 下载 ${source}${i.kind === 'oss' ? '（通过有效期一小时的签名链接，节点不会持有 AccessKey）' : ''}${i.sha256 ? '，并按集群配置中的 sha256 校验' : ''}。`,
          ),
        ],
        actions: [
          {
            kind: 'run',
            argv: ['sh', '-c', DOWNLOAD, 'sh', installer.remotePath, i.sha256?.toLowerCase() ?? ''],
            options: { stdin: `${downloadUrl(ctx)}\n`, timeoutMs: TIMEOUTS.download, signal: ctx.signal },
            failure: (r) =>
              r.code === 3
                ? L(
                    `${label}: the installer downloaded from ${source} does not have the sha256 ${i.sha256 ?? ''} the profile gives. It was deleted.`,
                    `${label}：从 ${source} 下载的安装包 sha256 与集群配置中的 ${i.sha256 ?? ''} 不符，已删除。`,
                  )
                : L(
                    `${label}: the download of ${source} failed (exit ${r.code ?? r.signal}): ${tail(r.stderr, 3)}`,
                    `${label}：下载 ${source} 失败（退出码 ${r.code ?? r.signal}）：${tail(r.stderr, 3)}`,
                  ),
          },
        ],
      };
    },
  });
}

/** Where the node downloads from: the profile's URL, or a link to the OSS object signed for an hour. */
function downloadUrl(ctx: Ctx): string {
  const i = ctx.profile.harbor.installer;
  if (i.kind === 'url') return i.url;
  if (i.kind !== 'oss') throw new Error('no download for a local installer');
  const o = ctx.profile.oss;
  const client = new OSS({
    region: o.region,
    bucket: i.bucket ?? o.bucket,
    accessKeyId: o.accessKeyId,
    accessKeySecret: ctx.requireSecret('oss.accessKeySecret', L('OSS AccessKey secret', 'OSS AccessKey Secret')),
    internal: o.internal,
    secure: o.secure,
  });
  const url = client.signatureUrl(i.object, { expires: 3600 });
  ctx.redactor.add(new URL(url).searchParams.get('Signature') ?? undefined);
  return url;
}

/** One transfer for every node of this run (uploaded to node 1, relayed to the rest); resolves when it reached this node. */
async function receiveUpload(ctx: Ctx, installer: Awaited<ReturnType<HarborEnv['installer']>>): Promise<void> {
  const node = ctx.node!;
  const first = firstNode(ctx);
  const targets = [first, ...ctx.peers.filter((n) => n.id !== first.id)];
  const transferId = await ctx.once('installer-transfer', async () => {
    const { transferId } = await ctx.transfers.start({
      profileId: ctx.profile.id,
      nodeIds: targets.map((n) => n.id),
      localPath: installer.localPath,
      remotePath: installer.remotePath,
      mode: targets.length > 1 ? 'relay' : 'direct',
    });
    return transferId;
  });
  const stop = ctx.transfers.subscribe(transferId, (e) => {
    if (e.kind === 'node' && e.node.nodeId === node.id && e.node.total > 0) ctx.log.progress(e.node.bytes, e.node.total, 'bytes');
  });
  try {
    const finished = await ctx.transfers.wait(transferId)!;
    const mine = finished.nodes.find((n) => n.nodeId === node.id);
    if (!mine || (mine.status !== 'done' && mine.status !== 'unchanged')) {
      throw mine?.error
        ? new ApiError(mine.error)
        : deployError(
            node.label,
            L(
              `${node.label}: the installer did not arrive (${mine?.status ?? 'not part of the transfer'}).`,
              `${node.label}：安装包未送达（${mine?.status ?? '不在本次传输中'}）。`,
            ),
          );
    }
    const sha = `sha256 ${mine.sha256?.slice(0, 12) ?? '?'}…`;
    ctx.log.line(
      mine.status === 'unchanged'
        ? L(`${installer.name}: already there (${sha})`, `${installer.name}：已存在（${sha}）`)
        : mine.via
          ? L(`${installer.name}: copied from ${first.label} (${sha})`, `${installer.name}：已从 ${first.label} 复制（${sha}）`)
          : L(`${installer.name}: uploaded (${sha})`, `${installer.name}：已上传（${sha}）`),
    );
  } finally {
    stop?.();
  }
}
