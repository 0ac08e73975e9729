import type { Localized } from '../../shared/i18n/localized';

/** Every string the shell shows, in both languages side by side so none can be forgotten. */
export const messages = {
  'app.title': { en: 'Harbor HA Deployer', 'zh-CN': 'Harbor 高可用部署工具' },
  'nav.profiles': { en: 'Profiles', 'zh-CN': '集群配置' },
  'nav.walkthrough': { en: 'Walkthrough', 'zh-CN': '部署向导' },
  'nav.terminals': { en: 'Terminals', 'zh-CN': '终端' },
  'nav.topology': { en: 'Topology', 'zh-CN': '拓扑' },
  'nav.activity': { en: 'Activity', 'zh-CN': '操作记录' },

  'page.profiles.title': { en: 'Cluster profiles', 'zh-CN': '集群配置' },
  'page.profiles.empty': {
    en: 'A profile describes one Harbor HA cluster: its nodes, load balancer, database, Redis and OSS. Your saved clusters will be listed here, with secrets kept in an encrypted vault.',
    'zh-CN': '一个集群配置描述一套 Harbor 高可用集群：节点、负载均衡、数据库、Redis 与 OSS。保存的集群会列在这里，密码等机密保存在加密的保险库中。',
  },
  'page.walkthrough.title': { en: 'Deployment walkthrough', 'zh-CN': '部署向导' },
  'page.walkthrough.empty': {
    en: 'The numbered install steps for the selected cluster will appear here: preflight checks, a preview of every command, file diff and SQL, then the run on all nodes with live logs and verification.',
    'zh-CN': '所选集群的编号安装步骤会显示在这里：预检、每条命令、文件差异和 SQL 的预览，然后在所有节点上执行，并显示实时日志与验证结果。',
  },
  'page.terminals.title': { en: 'Terminals', 'zh-CN': '终端' },
  'page.terminals.empty': {
    en: 'A live terminal into every node of the cluster will open here, one tab per node, with broadcast input, search and reconnect.',
    'zh-CN': '这里会为集群的每个节点打开实时终端，每个节点一个标签页，支持广播输入、搜索和重连。',
  },
  'page.topology.title': { en: 'Topology', 'zh-CN': '拓扑' },
  'page.topology.empty': {
    en: 'The cluster will be drawn here as load balancer → Harbor nodes → database, Redis and OSS, with live health measured from each node.',
    'zh-CN': '这里会以“负载均衡 → Harbor 节点 → 数据库、Redis 与 OSS”的形式绘制集群，并显示从每个节点测得的实时健康状态。',
  },
  'page.activity.title': { en: 'Activity', 'zh-CN': '操作记录' },
  'page.activity.empty': {
    en: 'Every command the app runs on your servers will be listed here with its time, node, exit code and duration, secrets masked.',
    'zh-CN': '应用在服务器上执行的每条命令都会列在这里，包括时间、节点、退出码和耗时，机密信息已遮蔽。',
  },
  'page.comingNext': { en: 'Nothing here yet', 'zh-CN': '暂无内容' },

  'header.language': { en: 'Language', 'zh-CN': '语言' },
  'header.theme': { en: 'Theme', 'zh-CN': '主题' },
  'header.theme.light': { en: 'Light', 'zh-CN': '浅色' },
  'header.theme.dark': { en: 'Dark', 'zh-CN': '深色' },
  'header.about': { en: 'About', 'zh-CN': '关于' },

  'status.connecting': { en: 'Connecting to the core…', 'zh-CN': '正在连接核心…' },
  'status.connected': { en: 'Core connected ({transport})', 'zh-CN': '已连接核心（{transport}）' },
  'status.lost': { en: 'Connection to the core lost', 'zh-CN': '与核心的连接已断开' },
  'status.coreTime': { en: 'core time {time}', 'zh-CN': '核心时间 {time}' },

  'about.title': { en: 'About Harbor HA Deployer', 'zh-CN': '关于 Harbor 高可用部署工具' },
  'about.version': { en: 'Version', 'zh-CN': '版本' },
  'about.platform': { en: 'Platform', 'zh-CN': '平台' },
  'about.node': { en: 'Node.js', 'zh-CN': 'Node.js' },
  'about.electron': { en: 'Electron', 'zh-CN': 'Electron' },
  'about.chrome': { en: 'Chromium', 'zh-CN': 'Chromium' },
  'about.transport': { en: 'Connection', 'zh-CN': '连接方式' },
  'about.transport.ipc': { en: 'Electron IPC', 'zh-CN': 'Electron IPC' },
  'about.transport.websocket': { en: 'WebSocket (serve mode)', 'zh-CN': 'WebSocket（serve 模式）' },
  'about.locale': { en: 'System language', 'zh-CN': '系统语言' },
  'about.dataDir': { en: 'Data folder', 'zh-CN': '数据目录' },
  'about.notElectron': { en: 'not running in Electron', 'zh-CN': '未在 Electron 中运行' },
  'about.loading': { en: 'Loading…', 'zh-CN': '加载中…' },
  'about.close': { en: 'Close', 'zh-CN': '关闭' },
  'about.tagline': {
    en: 'Deploys and operates Harbor in active-active high availability on your own servers: load balancer, external database, Redis and OSS.',
    'zh-CN': '在您自己的服务器上以双活高可用方式部署和运维 Harbor：负载均衡、外部数据库、Redis 与 OSS。',
  },
  'error.title': { en: 'Error', 'zh-CN': '错误' },
} as const satisfies Record<string, Localized>;

export type MessageKey = keyof typeof messages;
