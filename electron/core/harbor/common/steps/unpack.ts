/** The installer unpacked into /opt/harbor, with pristine copies of the files the config steps edit. */
import type { HarborEnv } from '../../env';
import { deployError, type NodeShell } from '../../../deploy/remote';
import type { Step } from '../../../deploy/step';
import { planned, readShell, type Action } from '../../../deploy/plan';
import { L } from '../context';
import { HARBOR_DIR } from '../paths';
import { TIMEOUTS } from '../timeouts';
import { remoteSum } from './installer';

/** Written into /opt/harbor after unpacking: the sha256 of the installer it came from. */
export const UNPACK_MARKER = `${HARBOR_DIR}/.harbor-ha-deployer-installer`;
/** Pristine copies of the installer files the config steps edit. */
export const PRISTINE_DIR = `${HARBOR_DIR}/.harbor-ha-deployer-orig`;

/**
 * Where `path` goes when it is moved aside: `<path>.<word>-<its last change, UTC>`, which a preview and the run that
 * follows read alike (a run id would differ between them); undefined when there is nothing at `path`.
 */
export async function asideName(shell: NodeShell, path: string, word: string): Promise<string | undefined> {
  const changed = Number.parseInt((await shell.run(['stat', '-c', '%Y', '--', path])).stdout.trim(), 10);
  return Number.isFinite(changed)
    ? `${path}.${word}-${new Date(changed * 1000).toISOString().replace(/[-:]/g, '').slice(0, 15)}`
    : undefined;
}

/** `pristine`: installer files that the config steps edit; their pristine copies are kept beside. */
export function unpackStep(pristine: readonly string[]): Step<HarborEnv> {
  return planned<HarborEnv>({
    id: 'unpack',
    title: L('Unpack the installer', '解压安装包'),
    explain: L(
      `Unpacks the installer into ${HARBOR_DIR} and keeps pristine copies of the files the next steps edit, so a second run renders from the installer's own files again. An existing ${HARBOR_DIR} from another installer is moved aside (named after its last change), never deleted.`,
      `把安装包解压到 ${HARBOR_DIR}，并保留后续步骤要修改的文件的原始副本，这样再次运行时仍从安装包自带的文件生成配置。若已有来自其他安装包的 ${HARBOR_DIR}，会被移到一旁（以其最后修改时间命名），不会删除。`,
    ),
    scope: 'each-node',
    async check(ctx) {
      const installer = await ctx.installer();
      const shell = readShell(ctx, 'unpack');
      // The installer step verified the node's copy against this sha256; hash again only when it is not known.
      const [marker, sum] = await Promise.all([
        shell.read(UNPACK_MARKER),
        installer.sha256 ? Promise.resolve(installer.sha256) : remoteSum(shell, installer.remotePath),
      ]);
      if (marker && sum && marker.trim() === sum)
        return { done: true, reason: L(`${HARBOR_DIR} is from ${installer.name}`, `${HARBOR_DIR} 来自 ${installer.name}`) };
      return {
        done: false,
        reason: marker
          ? L(`${HARBOR_DIR} is from another installer`, `${HARBOR_DIR} 来自另一个安装包`)
          : L(`${HARBOR_DIR} is not unpacked yet`, `${HARBOR_DIR} 尚未解压`),
      };
    },
    async plan(ctx) {
      const installer = await ctx.installer();
      const shell = readShell(ctx, 'unpack');
      const label = ctx.node!.label;
      const sum =
        installer.sha256 && (await shell.exists(installer.remotePath)) ? installer.sha256 : await remoteSum(shell, installer.remotePath);
      if (!sum)
        return {
          actions: [
            {
              kind: 'fail',
              message: L(
                `${label}: ${installer.remotePath} is missing; run the installer step first.`,
                `${label}：缺少 ${installer.remotePath}；请先运行安装包分发步骤。`,
              ),
            },
          ],
        };
      const actions: Action[] = [];
      // -T refuses to nest it into an older one of the same name
      const aside = await asideName(shell, HARBOR_DIR, 'before');
      if (aside)
        actions.push({
          kind: 'run',
          argv: ['mv', '-T', '--', HARBOR_DIR, aside],
          done: L(`moved the previous ${HARBOR_DIR} to ${aside}`, `已将之前的 ${HARBOR_DIR} 移到 ${aside}`),
        });
      actions.push(
        { kind: 'run', argv: ['tar', 'xzf', installer.remotePath, '-C', '/opt'], options: { timeoutMs: TIMEOUTS.unpack, stream: true } },
        {
          kind: 'run',
          argv: ['test', '-f', `${HARBOR_DIR}/install.sh`],
          failure: L(
            `${label}: ${installer.name} has no harbor/install.sh: is it a Harbor offline installer?`,
            `${label}：${installer.name} 中没有 harbor/install.sh，它是 Harbor 离线安装包吗？`,
          ),
        },
        {
          kind: 'run',
          argv: [
            'sh',
            '-c',
            'set -e; d=$1; shift; for f in "$@"; do mkdir -p "$d/$(dirname "$f")"; cp -p "/opt/harbor/$f" "$d/$f"; done',
            'sh',
            PRISTINE_DIR,
            ...pristine,
          ],
        },
        { kind: 'write', path: UNPACK_MARKER, content: `${sum}\n`, mode: 0o644 },
      );
      return { actions };
    },
  });
}

/** A pristine installer file (as unpacked), or an error naming the node when it is missing. */
export async function pristineFile(shell: NodeShell, relative: string, label: string): Promise<string> {
  const text = await shell.read(`${PRISTINE_DIR}/${relative}`);
  if (text === null)
    throw deployError(
      label,
      L(
        `${label}: ${PRISTINE_DIR}/${relative} is missing; run the unpack step again.`,
        `${label}：缺少 ${PRISTINE_DIR}/${relative}；请重新运行解压步骤。`,
      ),
    );
  return text;
}
