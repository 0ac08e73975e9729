import type { Localized } from '../../../shared/i18n/localized';

export const activityMessages = {
  'activity.title': { en: 'Activity', 'zh-CN': '操作记录' },
  'activity.intro': {
    en: 'Every command the app ran on your servers, newest first. Secrets are masked as ******.',
    'zh-CN': '应用在您的服务器上执行过的每条命令，最新的在前。机密信息显示为 ******。',
  },
  'activity.profile': { en: 'Cluster', 'zh-CN': '集群' },
  'activity.allProfiles': { en: 'All clusters', 'zh-CN': '全部集群' },
  'activity.refresh': { en: 'Refresh', 'zh-CN': '刷新' },
  'activity.col.time': { en: 'Time', 'zh-CN': '时间' },
  'activity.col.node': { en: 'Node', 'zh-CN': '节点' },
  'activity.col.command': { en: 'Command', 'zh-CN': '命令' },
  'activity.col.purpose': { en: 'Purpose', 'zh-CN': '用途' },
  'activity.col.exit': { en: 'Exit code', 'zh-CN': '退出码' },
  'activity.col.duration': { en: 'Duration', 'zh-CN': '耗时' },
  'activity.exit.none': { en: 'not finished', 'zh-CN': '未完成' },
  'activity.empty': {
    en: 'No command has run yet. Testing a node connection, preflight and deployments are recorded here.',
    'zh-CN': '尚未执行任何命令。测试节点连接、预检和部署都会记录在这里。',
  },
} as const satisfies Record<string, Localized>;
