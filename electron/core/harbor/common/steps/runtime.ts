/** Docker and compose on every node: installed when missing only with the operator's consent for this run. */
import { commandLine } from '../../../ssh/quote';
import type { HarborEnv } from '../../env';
import type { Step } from '../../../deploy/step';
import { planned, readShell, type Action } from '../../../deploy/plan';
import { L } from '../context';
import { readFacts } from '../facts';
import { findingsError } from '../preflight/findings';
import { runtimeFindings, runtimeInstallCommands, type RuntimeNeeds } from '../preflight/runtime';
import { TIMEOUTS } from '../timeouts';

export function runtimeStep(needs: RuntimeNeeds): Step<HarborEnv> {
  return planned<HarborEnv>({
    id: 'runtime',
    title: L('Docker and Compose', 'Docker 与 Compose'),
    explain: L(
      `Makes sure docker ≥ ${needs.docker}${needs.generation === 'v1' ? `, the standalone docker-compose binary ≥ ${needs.compose} and Python 2 at /usr/bin/python` : ` and the compose plugin`} are there. Installs what is missing only when you allowed it for this run (EPEL and the docker-ce repository on CentOS/RHEL, as in the runbook; apt on Debian/Ubuntu), and repairs the docker-compose "requests.packages.urllib3" ImportError.`,
      `确保 docker ≥ ${needs.docker}${needs.generation === 'v1' ? `、独立的 docker-compose ≥ ${needs.compose}，以及 /usr/bin/python 为 Python 2` : '以及 compose 插件'}。仅在您为本次运行允许时才安装缺少的软件（CentOS/RHEL 上按手册使用 EPEL 与 docker-ce 源；Debian/Ubuntu 使用 apt），并修复 docker-compose 的“requests.packages.urllib3” ImportError。`,
    ),
    scope: 'each-node',
    async check(ctx) {
      const facts = await readFacts(readShell(ctx, 'runtime'), []);
      const bad = runtimeFindings(facts, needs, ctx.node!.label, false).filter((f) => !f.ok);
      return bad.length
        ? { done: false, reason: findingsError(bad) }
        : { done: true, reason: L('docker and compose are in place', 'docker 与 compose 已就绪') };
    },
    async plan(ctx) {
      const label = ctx.node!.label;
      const facts = await readFacts(readShell(ctx, 'runtime'), []);
      const bad = runtimeFindings(facts, needs, label, false).filter((f) => !f.ok);
      if (!bad.length) return { actions: [] };
      const commands = runtimeInstallCommands(facts, needs);
      const repair = bad.some((f) => f.id === 'docker-compose.importerror');
      const install = bad.some((f) => f.id !== 'docker-compose.importerror');
      const actions: Action[] = [];
      if (!ctx.options.installRuntime) {
        // What would run is still shown, so the operator knows what allowing it means.
        const would = [...(repair ? [PIP_REPAIR] : []), ...(install ? commands : [])].map(commandLine);
        return {
          actions: [{ kind: 'fail', message: findingsError(bad), reason: 'runtime' }],
          notes: would.length
            ? [L(`Allowed to install, it would run: ${would.join('; ')}`, `若允许安装，将执行：${would.join('；')}`)]
            : [],
        };
      }
      if (repair) actions.push({ kind: 'run', argv: PIP_REPAIR, options: { stream: true, timeoutMs: TIMEOUTS.pipRepair } });
      if (install) {
        if (!commands.length)
          return {
            actions: [
              ...actions,
              {
                kind: 'fail',
                message: L(
                  `${label}: no yum or apt-get here; install docker and compose by hand.`,
                  `${label}：没有 yum 或 apt-get；请手工安装 docker 与 compose。`,
                ),
              },
            ],
          };
        for (const argv of commands) actions.push({ kind: 'run', argv, options: { stream: true, timeoutMs: TIMEOUTS.runtimePackages } });
        if (needs.python2 && facts.packageManager === 'apt') actions.push({ kind: 'run', argv: PYTHON_LINK });
      }
      return { actions };
    },
  });
}

/** The runbook's repair of docker-compose's "requests.packages.urllib3" ImportError. */
const PIP_REPAIR = ['pip', 'install', 'requests', 'urllib3', 'pyOpenSSL', '--force', '--upgrade'];
/** Harbor 1.x's prepare runs `python`: on Debian/Ubuntu point it at Python 2 unless something is there already. */
const PYTHON_LINK = ['sh', '-c', '[ -e /usr/bin/python ] || ln -s /usr/bin/python2 /usr/bin/python'];
