/**
 * What a node has (docker, compose, Python 2, openssl) against what the Harbor generation needs, and the commands
 * that install what is missing.
 */
import type { HarborEnv } from '../../env';
import { versionAtLeast, type NodeFacts } from '../facts';
import { L } from '../context';
import { bad, ok, type Finding } from './findings';

export interface RuntimeNeeds {
  readonly generation: 'v1' | 'v2';
  /** Minimum docker version. */
  readonly docker: string;
  /** v1: the standalone docker-compose binary; v2: the compose plugin, or docker-compose at least this. */
  readonly compose: string;
  readonly python2: boolean;
  readonly openssl: boolean;
  /** The values Harbor's Python 2 prepare reads, by name (1.x: harbor.cfg), which must survive the node's locale. */
  readonly scriptValues?: (env: HarborEnv) => Readonly<Record<string, string>>;
}

export const V1_NEEDS: RuntimeNeeds = { generation: 'v1', docker: '1.10.0', compose: '1.6.0', python2: true, openssl: true };
export const V2_NEEDS: RuntimeNeeds = { generation: 'v2', docker: '20.10.10', compose: '1.27.0', python2: false, openssl: true };

/**
 * The commands that install what is missing (and only that), as the seed runbook does on
 * CentOS/RHEL (EPEL for docker-compose, the docker-ce repository for docker), or with apt.
 */
export function runtimeInstallCommands(
  facts: Pick<NodeFacts, 'osFamily' | 'packageManager' | 'docker' | 'compose' | 'composePlugin' | 'python' | 'openssl'>,
  needs: RuntimeNeeds,
): string[][] {
  const needDocker = !facts.docker || !versionAtLeast(facts.docker, needs.docker);
  const needCompose =
    needs.generation === 'v1'
      ? !facts.compose || !versionAtLeast(facts.compose, needs.compose)
      : !facts.composePlugin && !(facts.compose && versionAtLeast(facts.compose, needs.compose));
  const needPython = needs.python2 && !/^Python 2\./.test(facts.python);
  const needOpenssl = needs.openssl && !facts.openssl;
  const v1 = needs.generation === 'v1';
  if (facts.packageManager === 'yum') {
    const cmds: string[][] = [];
    if (needCompose && v1) cmds.push(['yum', 'install', '-y', 'epel-release']);
    if (needDocker || (needCompose && !v1))
      cmds.push(['curl', '-fsSL', '-o', '/etc/yum.repos.d/docker-ce.repo', 'https://download.docker.com/linux/centos/docker-ce.repo']);
    const pkgs = [
      ...(needDocker ? ['docker-ce'] : []),
      ...(needCompose ? [v1 ? 'docker-compose' : 'docker-compose-plugin'] : []),
      ...(needPython ? ['python'] : []),
      ...(needOpenssl ? ['openssl'] : []),
    ];
    if (pkgs.length) cmds.push(['yum', 'install', '-y', ...pkgs]);
    if (needDocker) cmds.push(['systemctl', 'enable', '--now', 'docker']);
    return cmds;
  }
  if (facts.packageManager === 'apt') {
    const pkgs = [
      ...(needDocker ? ['docker.io'] : []),
      ...(needCompose ? [v1 ? 'docker-compose' : 'docker-compose-plugin'] : []),
      ...(needPython ? ['python2'] : []),
      ...(needOpenssl ? ['openssl'] : []),
    ];
    if (!pkgs.length) return [];
    return [
      ['apt-get', 'update'],
      ['apt-get', 'install', '-y', ...pkgs],
      ...(needDocker ? [['systemctl', 'enable', '--now', 'docker']] : []),
    ];
  }
  return [];
}

const IMPORT_ERROR = /ImportError: No module named '?requests\.packages\.urllib3'?/;

