/**
 * Preflight of one node, changing nothing: what the node has (docker, compose, Python 2, openssl,
 * free space) against what the Harbor generation needs, and the services as the node reaches them
 * (RDS whitelists are per node, so the desktop's view proves nothing): database logins and
 * version, Redis AUTH, an OSS write/read/delete. Each finding says what is wrong and what to do.
 */
import type { Localized } from '../../../../shared/i18n/localized';
import type { Profile } from '../../../../shared/profile';
import type { HarborEnv } from '../env';
import type { NodeShell } from '../../deploy/remote';
import { probeMysql, probeOss, probePostgres, probeRedis, probeTcp, ossHost, type ProbeResult } from '../../probe/probes';
import { readFacts, versionAtLeast, type NodeFacts } from './facts';
import { firstNonAscii } from './locale';

export interface Finding {
  /** Stable id, e.g. `docker-compose.version` (tests and the UI key on it). */
  readonly id: string;
  readonly ok: boolean;
  /** Warnings do not stop the run. */
  readonly severity: 'error' | 'warning';
  readonly message: Localized;
  readonly fix?: Localized;
}

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

const L = (en: string, zh: string): Localized => ({ en, 'zh-CN': zh });
const ok = (id: string, en: string, zh: string): Finding => ({ id, ok: true, severity: 'error', message: L(en, zh) });
const bad = (id: string, message: Localized, fix?: Localized, severity: 'error' | 'warning' = 'error'): Finding => ({
  id,
  ok: false,
  severity,
  message,
  ...(fix ? { fix } : {}),
});

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

/**
 * Harbor's scripts run under the node's UTF-8 locale (see locale.ts). Where a value Harbor's Python 2 prepare reads
 * holds a non-ASCII character and the node has no UTF-8 locale, prepare would die with UnicodeDecodeError: refused
 * here, naming the value, with the fix.
 */
export function localeFindings(facts: NodeFacts, label: string, scriptValues: Readonly<Record<string, string>>): Finding[] {
  if (facts.utf8Locale)
    return [ok('locale', `${label}: Harbor's scripts run under ${facts.utf8Locale}`, `${label}：Harbor 脚本在 ${facts.utf8Locale} 下运行`)];
  const nonAscii = Object.entries(scriptValues)
    .filter(([, v]) => firstNonAscii(v) !== null)
    .map(([k]) => k);
  if (!nonAscii.length)
    return [ok('locale', `${label}: no UTF-8 locale, but every value is ASCII`, `${label}：没有 UTF-8 区域设置，但所有值都是 ASCII`)];
  return [
    bad(
      'locale.utf8',
      L(
        `${label}: the node has no UTF-8 locale (locale -a), and ${nonAscii.join(', ')} in harbor.cfg ${nonAscii.length === 1 ? 'holds' : 'hold'} non-ASCII characters: Harbor 1.x's prepare (Python 2) would stop with UnicodeDecodeError.`,
        `${label}：节点没有 UTF-8 区域设置（locale -a），而 harbor.cfg 中的 ${nonAscii.join('、')} 含有非 ASCII 字符：Harbor 1.x 的 prepare（Python 2）会因 UnicodeDecodeError 而中止。`,
      ),
      L(
        'Add a UTF-8 locale on the node (CentOS/RHEL 7: localedef -c -i en_US -f UTF-8 en_US.UTF-8; Debian/Ubuntu: apt-get install -y locales && locale-gen en_US.UTF-8), or use only ASCII characters in those values.',
        '请在节点上添加 UTF-8 区域设置（CentOS/RHEL 7：localedef -c -i en_US -f UTF-8 en_US.UTF-8；Debian/Ubuntu：apt-get install -y locales && locale-gen en_US.UTF-8），或在这些值中只使用 ASCII 字符。',
      ),
    ),
  ];
}

