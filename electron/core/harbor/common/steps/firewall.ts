/** The NAT rules a layer-4 CLB (SLB) needs on every node (the hairpin problem), added once and saved across reboots. */
import type { Localized } from '../../../../../shared/i18n/localized';
import type { Profile } from '../../../../../shared/profile';
import type { HarborEnv } from '../../env';
import type { NodeShell } from '../../../deploy/remote';
import type { Step } from '../../../deploy/step';
import { planned, readShell, type Action } from '../../../deploy/plan';
import { L } from '../context';

export interface NatPlan {
  readonly applies: boolean;
  readonly why: Localized;
  readonly address?: string;
  readonly ports: readonly number[];
}

/** Whether the seed's NAT REDIRECT applies (facts: SLB/CLB hairpin), and for which address and ports. */
export function natPlan(p: Profile): NatPlan {
  const lb = p.loadBalancer;
  const ports = p.access.protocol === 'https' ? [80, 443] : [80];
  if (lb.kind === 'alb')
    return {
      applies: false,
      ports,
      why: L(
        'Not needed: an ALB is a layer-7 proxy that connects to the nodes itself, so there is no hairpin problem.',
        '不需要：ALB 是七层代理，由它自己连接节点，不存在回环问题。',
      ),
    };
  if (lb.kind !== 'clb')
    return {
      applies: false,
      ports,
      why: L(
        'Not needed: the load balancer is self-hosted, so nodes do not need to accept traffic addressed to it.',
        '不需要：负载均衡为自建，节点无需接收发往它的流量。',
      ),
    };
  if (lb.listener === 'http')
    return {
      applies: false,
      ports,
      why: L(
        'Not needed: a layer-7 (HTTP/HTTPS) SLB listener proxies connections, so there is no hairpin problem.',
        '不需要：七层（HTTP/HTTPS）SLB 监听会代理连接，不存在回环问题。',
      ),
    };
  const address = lb.privateAddress ?? lb.publicAddress;
  if (!address)
    return {
      applies: false,
      ports,
      why: L(
        'Not possible: the profile has no SLB address. Add the SLB private address to apply the rule.',
        '无法添加：集群配置中没有 SLB 地址。请填写 SLB 私网地址。',
      ),
    };
  return {
    applies: true,
    address,
    ports,
    why: L(
      `With a layer-4 SLB, a node cannot reach the SLB address ${address} itself (Aliyun: backends cannot be clients of their own SLB). The rule makes traffic from the node and its containers to ${address} stay on the node: PREROUTING for containers, OUTPUT for the host.`,
      `使用四层 SLB 时，节点自身无法访问 SLB 地址 ${address}（阿里云：后端服务器不能同时作为该 SLB 的客户端）。该规则让节点及其容器发往 ${address} 的流量留在本机：PREROUTING 针对容器，OUTPUT 针对宿主机。`,
    ),
  };
}

const natRule = (chain: string, address: string, port: number) => [
  chain,
  '-p',
  'tcp',
  '-d',
  address,
  '--dport',
  String(port),
  '-j',
  'REDIRECT',
];

/** Where this OS keeps iptables rules across reboots (the first existing directory wins). */
const PERSIST = [
  { dir: '/etc/sysconfig', file: '/etc/sysconfig/iptables' },
  { dir: '/etc/iptables', file: '/etc/iptables/rules.v4' },
];

async function persistTarget(shell: NodeShell): Promise<string | null> {
  for (const p of PERSIST) if ((await shell.run(['test', '-d', p.dir])).code === 0) return p.file;
  return null;
}

/**
 * The firewall step as a plan contributes it: only where the load balancer is an Aliyun SLB, whose backends cannot
 * reach it themselves. A self-hosted load balancer has no hairpin problem, so the step is not in its plan at all
 * (a layer-7 SLB keeps it, to say why no rule is needed there).
 */
export function firewallSteps(p: Profile): Step<HarborEnv>[] {
  return p.loadBalancer.kind === 'clb' ? [firewallStep()] : [];
}

