/**
 * The built-in Harbor snippets: each an argument vector built from the profile and the parameters the operator chose
 * among the values the profile allows, quoted by `commandLine` into the line the terminal receives.
 *
 * No snippet ever holds a secret: the profile the core hands in is the stored one (secrets are `{ set }` there), and
 * what needs a password asks for it on the node (redis-cli --askpass, psql, mysql -p, curl -u admin), so the operator
 * types it into the remote shell and the app never does.
 */
import type { BuiltinSnippet, SnippetParameter } from '../../../shared/api/contracts/snippets';
import { ApiError } from '../../../shared/errors';
import { L, type Localized } from '../../../shared/i18n/localized';
import type { Profile } from '../../../shared/profile';
import { HARBOR_DIR } from '../harbor/common/paths';
import { composeCommand, HARBOR_LOG_DIR, harborContainers, tlsOnNodes } from '../harbor/node';
import { installArgs as v1PrepareArgs } from '../harbor/v1/steps/install';
import { v2InstallArgs } from '../harbor/v2/steps/context';
import { and, commandLine } from '../ssh/quote';

type Values = Readonly<Record<string, string>>;

interface Definition {
  readonly id: string;
  readonly title: Localized;
  readonly description: (p: Profile) => Localized;
  /** Only for this generation (absent: both). */
  readonly generation?: Profile['harbor']['generation'];
  readonly changes?: boolean;
  readonly parameters?: (p: Profile) => SnippetParameter[];
  /** Command lines run one after the other, each only if the one before succeeded. */
  readonly argv: (p: Profile, v: Values) => string[][];
}

const inHarborDir = ['cd', HARBOR_DIR];
const dataVolume = (p: Profile) => p.options.dataVolume.replace(/\/+$/, '') || '/';

const component = (p: Profile): SnippetParameter => ({
  name: 'component',
  label: L('Container', '容器'),
  options: harborContainers(p),
});
const LOG_LINES: SnippetParameter = { name: 'lines', label: L('Last lines', '最后行数'), options: ['200', '50', '1000'] };

/**
 * A URL of the node's own Harbor, asked on the node itself. With TLS on the nodes the request goes to the registry's
 * name resolved to the loopback address, so curl checks the certificate against that name.
 */
function onNode(p: Profile, path: string): string[] {
  if (!tlsOnNodes(p)) return [`http://127.0.0.1${path}`];
  const name = p.access.domain.replace(/:\d+$/, '');
  return ['--resolve', `${name}:443:127.0.0.1`, `https://${name}${path}`];
}

/** redis-cli with the profile's address and account; --askpass reads the password on the node (Redis 6 and later). */
function redisCli(p: Profile, db: string): string[] {
  const r = p.redis;
  const auth = r.auth === 'none' ? [] : [...(r.auth === 'acl' && r.username ? ['--user', r.username] : []), '--askpass'];
  return ['redis-cli', '-h', r.host, '-p', String(r.port), ...auth, '-n', db];
}

