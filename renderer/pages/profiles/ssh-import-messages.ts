/** The import dialog's OpenSSH client config part (issue #16 item 10). */
export const sshImportMessages = {
  'profiles.import.ssh': {
    en: 'Nodes from an OpenSSH client config (~/.ssh/config)',
    'zh-CN': '从 OpenSSH 客户端配置（~/.ssh/config）导入节点',
  },
  'profiles.import.ssh.home': { en: 'Read ~/.ssh/config', 'zh-CN': '读取 ~/.ssh/config' },
  'profiles.import.ssh.home.help': {
    en: '“Read ~/.ssh/config” reads the file on the machine running the app; files it includes are read there too, also for a chosen or pasted config.',
    'zh-CN': '“读取 ~/.ssh/config”读取运行本应用的机器上的文件；其中 Include 引入的文件也在该机器上读取，选择或粘贴的配置同样如此。',
  },
  'profiles.import.ssh.paste': { en: 'Paste text…', 'zh-CN': '粘贴文本…' },
  'profiles.import.ssh.pasteLabel': { en: 'Text of the config file', 'zh-CN': '配置文件的内容' },
  'profiles.import.ssh.read': { en: 'Read these hosts', 'zh-CN': '读取这些主机' },
  'profiles.import.ssh.title': { en: 'Hosts from {source}', 'zh-CN': '来自 {source} 的主机' },
  'profiles.import.ssh.pasted': { en: 'the pasted text', 'zh-CN': '粘贴的文本' },
  'profiles.import.ssh.pick': {
    en: 'Choose the hosts that become the cluster’s nodes (at most {max}). Passwords and key passphrases are asked for in the form.',
    'zh-CN': '请选择作为集群节点的主机（最多 {max} 个）。密码和私钥口令在表单中填写。',
  },
  'profiles.import.ssh.key': { en: 'key {path}', 'zh-CN': '私钥 {path}' },
  'profiles.import.ssh.via': { en: 'via {hops}', 'zh-CN': '经由 {hops}' },
  'profiles.import.ssh.tooManyHops': {
    en: 'needs {count} jump hosts; a node can have at most {max}',
    'zh-CN': '需要 {count} 个跳板机；每个节点最多 {max} 个',
  },
  'profiles.import.ssh.none': {
    en: 'No host with a concrete name was found (patterns such as Host * are not nodes).',
    'zh-CN': '没有找到具体名称的主机（Host * 之类的模式不是节点）。',
  },
  'profiles.import.ssh.patterns': {
    en: 'Patterns, not nodes: their settings were applied to the hosts they match',
    'zh-CN': '以下是主机模式而不是节点：其设置已应用到与之匹配的主机',
  },
  'profiles.import.ssh.skipped': { en: 'Skipped or not understood', 'zh-CN': '已跳过或无法理解的内容' },
  'profiles.import.ssh.line': { en: 'line {line}: {message}', 'zh-CN': '第 {line} 行：{message}' },
  'profiles.import.ssh.generation': { en: 'Harbor version of the new cluster', 'zh-CN': '新集群的 Harbor 版本' },
  'profiles.import.ssh.create': { en: 'Create a profile with {count} nodes', 'zh-CN': '用 {count} 个节点创建集群配置' },
  'profiles.import.ssh.back': { en: 'Back', 'zh-CN': '返回' },
  'profiles.import.ssh.note': {
    en: 'The nodes come from {source}: check each node’s sign-in (password, key or agent) before testing the connection.',
    'zh-CN': '这些节点来自 {source}：测试连接前，请检查每个节点的登录方式（密码、私钥或代理）。',
  },
} as const;
