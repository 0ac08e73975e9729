import type { Localized } from '../../../shared/i18n/localized';

/** Strings of the Snippets panel beside the terminals (SnippetsPanel.tsx), spread into the page's catalog. */
export const snippetsMessages = {
  'tsnip.toggle': { en: 'Snippets', 'zh-CN': '代码片段' },
  'tsnip.toggle.help': {
    en: 'Harbor operations with this cluster’s values filled in, and your own commands',
    'zh-CN': '已填入本集群参数的 Harbor 操作，以及您自己的命令',
  },
  'tsnip.search': { en: 'Search snippets', 'zh-CN': '搜索代码片段' },
  'tsnip.builtIn': { en: 'Harbor', 'zh-CN': 'Harbor' },
  'tsnip.own': { en: 'Your snippets', 'zh-CN': '我的代码片段' },
  'tsnip.own.none': { en: 'None yet: Add keeps a command for this cluster.', 'zh-CN': '还没有：点击“添加”可为本集群保存一条命令。' },
  'tsnip.none': { en: 'No snippet matches.', 'zh-CN': '没有匹配的代码片段。' },
  'tsnip.add': { en: 'Add', 'zh-CN': '添加' },
  'tsnip.edit': { en: 'Edit', 'zh-CN': '编辑' },
  'tsnip.delete': { en: 'Delete', 'zh-CN': '删除' },
  'tsnip.delete.confirm': { en: 'Delete “{name}”?', 'zh-CN': '删除“{name}”？' },
  'tsnip.command': { en: 'What will be typed', 'zh-CN': '将要输入的内容' },
  'tsnip.changes': {
    en: 'This changes the node. Read the command before you send it.',
    'zh-CN': '此操作会更改节点。发送前请先阅读命令。',
  },
  'tsnip.noSecrets': {
    en: 'No password is typed by the app: a command that needs one asks for it in the terminal.',
    'zh-CN': '应用不会输入任何密码：需要密码的命令会在终端中询问。',
  },
  'tsnip.run': { en: 'Run in this terminal', 'zh-CN': '在当前终端运行' },
  'tsnip.run.help': { en: 'Types the command into {node} and presses Enter', 'zh-CN': '在 {node} 中输入该命令并按回车' },
  'tsnip.broadcast': { en: 'Broadcast', 'zh-CN': '广播' },
  'tsnip.broadcast.help': {
    en: 'Types the command into this terminal and every terminal checked under “Send to”',
    'zh-CN': '在当前终端以及“发送到”中勾选的所有终端中输入该命令',
  },
  'tsnip.broadcast.off': {
    en: 'Turn on “Broadcast input” and check the terminals to send to',
    'zh-CN': '请先打开“广播输入”并勾选要发送到的终端',
  },
  'tsnip.noTerminal': { en: 'Open a terminal first.', 'zh-CN': '请先打开一个终端。' },
  'tsnip.sent': { en: 'Sent to {count} terminal(s)', 'zh-CN': '已发送到 {count} 个终端' },
  'tsnip.form.add': { en: 'Add a snippet', 'zh-CN': '添加代码片段' },
  'tsnip.form.edit': { en: 'Edit the snippet', 'zh-CN': '编辑代码片段' },
  'tsnip.form.name': { en: 'Name', 'zh-CN': '名称' },
  'tsnip.form.description': { en: 'Description', 'zh-CN': '说明' },
  'tsnip.form.command': { en: 'Command line', 'zh-CN': '命令行' },
  'tsnip.form.command.help': {
    en: 'One line, sent as written. Never put a password here: it would be kept in a plain file. Let the command ask for it.',
    'zh-CN': '一行，按原样发送。不要在这里写密码：它会保存在明文文件中。请让命令自己询问密码。',
  },
  'tsnip.form.required': { en: 'Required', 'zh-CN': '必填' },
  'tsnip.form.save': { en: 'Save', 'zh-CN': '保存' },
  'tsnip.form.cancel': { en: 'Cancel', 'zh-CN': '取消' },
} as const satisfies Record<string, Localized>;
