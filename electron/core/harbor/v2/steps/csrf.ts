/** One CSRF_KEY on every core after every install. */
import type { HarborEnv } from '../../env';
import { deployError, type NodeShell } from '../../../deploy/remote';
import type { Step } from '../../../deploy/step';
import { underUtf8 } from '../../common/locale';
import { CORE_ENV } from '../../common/paths';
import { HARBOR_DIR } from '../../common/paths';
import { planned, readPurpose, readShell, type Action } from '../../../deploy/plan';
import { TIMEOUTS } from '../../common/timeouts';
import { CSRF_KEY_RE, csrfKeyOf, newCsrfKey, withCsrfKey } from '../secrets';
import { archivedCsrfKey, restoreSource } from '../../restore/source';
import { type Ctx, L, firstNode } from './context';
import { coreLogSize, waitHealthy } from './health';

// ───────────────────────────── CSRF_KEY ─────────────────────────────

/**
 * node 1's CSRF_KEY (or a new one when it has none of 32 characters), the same for every cell of the run; a restore's
 * is the archive's, so portal sessions signed before the backup stay valid.
 */
export function csrfReference(ctx: Ctx): Promise<string> {
  return ctx.once('v2-csrf-key', async () => {
    const restoring = restoreSource(ctx);
    const archived = restoring ? archivedCsrfKey(await restoring) : null;
    if (archived && CSRF_KEY_RE.test(archived)) return archived;
    const node = firstNode(ctx);
    const env = await readShell(ctx, 'csrf', node).read(CORE_ENV);
    if (env === null)
      throw deployError(
        node.label,
        L(`${node.label} has no ${CORE_ENV}: install node 1 first.`, `${node.label} 上没有 ${CORE_ENV}：请先安装节点 1。`),
      );
    const key = csrfKeyOf(env);
    const ref = key && CSRF_KEY_RE.test(key) ? key : newCsrfKey();
    ctx.redactor.add(ref);
    return ref;
  });
}

export interface CoreState {
  readonly env: string | null;
  /** core/env's mtime, seconds. */
  readonly envMtime: number;
  /** harbor-core's start, ms; null when it is not running. */
  readonly startedAt: number | null;
}

export async function coreState(shell: NodeShell): Promise<CoreState> {
  const [env, mtime, inspect] = await Promise.all([
    shell.read(CORE_ENV),
    shell.run(['stat', '-c', '%Y', CORE_ENV]),
    shell.run(['docker', 'inspect', '-f', '{{.State.Running}} {{.State.StartedAt}}', 'harbor-core']),
  ]);
  const [running, started] = inspect.stdout.trim().split(' ');
  // RFC 3339 with nanoseconds: keep milliseconds.
  const at = started ? Date.parse(started.replace(/(\.\d{3})\d+/, '$1')) : Number.NaN;
  return {
    env,
    envMtime: Number.parseInt(mtime.stdout.trim(), 10) || 0,
    startedAt: inspect.code === 0 && running === 'true' && Number.isFinite(at) ? at : null,
  };
}

