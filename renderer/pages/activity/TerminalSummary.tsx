/** An ended terminal session as the Activity page shows it: when, how much each way, and whether and where it was logged. */
import { Typography } from 'antd';
import type { TerminalSessionSummary } from '../../../shared/api/contracts/terminal';
import { useI18n } from '../../i18n';
import { formatBytes } from '../walkthrough/model';

export function TerminalSummary({ summary }: { summary: TerminalSessionSummary }) {
  const { t, locale } = useI18n();
  const time = (iso: string) => new Date(iso).toLocaleString(locale);
  const file = summary.transcript ?? '';
  return (
    <div data-testid="activity-terminal">
      <Typography.Text>
        {t('activity.terminal.summary', {
          start: time(summary.startedAt),
          end: time(summary.endedAt),
          received: formatBytes(summary.receivedBytes),
          sent: formatBytes(summary.sentBytes),
        })}
      </Typography.Text>
      <br />
      <Typography.Text
        type="secondary"
        data-testid="activity-terminal-logged"
        data-logged={summary.logged}
        style={{ wordBreak: 'break-all' }}
      >
        {summary.logged === 'off' || !file ? t('activity.terminal.off') : t(`activity.terminal.${summary.logged}`, { file })}
      </Typography.Text>
    </div>
  );
}
