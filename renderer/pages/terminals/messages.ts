import type { Localized } from '../../../shared/i18n/localized';
import { filesMessages } from './files-messages';
import { snippetsMessages } from './snippets-messages';
import { metricsMessages } from './metrics-messages';
import { logsMessages } from './logs-messages';

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
  'term.layout': { en: 'Panes', 'zh-CN': '窗格' },
  'term.layout.help': {
    en: 'How many terminals to show side by side; the tab you choose replaces the one used least recently',
    'zh-CN': '并排显示的终端数量；选择的标签页替换最久未使用的窗格',
  },
  'term.broadcast.receiving': { en: 'Broadcast', 'zh-CN': '广播' },
  'term.broadcast.receivingHelp': {
    en: 'What you type in any of the marked terminals goes to all of them',
    'zh-CN': '在任一带标记的终端中键入的内容会发送到所有带标记的终端',
  },
  'term.keys': { en: 'Keyboard shortcuts', 'zh-CN': '键盘快捷键' },
  'term.keys.copy': { en: 'Copy the selected text', 'zh-CN': '复制选中的文本' },
  'term.keys.paste': { en: 'Paste into the terminal', 'zh-CN': '粘贴到终端' },
  'term.keys.search': { en: 'Search the output', 'zh-CN': '搜索输出' },
  'term.keys.next': { en: 'Next terminal', 'zh-CN': '下一个终端' },
  'term.keys.previous': { en: 'Previous terminal', 'zh-CN': '上一个终端' },
  'term.keys.findNext': { en: 'In the search box: next match', 'zh-CN': '在搜索框中：下一个匹配' },
  'term.keys.findPrevious': { en: 'In the search box: previous match', 'zh-CN': '在搜索框中：上一个匹配' },
  'term.keys.backToTerminal': { en: 'In the search box: back to the terminal', 'zh-CN': '在搜索框中：回到终端' },
  'term.keys.scrollUp': { en: 'Scroll the output up a page', 'zh-CN': '输出向上滚动一页' },
  'term.keys.scrollDown': { en: 'Scroll the output down a page', 'zh-CN': '输出向下滚动一页' },
  'term.keys.interrupt': { en: 'Interrupt the running command (sent to the shell)', 'zh-CN': '中断正在运行的命令（发送给 Shell）' },
  'term.logging': { en: 'Log this terminal', 'zh-CN': '记录此终端' },
  'term.logging.help': {
    en: 'Writes what this terminal shows to {file}, with secrets masked. Off: nothing more is written until it is on again (the file marks the gap).',
    'zh-CN': '把此终端显示的内容写入 {file}，机密已遮盖。关闭后不再写入，直到再次打开（文件中会标明中断之处）。',
  },
  'term.logging.none': { en: 'Open a terminal first.', 'zh-CN': '请先打开一个终端。' },
  ...filesMessages,
  ...snippetsMessages,
  ...metricsMessages,
  ...logsMessages,
} as const satisfies Record<string, Localized>;