function firewallStep(): Step<HarborEnv> {
  return planned<HarborEnv>({
    id: 'firewall',
    title: L('Firewall (NAT for the SLB address)', '防火墙（SLB 地址的 NAT）'),
    explain: L(
      "The runbook's iptables REDIRECT for the SLB address on ports 80/443, added only when it applies (a layer-4 Aliyun SLB), checked before adding so a second run adds nothing, in PREROUTING (containers) and OUTPUT (the host itself, which the runbook forgot), and saved so it survives a reboot where the OS keeps iptables rules.",
      '手册中针对 SLB 地址 80/443 端口的 iptables REDIRECT，仅在适用时添加（阿里云四层 SLB）；添加前先检查，再次运行不会重复添加；同时加在 PREROUTING（容器）和 OUTPUT（宿主机自身，手册遗漏了）；并在系统支持时保存，重启后仍然有效。',
    ),
    scope: 'each-node',
    async check(ctx) {
      const plan = natPlan(ctx.profile);
      if (!plan.applies) return { done: true, reason: plan.why };
      const shell = readShell(ctx, 'firewall');
      const missing: string[] = [];
      for (const port of plan.ports) {
        for (const chain of ['PREROUTING', 'OUTPUT']) {
          if ((await shell.run(['iptables', '-t', 'nat', '-C', ...natRule(chain, plan.address!, port)])).code !== 0)
            missing.push(`${chain} ${port}`);
        }
      }
      if (missing.length)
        return { done: false, reason: L(`missing NAT rules: ${missing.join(', ')}`, `缺少 NAT 规则：${missing.join('、')}`) };
      const target = await persistTarget(shell);
      if (target) {
        const saved = (await shell.read(target)) ?? '';
        const all = plan.ports.every((port) =>
          ['PREROUTING', 'OUTPUT'].every((c) =>
            new RegExp(`-A ${c} -d ${plan.address!.replace(/\./g, '\\.')}(/32)? -p tcp (-m tcp )?--dport ${port} -j REDIRECT`).test(saved),
          ),
        );
        if (!all) return { done: false, reason: L(`the rules are active but not saved in ${target}`, `规则已生效，但未保存到 ${target}`) };
      }
      return {
        done: true,
        reason: L(
          `REDIRECT for ${plan.address} on ${plan.ports.join('/')} in PREROUTING and OUTPUT${target ? `, saved in ${target}` : ''}`,
          `${plan.address} 的 ${plan.ports.join('/')} 端口 REDIRECT 已在 PREROUTING 与 OUTPUT 中${target ? `，并保存在 ${target}` : ''}`,
        ),
      };
    },
    async plan(ctx) {
      const plan = natPlan(ctx.profile);
      if (!plan.applies) return { actions: [], notes: [plan.why] };
      const shell = readShell(ctx, 'firewall');
      const actions: Action[] = [];
      for (const port of plan.ports) {
        for (const chain of ['PREROUTING', 'OUTPUT']) {
          const rule = natRule(chain, plan.address!, port);
          // a rule already there is left alone: a second run adds nothing
          if ((await shell.run(['iptables', '-t', 'nat', '-C', ...rule])).code !== 0)
            actions.push({
              kind: 'run',
              argv: ['iptables', '-t', 'nat', '-A', ...rule],
              done: L(`added: iptables -t nat -A ${rule.join(' ')}`, `已添加：iptables -t nat -A ${rule.join(' ')}`),
            });
        }
      }
      const target = await persistTarget(shell);
      const notes = [plan.why];
      if (target)
        actions.push({
          kind: 'run',
          argv: ['sh', '-c', 'iptables-save > "$1.harbor-ha.tmp" && mv -f "$1.harbor-ha.tmp" "$1"', 'sh', target],
          done: L(`saved the rules in ${target}`, `规则已保存到 ${target}`),
        });
      else
        notes.push(
          L(
            'This OS has no standard place for saved iptables rules (/etc/sysconfig or /etc/iptables): the rules are lost on reboot unless iptables-services or iptables-persistent is installed.',
            '该系统没有保存 iptables 规则的标准位置（/etc/sysconfig 或 /etc/iptables）：除非安装 iptables-services 或 iptables-persistent，重启后规则会丢失。',
          ),
        );
      return { actions, notes };
    },
  });
}