/** Free space: the installer is kept, unpacked and loaded into docker, so about three times its size. */
export function diskFindings(facts: NodeFacts, label: string, installerBytes: number): Finding[] {
  const out: Finding[] = [];
  const needKb = Math.ceil((installerBytes * 3) / 1024) + 512 * 1024;
  for (const [dir, free] of Object.entries(facts.freeKb)) {
    if (free === null) continue;
    const gb = (free / 1024 / 1024).toFixed(1);
    if (free < needKb) {
      out.push(
        bad(
          `disk:${dir}`,
          L(
            `${label}: only ${gb} GiB free under ${dir}; about ${(needKb / 1024 / 1024).toFixed(1)} GiB are needed.`,
            `${label}：${dir} 下仅剩 ${gb} GiB；大约需要 ${(needKb / 1024 / 1024).toFixed(1)} GiB。`,
          ),
          L('Free some space or grow the disk.', '请清理空间或扩容磁盘。'),
        ),
      );
    }
  }
  if (!out.length) out.push(ok('disk', `${label}: enough free space`, `${label}：磁盘空间充足`));
  return out;
}

function fromProbe(id: string, r: ProbeResult, whitelistHint: Localized | undefined, okText: Localized): Finding {
  if (r.ok)
    return {
      id,
      ok: true,
      severity: 'error',
      message: L(`${okText.en}${r.detail ? ` (${r.detail})` : ''}`, `${okText['zh-CN']}${r.detail ? `（${r.detail}）` : ''}`),
    };
  return bad(id, r.problem ?? L(`${r.target} failed`, `${r.target} 失败`), whitelistHint);
}

/** The services as this node reaches them. */
export async function serviceFindings(env: HarborEnv, shell: NodeShell, nodeAddress: string, label: string): Promise<Finding[]> {
  const p: Profile = env.profile;
  const { client } = await shell.connection();
  const from = label;
  const whitelist = (what: string, zh: string) =>
    L(
      `Add ${nodeAddress} to the ${what} whitelist (and the security group), then run the preflight again.`,
      `请把 ${nodeAddress} 加入${zh}白名单（以及安全组），然后重新运行预检。`,
    );
  const checks: Promise<Finding>[] = [];
  const db = p.database;
  const dbSecretAdmin = env.requireSecret('database.admin.password', L('database administrator password', '数据库管理员密码'));
  const dbSecretHarbor = env.requireSecret('database.harbor.password', L('Harbor database password', 'Harbor 数据库密码'));
  if (db.engine === 'mysql') {
    checks.push(
      probeMysql(client, from, { host: db.host, port: db.port, user: db.admin.user, password: dbSecretAdmin }).then((r) =>
        fromProbe(
          'mysql.admin',
          r,
          r.problem && /reach|connect/i.test(r.problem.en) ? whitelist('RDS', ' RDS ') : undefined,
          L(`MySQL login as ${db.admin.user}`, `MySQL 以 ${db.admin.user} 登录`),
        ),
      ),
    );
    if (db.harbor.user !== db.admin.user)
      checks.push(
        probeMysql(client, from, { host: db.host, port: db.port, user: db.harbor.user, password: dbSecretHarbor }).then((r) =>
          fromProbe('mysql.harbor', r, undefined, L(`MySQL login as ${db.harbor.user}`, `MySQL 以 ${db.harbor.user} 登录`)),
        ),
      );
  } else {
    checks.push(
      probePostgres(client, from, { host: db.host, port: db.port, user: db.admin.user, password: dbSecretAdmin }).then((r) =>
        fromProbe(
          'postgresql.admin',
          r,
          r.problem && /reach|connect/i.test(r.problem.en) ? whitelist('RDS', ' RDS ') : undefined,
          L(`PostgreSQL login as ${db.admin.user}`, `PostgreSQL 以 ${db.admin.user} 登录`),
        ),
      ),
    );
  }
  if (p.harbor.generation === 'v1' && p.options.scanner === 'clair' && p.clair) {
    const c = p.clair;
    const pw = env.requireSecret('clair.password', L('Clair database password', 'Clair 数据库密码'));
    checks.push(
      probePostgres(client, from, { host: c.host, port: c.port, user: c.user, password: pw }).then((r) =>
        fromProbe('clair', r, undefined, L(`Clair PostgreSQL login as ${c.user}`, `Clair PostgreSQL 以 ${c.user} 登录`)),
      ),
    );
  }
  const r = p.redis;
  const redisPw = r.auth === 'none' ? undefined : env.requireSecret('redis.password', L('Redis password', 'Redis 密码'));
  checks.push(
    probeRedis(client, from, {
      host: r.host,
      port: r.port,
      auth: r.auth,
      ...(r.username ? { username: r.username } : {}),
      ...(redisPw ? { password: redisPw } : {}),
    }).then((x) =>
      fromProbe(
        'redis',
        x,
        x.problem && /reach|refused|timeout|no answer/i.test(x.problem.en) ? whitelist('Redis', ' Redis ') : undefined,
        L('Redis AUTH and PING', 'Redis AUTH 与 PING'),
      ),
    ),
  );
  const o = p.oss;
  const ossSecret = env.requireSecret('oss.accessKeySecret', L('OSS AccessKey secret', 'OSS AccessKey Secret'));
  checks.push(
    probeOss(client, from, {
      region: o.region,
      bucket: o.bucket,
      internal: o.internal,
      secure: o.secure,
      accessKeyId: o.accessKeyId,
      accessKeySecret: ossSecret,
      rootDirectory: o.rootDirectory,
      ...(o.endpoint ? { endpoint: o.endpoint } : {}),
    }).then((x) =>
      fromProbe(
        'oss',
        x,
        x.problem && /reach|resolve|timeout/i.test(x.problem.en) && o.internal
          ? L(
              `The internal endpoint ${ossHost(o)} only works from ECS in ${o.region}; check the region and the node's DNS.`,
              `内网地址 ${ossHost(o)} 仅在 ${o.region} 的 ECS 上可用；请检查地域和节点的 DNS。`,
            )
          : undefined,
        L(`OSS ${o.bucket}: write, read, delete`, `OSS ${o.bucket}：写、读、删`),
      ),
    ),
  );
  return Promise.all(checks);
}