const DEFINITIONS: readonly Definition[] = [
  {
    id: 'compose.ps',
    title: L('Containers (compose ps)', '容器状态（compose ps）'),
    description: () =>
      L(
        `Harbor's containers on this node, as compose sees them in ${HARBOR_DIR}.`,
        `此节点上 Harbor 的容器，即 compose 在 ${HARBOR_DIR} 中看到的状态。`,
      ),
    argv: (p) => [inHarborDir, [...composeCommand(p), 'ps']],
  },
  {
    id: 'container.logs',
    title: L('Logs of one container', '某个容器的日志'),
    description: () => L('The last lines the container wrote.', '该容器最近输出的若干行。'),
    parameters: (p) => [component(p), LOG_LINES],
    argv: (_p, v) => [['docker', 'logs', '--tail', v.lines!, v.component!]],
  },
  {
    id: 'container.restart',
    title: L('Restart one container', '重启某个容器'),
    description: () =>
      L(
        'Restarts the container on this node; requests it serves meanwhile fail (the load balancer sends the others elsewhere).',
        '在此节点上重启该容器；重启期间它处理的请求会失败（负载均衡会把其他请求转到别处）。',
      ),
    changes: true,
    parameters: (p) => [component(p)],
    argv: (_p, v) => [['docker', 'restart', v.component!]],
  },
  {
    id: 'harbor.prepare',
    title: L('Run prepare', '运行 prepare'),
    description: (p) =>
      p.harbor.generation === 'v1'
        ? L(
            `Renders common/config in ${HARBOR_DIR} again from harbor.cfg, as install.sh does (prepare ${v1PrepareArgs(p).join(' ')}). The containers keep the old files until they are recreated.`,
            `按 install.sh 的方式（prepare ${v1PrepareArgs(p).join(' ')}）根据 harbor.cfg 重新生成 ${HARBOR_DIR} 中的 common/config。容器在重建之前仍使用旧文件。`,
          )
        : L(
            `Renders common/config in ${HARBOR_DIR} again from harbor.yml, as install.sh does. It writes a new random CSRF key: redeploy (or the CSRF step) makes the nodes agree again.`,
            `按 install.sh 的方式根据 harbor.yml 重新生成 ${HARBOR_DIR} 中的 common/config。它会写入新的随机 CSRF 密钥：重新部署（或 CSRF 步骤）会让各节点再次一致。`,
          ),
    changes: true,
    argv: (p) => [inHarborDir, ['./prepare', ...(p.harbor.generation === 'v1' ? v1PrepareArgs(p) : v2InstallArgs(p))]],
  },
  {
    id: 'harbor.health',
    title: L('Harbor health on this node', '此节点上的 Harbor 健康状态'),
    description: (p) =>
      p.harbor.generation === 'v1'
        ? L("Harbor's /api/ping, asked on the node itself.", '在节点本机请求 Harbor 的 /api/ping。')
        : L("Harbor's /api/v2.0/health, asked on the node itself.", '在节点本机请求 Harbor 的 /api/v2.0/health。'),
    argv: (p) => [['curl', '-sS', ...onNode(p, p.harbor.generation === 'v1' ? '/api/ping' : '/api/v2.0/health')]],
  },
  {
    id: 'harbor.gc',
    generation: 'v2',
    title: L('Garbage collection status', '垃圾回收状态'),
    description: () =>
      L(
        "The last garbage collections (Harbor's /api/v2.0/system/gc); curl asks for the admin password on the node.",
        '最近几次垃圾回收（Harbor 的 /api/v2.0/system/gc）；curl 会在节点上询问 admin 密码。',
      ),
    argv: (p) => [['curl', '-sS', '-u', 'admin', ...onNode(p, '/api/v2.0/system/gc?page=1&page_size=5')]],
  },
  {
    id: 'disk.usage',
    title: L('Disk usage of the data volume', '数据卷的磁盘用量'),
    description: (p) =>
      L(
        `Free space where ${dataVolume(p)} lies, and what each folder of it and Harbor's logs (${HARBOR_LOG_DIR}) take.`,
        `${dataVolume(p)} 所在文件系统的剩余空间，以及其中每个目录和 Harbor 日志（${HARBOR_LOG_DIR}）的占用。`,
      ),
    argv: (p) => [
      ['df', '-h', dataVolume(p)],
      ['du', '-h', '-d', '1', dataVolume(p), HARBOR_LOG_DIR],
    ],
  },
  {
    id: 'redis.ping',
    title: L("Ping the profile's Redis", '探测集群配置的 Redis'),
    description: (p) =>
      p.redis.auth === 'none'
        ? L(
            `redis-cli PING to ${p.redis.host}:${p.redis.port} from this node.`,
            `从此节点用 redis-cli 对 ${p.redis.host}:${p.redis.port} 执行 PING。`,
          )
        : L(
            `redis-cli PING to ${p.redis.host}:${p.redis.port} from this node; it asks for the password${p.redis.auth === 'account' ? ` (Aliyun's account form: type ${p.redis.username ?? 'account'}:password)` : ''}.`,
            `从此节点用 redis-cli 对 ${p.redis.host}:${p.redis.port} 执行 PING；它会询问密码${p.redis.auth === 'account' ? `（阿里云账号形式：输入 ${p.redis.username ?? '账号'}:密码）` : ''}。`,
          ),
    parameters: (p) => [
      {
        name: 'db',
        label: L('Database index', '数据库编号'),
        options: [...new Set(Object.values(p.redis.dbIndexes).filter((n): n is number => n !== undefined))].map(String),
      },
    ],
    argv: (p, v) => [[...redisCli(p, v.db!), 'ping']],
  },
  {
    id: 'database.client',
    title: L("Open the profile's database", '打开集群配置的数据库'),
    description: (p) =>
      L(
        `${p.database.engine === 'postgresql' ? 'psql' : 'mysql'} to ${p.database.host}:${p.database.port} from this node; it asks for the account's password.`,
        `从此节点用 ${p.database.engine === 'postgresql' ? 'psql' : 'mysql'} 连接 ${p.database.host}:${p.database.port}；它会询问该账号的密码。`,
      ),
    parameters: (p) => [
      { name: 'account', label: L('Account', '账号'), options: [...new Set([p.database.harbor.user, p.database.admin.user])] },
    ],
    argv: (p, v) => {
      const d = p.database;
      if (d.engine === 'mysql') return [['mysql', '-h', d.host, '-P', String(d.port), '-u', v.account!, '-p', 'registry']];
      // env keeps the assignment an argument: a quoted NAME=value as the first word would be a command's name.
      return [
        ['env', `PGSSLMODE=${d.harbor.sslMode}`, 'psql', '-h', d.host, '-p', String(d.port), '-U', v.account!, '-d', d.harbor.database],
      ];
    },
  },
];

const forProfile = (p: Profile) => DEFINITIONS.filter((d) => !d.generation || d.generation === p.harbor.generation);

/** The built-in snippets of the profile's generation, with the values the profile allows. */
export function builtinSnippets(p: Profile): BuiltinSnippet[] {
  return forProfile(p).map((d) => ({
    id: d.id,
    title: d.title,
    description: d.description(p),
    parameters: d.parameters?.(p) ?? [],
    changes: d.changes ?? false,
  }));
}

const unknownSnippet = () =>
  new ApiError({
    code: 'not_found',
    reason: 'snippet',
    message: L('There is no such snippet for this cluster’s Harbor version.', '此集群的 Harbor 版本没有这个代码片段。'),
  });

/** The command line of a built-in snippet; a parameter left out takes its first option, one outside the options is refused. */
export function renderSnippet(p: Profile, id: string, given: Values): string {
  const d = forProfile(p).find((x) => x.id === id);
  if (!d) throw unknownSnippet();
  const values: Record<string, string> = {};
  for (const param of d.parameters?.(p) ?? []) {
    const value = given[param.name] ?? param.options[0];
    if (value === undefined || !param.options.includes(value)) {
      throw new ApiError({
        code: 'invalid_input',
        message: L(
          `${param.label.en}: choose one of ${param.options.join(', ')}.`,
          `${param.label['zh-CN']}：请从 ${param.options.join('、')} 中选择。`,
        ),
        issues: [{ path: `parameters.${param.name}`, message: L('not one of the offered values', '不是可选的值') }],
      });
    }
    values[param.name] = value;
  }
  return and(...d.argv(p, values).map(commandLine));
}
