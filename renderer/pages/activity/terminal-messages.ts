import type { Localized } from '../../../shared/i18n/localized';

/** Strings of an ended terminal session's line on the Activity page (TerminalSummary.tsx), spread into its catalog. */
export const terminalActivityMessages = {
  'activity.terminal.summary': {
    en: 'Terminal session {start} – {end}: {received} received, {sent} typed',
    'zh-CN': '终端会话 {start} – {end}：接收 {received}，输入 {sent}',
  },
  'activity.terminal.whole': { en: 'Logged (secrets masked) to {file}', 'zh-CN': '已记录（机密已遮盖）到 {file}' },
  'activity.terminal.partly': {
    en: 'Logged in part (logging was off for a while; the file marks where) to {file}',
    'zh-CN': '部分记录（期间关闭过记录，文件中标明了位置）到 {file}',
  },
  'activity.terminal.off': { en: 'Not logged', 'zh-CN': '未记录' },
  'activity.terminal.ended': { en: 'session ended', 'zh-CN': '会话已结束' },
} as const satisfies Record<string, Localized>;
