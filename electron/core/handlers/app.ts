import { ApiError } from '../../../shared/errors';
import { L } from '../../../shared/i18n/localized';
import { startClock } from '../app/clock';
import { diagnosticsText } from '../app/diagnostics';
import { appInfo, canOpenFolders, type HostInfo } from '../app/info';
import { logsDir } from '../app/logs';
import type { CallsOf, StreamsOf } from '../api/dispatcher';
import type { ProfileSummary } from '../../../shared/api/types';

export function appHandlers(
  host: HostInfo,
  profiles: () => readonly ProfileSummary[],
): { calls: CallsOf<'app'>; streams: StreamsOf<'app'> } {
  return {
    calls: {
      'app.info': (_input, ctx) => appInfo(host, ctx.transport),
      'app.diagnostics': (input, ctx) => ({ text: diagnosticsText(host, ctx.transport, profiles(), input) }),
      'app.openLogsFolder': async (_input, ctx) => {
        if (!canOpenFolders(host, ctx.transport) || !host.openFolder) {
          throw new ApiError({
            code: 'conflict',
            reason: 'no_desktop',
            message: L('Only the desktop app can open folders; copy the path instead.', '只有桌面应用可以打开文件夹；请复制路径。'),
          });
        }
        const dir = logsDir(host.dataDir);
        const failure = await host.openFolder(dir);
        if (failure) {
          throw new ApiError({
            code: 'conflict',
            reason: 'open_failed',
            message: L(`The file manager could not open ${dir}: ${failure}`, `文件管理器无法打开 ${dir}：${failure}`),
          });
        }
        return null;
      },
    },
    streams: { 'app.clock': (input, sink) => startClock(input.intervalMs, (tick) => sink.next(tick)) },
  };
}