export function csrfStep(): Step<HarborEnv> {
  return planned<HarborEnv>({
    id: 'csrf',
    title: L('One CSRF key', '统一 CSRF 密钥'),
    explain: L(
      "Harbor's prepare writes a new random CSRF_KEY into common/config/core/env on every install, so each node's core signs the portal's CSRF cookie with its own key, and behind the load balancer a login or any change made in the web UI fails with \"CSRF token invalid\" as soon as two requests reach different nodes (goharbor/harbor#21060). This step puts node 1's key (32 characters) into every node's core/env and recreates harbor-core where the key changed (docker compose up -d core: a plain docker restart keeps the old environment), then waits until Harbor is healthy again. The key is never shown.",
      'Harbor 的 prepare 每次安装都会在 common/config/core/env 中写入新的随机 CSRF_KEY，于是每个节点的 core 用各自的密钥签署门户的 CSRF cookie；在负载均衡之后，只要两个请求落到不同节点，登录或网页上的任何修改都会失败并提示“CSRF token invalid”（goharbor/harbor#21060）。此步骤把节点 1 的密钥（32 个字符）写入每个节点的 core/env，并在密钥变化的节点上重建 harbor-core（docker compose up -d core；单纯 docker restart 会沿用旧的环境变量），然后等待 Harbor 恢复健康。密钥不会显示。',
    ),
    scope: 'each-node',
    async check(ctx) {
      const ref = await csrfReference(ctx);
      const s = await coreState(readShell(ctx, 'csrf'));
      if (s.env === null)
        return { done: false, reason: L(`${CORE_ENV} is missing: Harbor is not installed here`, `缺少 ${CORE_ENV}：此处未安装 Harbor`) };
      if (csrfKeyOf(s.env) !== ref)
        return { done: false, reason: L(`CSRF_KEY differs from ${firstNode(ctx).label}'s`, `CSRF_KEY 与 ${firstNode(ctx).label} 不同`) };
      if (s.startedAt === null) return { done: false, reason: L('harbor-core is not running', 'harbor-core 未运行') };
      if (s.startedAt < s.envMtime * 1000)
        return {
          done: false,
          reason: L(
            'harbor-core started before core/env was last written, so it still uses the previous key',
            'harbor-core 的启动早于 core/env 的最近修改，仍在使用之前的密钥',
          ),
        };
      return {
        done: true,
        reason: L(
          `same CSRF_KEY as ${firstNode(ctx).label}, in use by harbor-core`,
          `与 ${firstNode(ctx).label} 使用相同的 CSRF_KEY，且 harbor-core 已生效`,
        ),
      };
    },
    async plan(ctx) {
      const ref = await csrfReference(ctx);
      const node = ctx.node!;
      const shell = readShell(ctx, 'csrf');
      const s = await coreState(shell);
      if (s.env === null)
        return {
          actions: [
            {
              kind: 'fail',
              message: L(
                `${node.label}: ${CORE_ENV} is missing; run the install step first.`,
                `${node.label}：缺少 ${CORE_ENV}；请先运行安装步骤。`,
              ),
            },
          ],
        };
      const actions: Action[] = [];
      if (csrfKeyOf(s.env) !== ref) {
        // Written in place (the file keeps its mode and owner); the content goes through stdin, never a command line.
        actions.push({
          kind: 'run',
          argv: [
            'sh',
            '-c',
            'umask 077; cat > "$1.harbor-ha.tmp" && cat "$1.harbor-ha.tmp" > "$1" && rm -f "$1.harbor-ha.tmp"',
            'sh',
            CORE_ENV,
          ],
          options: { stdin: withCsrfKey(s.env, ref) },
          done: L(
            `set CSRF_KEY in ${CORE_ENV} to ${firstNode(ctx).label}'s`,
            `已将 ${CORE_ENV} 中的 CSRF_KEY 设为 ${firstNode(ctx).label} 的值`,
          ),
        });
      }
      const logFrom = await coreLogSize(shell);
      actions.push(
        {
          kind: 'run',
          argv: underUtf8([
            'sh',
            '-c',
            'cd "$1" && if docker compose version >/dev/null 2>&1; then docker compose up -d core; else docker-compose up -d core; fi',
            'sh',
            HARBOR_DIR,
          ]),
          options: { stream: true, timeoutMs: TIMEOUTS.composeRecreate },
          done: L('recreated harbor-core with the shared CSRF_KEY', '已使用共享的 CSRF_KEY 重建 harbor-core'),
        },
        {
          kind: 'wait',
          what: L('until /api/v2.0/health reports every component healthy', '直到 /api/v2.0/health 报告所有组件健康'),
          until: () => waitHealthy(ctx, node, readPurpose('csrf'), logFrom),
        },
      );
      return {
        actions,
        notes: [
          L(
            'Without one key, a web UI login through the load balancer fails with "CSRF token invalid" when requests reach different nodes.',
            '若密钥不一致，经负载均衡的网页登录在请求落到不同节点时会失败，提示“CSRF token invalid”。',
          ),
        ],
      };
    },
  });
}
