/**
 * The run as a whole: how many of its cells have ended, how long it has taken, how long the rest should take
 * (estimated only from this cluster's earlier runs, and said to be), and its full log as a file to keep.
 */
import { DownloadOutlined } from '@ant-design/icons';
import { Button, Progress, Space, Typography, type message } from 'antd';
import { useEffect, useState } from 'react';
import type { Plan, RunView } from '../../../shared/api/contracts/deploy';
import { ApiError } from '../../../shared/errors';
import { useApi } from '../../api/context';
import { useI18n } from '../../i18n';
import { downloadText } from '../profiles/download';
import { formatDuration, logFileText, runTiming } from './outcome';

/** Re-renders every second while `on`, so elapsed and remaining time move. */
function useClock(on: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!on) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [on]);
  return on ? now : Date.now();
}

export function RunProgress({
  plan,
  run,
  history,
  toast,
}: {
  plan: Plan;
  run: RunView;
  /** The profile's runs, for the estimate. */
  history: readonly RunView[];
  toast: ReturnType<typeof message.useMessage>[0];
}) {
  const api = useApi();
  const { t, locale, pick } = useI18n();
  const now = useClock(run.active);
  const timing = runTiming(plan, run, history, now);
  const percent = timing.total ? Math.floor((timing.done / timing.total) * 100) : 0;

  const download = async () => {
    try {
      // The whole log from the core: the page keeps only the newest lines.
      const { log } = await api.call('deploy.run', { runId: run.runId });
      downloadText(`harbor-run-${run.runId}.log`, logFileText(plan, log, locale, t('walk.log.cluster')));
    } catch (e) {
      void toast.error(t('walk.log.downloadFailed', { why: e instanceof ApiError ? pick(e.localized) : String(e) }));
    }
  };

  return (
    <div data-testid="walk-run-progress" data-done={timing.done} data-total={timing.total}>
      <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
        <Space wrap size={12}>
          <Typography.Text strong>{t('walk.progress.title')}</Typography.Text>
          <Typography.Text data-testid="walk-run-progress-cells">
            {t('walk.progress.cells', { done: timing.done, total: timing.total })}
          </Typography.Text>
          <Typography.Text type="secondary" data-testid="walk-run-elapsed">
            {t(run.active ? 'walk.progress.elapsed' : 'walk.progress.took', { time: formatDuration(timing.elapsedMs, locale) })}
          </Typography.Text>
          {run.active && (
            <Typography.Text type="secondary" data-testid="walk-run-estimate" data-kind={timing.remainingMs === null ? 'none' : 'history'}>
              {timing.remainingMs === null
                ? t('walk.progress.noEstimate')
                : t('walk.progress.estimate', { time: formatDuration(timing.remainingMs, locale) })}
            </Typography.Text>
          )}
        </Space>
        <Button size="small" icon={<DownloadOutlined />} onClick={() => void download()} data-testid="walk-log-download">
          {t('walk.log.download')}
        </Button>
      </Space>
      <Progress
        percent={percent}
        size="small"
        status={run.active ? 'active' : run.state === 'finished' ? 'success' : run.state === 'failed' ? 'exception' : 'normal'}
        aria-label={t('walk.progress.title')}
      />
    </div>
  );
}
