import type { Localized } from '../../../shared/i18n/localized';

/** Strings of the Terminals page, spread into the catalog in renderer/i18n/messages.ts. */
export const terminalMessages = {
  'term.profile': { en: 'Cluster', 'zh-CN': '集群' },
  'term.profile.placeholder': { en: 'Choose a cluster profile', 'zh-CN': '选择集群配置' },
  'term.noProfiles': {
    en: 'No cluster profiles yet. Create one on the Profiles page first.',
    'zh-CN': '还没有集群配置。请先在“集群配置”页面创建。',
  },
  'term.charset': { en: 'Charset', 'zh-CN': '字符集' },
  'term.charset.help': { en: 'Used for terminals opened from now on', 'zh-CN': '用于之后打开的终端' },
  'term.newShell': { en: 'New shell', 'zh-CN': '新建 Shell' },
  'term.newShell.on': { en: 'New shell on {node}', 'zh-CN': '在 {node} 上新建 Shell' },
  'term.search': { en: 'Search output', 'zh-CN': '搜索输出' },
  'term.search.next': { en: 'Next', 'zh-CN': '下一个' },
  'term.search.prev': { en: 'Previous', 'zh-CN': '上一个' },
  'term.copy': { en: 'Copy', 'zh-CN': '复制' },
  'term.paste': { en: 'Paste', 'zh-CN': '粘贴' },
  'term.copied': { en: 'Copied', 'zh-CN': '已复制' },
  'term.clipboardDenied': {
    en: 'The clipboard is not available here; use Ctrl+Shift+V or the browser’s paste.',
    'zh-CN': '此处无法访问剪贴板；请使用 Ctrl+Shift+V 或浏览器的粘贴功能。',
  },
  'term.reconnect': { en: 'Reconnect', 'zh-CN': '重新连接' },
  'term.close': { en: 'Close', 'zh-CN': '关闭' },
  'term.broadcast': { en: 'Broadcast input', 'zh-CN': '广播输入' },
  'term.broadcast.help': { en: 'Keystrokes go to every checked terminal', 'zh-CN': '键入的内容发送到所有勾选的终端' },
  'term.broadcast.targets': { en: 'Send to', 'zh-CN': '发送到' },
  'term.state.idle': { en: 'not connected', 'zh-CN': '未连接' },
  'term.state.connecting': { en: 'connecting', 'zh-CN': '正在连接' },
  'term.state.connected': { en: 'connected', 'zh-CN': '已连接' },
  'term.state.reconnecting': { en: 'reconnecting (attempt {attempt})', 'zh-CN': '正在重连（第 {attempt} 次）' },
  'term.state.closed': { en: 'closed', 'zh-CN': '已关闭' },
  'term.state.failed': { en: 'failed', 'zh-CN': '失败' },
  'term.connect': { en: 'Connect', 'zh-CN': '连接' },
  'term.exited': { en: 'The shell exited (code {code}).', 'zh-CN': 'Shell 已退出（退出码 {code}）。' },
  'term.hostKey.title': { en: 'Trust this host?', 'zh-CN': '信任此主机？' },
  'term.hostKey.body': {
    en: '{node} is not known yet. Compare its key fingerprint with the one on the server (ssh-keygen -lf /etc/ssh/ssh_host_{type}_key.pub) before trusting it. No password has been sent.',
    'zh-CN':
      '尚未记录 {node}。信任之前请将其密钥指纹与服务器上的指纹核对（ssh-keygen -lf /etc/ssh/ssh_host_{type}_key.pub）。尚未发送任何密码。',
  },
  'term.hostKey.fingerprint': { en: 'Fingerprint', 'zh-CN': '指纹' },
  'term.hostKey.trust': { en: 'Trust and connect', 'zh-CN': '信任并连接' },
  'term.hostKey.cancelled': { en: 'Not connected: the host key was not trusted.', 'zh-CN': '未连接：未信任主机密钥。' },
  'term.webgl': { en: 'GPU rendering', 'zh-CN': 'GPU 渲染' },
} as const satisfies Record<string, Localized>;
