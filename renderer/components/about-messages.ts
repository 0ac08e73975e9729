/** About's diagnostics and logs folder, and the theme that follows the system (issue #16 item 10). */
export const aboutMessages = {
  'header.theme.system': { en: 'Follow the system', 'zh-CN': '跟随系统' },
  'about.logsDir': { en: 'Logs folder', 'zh-CN': '日志目录' },
  'about.openLogs': { en: 'Open logs folder', 'zh-CN': '打开日志目录' },
  'about.logsInBrowser': {
    en: 'A browser cannot open folders: copy the path and open it on the machine running the app.',
    'zh-CN': '浏览器无法打开文件夹：请复制路径，在运行本应用的机器上打开。',
  },
  'about.diagnostics': { en: 'Copy diagnostics', 'zh-CN': '复制诊断信息' },
  'about.diagnostics.help': {
    en: 'Paste this into a bug report. It holds versions, the OS, languages, counts and the last run’s state: no passwords, host names, addresses or paths.',
    'zh-CN': '请将其粘贴到问题报告中。其中包含版本、操作系统、语言、数量和最近一次运行的状态：不含密码、主机名、地址或路径。',
  },
  'about.diagnostics.copied': { en: 'Diagnostics copied', 'zh-CN': '诊断信息已复制' },
  'about.diagnostics.selectToCopy': {
    en: 'The clipboard is not available here: select the text below and copy it.',
    'zh-CN': '此处无法使用剪贴板：请选中下面的文本并复制。',
  },
} as const;