/** The TCP reach of each service, alone (cheap; the topology uses the same). */
export function reachChecks(p: Profile): { id: string; host: string; port: number }[] {
  const out = [
    { id: 'database', host: p.database.host, port: p.database.port },
    { id: 'redis', host: p.redis.host, port: p.redis.port },
  ];
  if (p.harbor.generation === 'v1' && p.options.scanner === 'clair' && p.clair)
    out.push({ id: 'clair', host: p.clair.host, port: p.clair.port });
  out.push({ id: 'oss', host: ossHost(p.oss), port: p.oss.secure ? 443 : 80 });
  return out;
}

export async function reachFindings(shell: NodeShell, p: Profile, label: string): Promise<Finding[]> {
  const { client } = await shell.connection();
  return Promise.all(
    reachChecks(p).map(async (c) =>
      fromProbe(
        `reach.${c.id}`,
        await probeTcp(client, label, c.host, c.port),
        undefined,
        L(`TCP ${c.host}:${c.port}`, `TCP ${c.host}:${c.port}`),
      ),
    ),
  );
}

/** Everything about one node; `facts` is returned for the steps that follow. */
export async function nodePreflight(
  env: HarborEnv,
  shell: NodeShell,
  needs: RuntimeNeeds,
  nodeAddress: string,
  installerBytes: number,
): Promise<{ facts: NodeFacts; findings: Finding[] }> {
  const label = await shell.label();
  const facts = await readFacts(shell, ['/opt', env.profile.options.dataVolume, '/var/log/harbor', '/var/lib/docker']);
  const findings = [
    ...runtimeFindings(facts, needs, label, env.options.installRuntime === true),
    ...diskFindings(facts, label, installerBytes),
  ];
  if (needs.scriptValues) findings.push(...localeFindings(facts, label, needs.scriptValues(env)));
  const reach = await reachFindings(shell, env.profile, label);
  findings.push(...reach);
  // Logins only where the port answers (a refused port already says what to do).
  if (reach.every((f) => f.ok)) findings.push(...(await serviceFindings(env, shell, nodeAddress, label)));
  return { facts, findings };
}

/** One message listing what failed, with the fixes. */
export function findingsError(findings: readonly Finding[]): Localized {
  const failed = findings.filter((f) => !f.ok && f.severity === 'error');
  const line = (f: Finding, lang: 'en' | 'zh-CN') => `✖ ${f.message[lang]}${f.fix ? `\n  → ${f.fix[lang]}` : ''}`;
  return {
    en: `${failed.length} check${failed.length === 1 ? '' : 's'} failed; nothing was changed:\n${failed.map((f) => line(f, 'en')).join('\n')}`,
    'zh-CN': `${failed.length} 项检查未通过；未做任何更改：\n${failed.map((f) => line(f, 'zh-CN')).join('\n')}`,
  };
}
