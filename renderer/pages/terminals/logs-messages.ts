import type { Localized } from '../../../shared/i18n/localized';

/** Strings of the Logs panel beside the terminals (LogsPanel.tsx), spread into the page's catalog. */
export const logsMessages = {
  'tlogs.toggle': { en: 'Logs', 'zh-CN': '日志' },
  'tlogs.toggle.help': {
    en: "Harbor's logs (/var/log/harbor) of every node of the cluster, merged by time, with filters, follow and request tracing",
    'zh-CN': '集群所有节点的 Harbor 日志（/var/log/harbor），按时间合并，可筛选、跟随和追踪请求',
  },
  'tlogs.nodes': { en: 'Nodes', 'zh-CN': '节点' },
  'tlogs.components': { en: 'Components', 'zh-CN': '组件' },
  'tlogs.levels': { en: 'Levels', 'zh-CN': '级别' },
  'tlogs.text': { en: 'Text in the line', 'zh-CN': '行中包含的文本' },
  'tlogs.from': { en: 'From', 'zh-CN': '起始时间' },
  'tlogs.to': { en: 'To', 'zh-CN': '结束时间' },
  'tlogs.refresh': { en: 'Read the end', 'zh-CN': '读取末尾' },
  'tlogs.earlier': { en: 'Earlier lines', 'zh-CN': '更早的行' },
  'tlogs.follow': { en: 'Follow', 'zh-CN': '跟随' },
  'tlogs.none': { en: 'No log lines (or none match the filters).', 'zh-CN': '没有日志行（或没有符合筛选条件的行）。' },
  'tlogs.trace': { en: 'Trace', 'zh-CN': '追踪' },
  'tlogs.traceTitle': { en: 'Request {request}', 'zh-CN': '请求 {request}' },
  'tlogs.tracing': {
    en: 'Looking for the request in core, registry and jobservice…',
    'zh-CN': '正在 core、registry 和 jobservice 中查找该请求…',
  },
  'tlogs.traceNone': {
    en: 'No line of core, registry or jobservice near this request.',
    'zh-CN': '该请求附近没有 core、registry 或 jobservice 的日志行。',
  },
  'tlogs.match.request-id': { en: 'same request id', 'zh-CN': '相同请求 ID' },
  'tlogs.match.path': { en: 'same path', 'zh-CN': '相同路径' },
  'tlogs.match.time': { en: 'same time', 'zh-CN': '相同时间' },
  'tlogs.bundlePath': { en: 'Bundle file (.tar.gz) on this computer', 'zh-CN': '本机上的日志包文件（.tar.gz）' },
  'tlogs.download': { en: 'Save the lines as a bundle', 'zh-CN': '将这些行保存为日志包' },
  'tlogs.saved': { en: 'Saved {lines} lines to {path}', 'zh-CN': '已将 {lines} 行保存到 {path}' },
} as const satisfies Record<string, Localized>;