/** Findings about what the node has. */
export function runtimeFindings(facts: NodeFacts, needs: RuntimeNeeds, label: string, installOffered: boolean): Finding[] {
  const out: Finding[] = [];
  const install = runtimeInstallCommands(facts, needs)
    .map((a) => a.join(' '))
    .join('; ');
  const installFix = installOffered
    ? L(
        'The "Docker and Compose" step installs it (you allowed it for this run).',
        '“Docker 与 Compose”步骤会安装它（您已为本次运行允许）。',
      )
    : install
      ? L(
          `Turn on "Install missing Docker / docker-compose / Python 2" for this run (CLI: --install-runtime), or run on the node: ${install}`,
          `为本次运行勾选“安装缺少的 Docker / docker-compose / Python 2”（命令行：--install-runtime），或在节点上执行：${install}`,
        )
      : L('Install it with the package manager of this OS.', '请使用该系统的包管理器安装。');
  const severity = installOffered ? 'warning' : 'error';

  if (!facts.docker)
    out.push(
      bad(
        'docker.missing',
        L(
          `${label}: docker is not installed (Harbor ${needs.generation === 'v1' ? '1.x needs 1.10' : '2.x needs 20.10.10'} or later).`,
          `${label}：未安装 docker（Harbor ${needs.generation === 'v1' ? '1.x 需要 1.10' : '2.x 需要 20.10.10'} 或更高版本）。`,
        ),
        installFix,
        severity,
      ),
    );
  else if (!versionAtLeast(facts.docker, needs.docker))
    out.push(
      bad(
        'docker.version',
        L(`${label}: docker ${facts.docker} is older than ${needs.docker}.`, `${label}：docker ${facts.docker} 低于 ${needs.docker}。`),
        installFix,
        severity,
      ),
    );
  else out.push(ok('docker', `${label}: docker ${facts.docker}`, `${label}：docker ${facts.docker}`));

  if (IMPORT_ERROR.test(facts.composeOutput)) {
    out.push(
      bad(
        'docker-compose.importerror',
        L(
          `${label}: docker-compose fails to start: ImportError: No module named 'requests.packages.urllib3' (a known problem of the EPEL package).`,
          `${label}：docker-compose 无法运行：ImportError: No module named 'requests.packages.urllib3'（EPEL 软件包的已知问题）。`,
        ),
        installOffered
          ? L(
              'The "Docker and Compose" step runs: pip install requests urllib3 pyOpenSSL --force --upgrade (you allowed it).',
              '“Docker 与 Compose”步骤会执行：pip install requests urllib3 pyOpenSSL --force --upgrade（您已允许）。',
            )
          : L(
              'Run on the node: pip install requests urllib3 pyOpenSSL --force --upgrade (or allow this run to install missing pieces).',
              '在节点上执行：pip install requests urllib3 pyOpenSSL --force --upgrade（或允许本次运行安装缺少的组件）。',
            ),
        severity,
      ),
    );
  } else if (needs.generation === 'v1') {
    if (!facts.compose)
      out.push(
        bad(
          'docker-compose.missing',
          L(
            `${label}: the docker-compose binary is missing. Harbor 1.x's install.sh calls "docker-compose"; the "docker compose" plugin alone does not work.`,
            `${label}：缺少 docker-compose 可执行文件。Harbor 1.x 的 install.sh 调用的是“docker-compose”，仅有“docker compose”插件不行。`,
          ),
          installFix,
          severity,
        ),
      );
    else if (!versionAtLeast(facts.compose, needs.compose))
      out.push(
        bad(
          'docker-compose.version',
          L(
            `${label}: docker-compose ${facts.compose} is older than ${needs.compose}, which install.sh requires.`,
            `${label}：docker-compose ${facts.compose} 低于 install.sh 要求的 ${needs.compose}。`,
          ),
          installFix,
          severity,
        ),
      );
    else out.push(ok('docker-compose', `${label}: docker-compose ${facts.compose}`, `${label}：docker-compose ${facts.compose}`));
  } else if (facts.composePlugin) {
    out.push(ok('docker-compose', `${label}: docker compose ${facts.composePlugin}`, `${label}：docker compose ${facts.composePlugin}`));
  } else if (facts.compose && versionAtLeast(facts.compose, needs.compose)) {
    out.push(ok('docker-compose', `${label}: docker-compose ${facts.compose}`, `${label}：docker-compose ${facts.compose}`));
  } else {
    out.push(
      bad(
        'docker-compose.missing',
        L(
          `${label}: neither the docker compose plugin nor docker-compose ${needs.compose}+ is installed${facts.compose ? ` (found docker-compose ${facts.compose})` : ''}.`,
          `${label}：既没有 docker compose 插件，也没有 docker-compose ${needs.compose}+${facts.compose ? `（找到 docker-compose ${facts.compose}）` : ''}。`,
        ),
        installFix,
        severity,
      ),
    );
  }

  if (needs.python2) {
    if (!/^Python 2\./.test(facts.python)) {
      out.push(
        bad(
          'python2',
          L(
            `${label}: ${facts.python ? `/usr/bin/python is ${facts.python}` : 'there is no /usr/bin/python'}; Harbor 1.x's prepare is a Python 2 script.`,
            `${label}：${facts.python ? `/usr/bin/python 是 ${facts.python}` : '没有 /usr/bin/python'}；Harbor 1.x 的 prepare 是 Python 2 脚本。`,
          ),
          installOffered
            ? installFix
            : L(
                `Install Python 2 so that /usr/bin/python runs it (CentOS 7: yum install -y python; Debian/Ubuntu: apt-get install -y python2 && ln -s /usr/bin/python2 /usr/bin/python).`,
                `请安装 Python 2，并使 /usr/bin/python 指向它（CentOS 7：yum install -y python；Debian/Ubuntu：apt-get install -y python2 && ln -s /usr/bin/python2 /usr/bin/python）。`,
              ),
          severity,
        ),
      );
    } else out.push(ok('python2', `${label}: ${facts.python}`, `${label}：${facts.python}`));
  }
  if (needs.openssl && !facts.openssl)
    out.push(
      bad(
        'openssl',
        L(
          `${label}: openssl is missing (prepare uses it for keys and certificates).`,
          `${label}：缺少 openssl（prepare 用它生成密钥和证书）。`,
        ),
        installFix,
        severity,
      ),
    );
  return out;
}
