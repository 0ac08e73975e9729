/** The preflight step both generations start with: a gate that changes nothing. */
import type { Localized } from '../../../../../shared/i18n/localized';
import type { HarborEnv } from '../../env';
import type { CheckResult, Step } from '../../../deploy/step';
import { readOnly, readShell } from '../../../deploy/plan';
import { type Ctx, L } from '../context';
import { nodePreflight } from '../preflight';
import { failedField, findingLine, findingsError } from '../preflight/findings';
import type { RuntimeNeeds } from '../preflight/runtime';
import { nodeAddress } from './nodes';

/** The base preflight of a node: runtime, space and the services as the node reaches them (reads only). */
function nodePreflightCheck(needs: RuntimeNeeds): (ctx: Ctx) => Promise<CheckResult> {
  return async (ctx) => {
    const shell = readShell(ctx, 'preflight');
    const installer = await ctx.installer();
    const { findings } = await nodePreflight(ctx, shell, needs, nodeAddress(ctx, ctx.node!), installer.size ?? 0);
    for (const f of findings) ctx.log.line(findingLine(f));
    const failed = findings.filter((f) => !f.ok && f.severity === 'error');
    const warnings = findings.filter((f) => !f.ok && f.severity === 'warning');
    if (failed.length) return { done: false, reason: findingsError(findings), ...failedField(findings) };
    return {
      done: true,
      reason: L(
        `${findings.length - warnings.length} checks passed${warnings.length ? `; ${warnings.length} to fix in the next step` : ''}`,
        `${findings.length - warnings.length} 项检查通过${warnings.length ? `；${warnings.length} 项将在下一步修复` : ''}`,
      ),
    };
  };
}

/**
 * Preflight: nothing changes anywhere until every node passes (a gate). A generation adds its own checks (`more`),
 * given the base verdict; the plan is that verdict (readOnly).
 */
export function preflightStep(
  needs: RuntimeNeeds,
  more?: { readonly explain?: Localized; check?(ctx: Ctx, base: CheckResult): Promise<CheckResult> },
): Step<HarborEnv> {
  const base = nodePreflightCheck(needs);
  return readOnly<HarborEnv>({
    id: 'preflight',
    title: L('Preflight checks', '预检'),
    explain:
      more?.explain ??
      L(
        'Changes nothing. Connects to every node and checks, from each node, what Harbor needs: docker and compose versions, Python 2 and openssl (1.x), free space, and the database, Redis and OSS as that node reaches them (RDS whitelists are per node, so a check from your computer proves nothing). Nothing is changed anywhere until every node passes.',
        '不做任何更改。连接每个节点，并从每个节点检查 Harbor 所需的一切：docker 与 compose 版本、Python 2 与 openssl（1.x）、磁盘空间，以及该节点能否访问数据库、Redis 和 OSS（RDS 白名单按节点生效，从您电脑上检查说明不了问题）。所有节点都通过之前，不会更改任何地方。',
      ),
    scope: 'each-node',
    gate: true,
    reads: L(
      'Read-only: commands that only look (docker --version, df, …) and logins to the services from each node.',
      '只读：仅查看信息的命令（docker --version、df 等），以及从每个节点登录各项服务。',
    ),
    failReason: 'preflight',
    check: more?.check ? async (ctx) => more.check!(ctx, await base(ctx)) : base,
  });
}
