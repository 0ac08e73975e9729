/**
 * The whole-plan check (deploy.check) as the operator reads it: a line of counts above the grid, the serving nodes a
 * run would reinstall, and one tag per cell in the grid — will change (with what), unchanged, passes, fails, needs an
 * earlier step first. The grid shows the check instead of the last run until a run starts or the operator goes back.
 */
import { CheckOutlined, CloseCircleOutlined, EditOutlined, HourglassOutlined, WarningOutlined } from '@ant-design/icons';
import { Alert, Button, Space, Tag, Tooltip } from 'antd';
import type { ReactNode } from 'react';
import type { CheckCell, CheckStatus, Plan, PlanCheck } from '../../../shared/api/contracts/deploy';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';

type Translate = ReturnType<typeof useI18n>['t'];

/** A list as the language writes one. */
const listSeparator = (locale: string) => (locale === 'zh-CN' ? '、' : ', ');

/** 42 → "42 s", 150 → "3 min" (the downtime of a node). */
export function durationText(t: Translate, seconds: number): string {
  return seconds >= 90 ? t('walk.time.minutes', { n: Math.round(seconds / 60) }) : t('walk.time.seconds', { n: seconds });
}

const LOOK: Record<CheckStatus, { color: string; icon: ReactNode; label: MessageKey }> = {
  'will-change': { color: 'gold', icon: <EditOutlined />, label: 'walk.check.status.will-change' },
  unchanged: { color: 'cyan', icon: <CheckOutlined />, label: 'walk.check.status.unchanged' },
  passes: { color: 'success', icon: <CheckOutlined />, label: 'walk.check.status.passes' },
  fails: { color: 'error', icon: <CloseCircleOutlined />, label: 'walk.check.status.fails' },
  needs: { color: 'default', icon: <HourglassOutlined />, label: 'walk.check.status.needs' },
  error: { color: 'warning', icon: <WarningOutlined />, label: 'walk.check.status.error' },
};

/** One cell of the check: its tag, and on hover why and what it would change. */
export function CheckTag({ plan, cell }: { plan: Plan; cell: CheckCell }) {
  const { t, pick, locale } = useI18n();
  const look = LOOK[cell.status];
  const steps = (cell.needs ?? []).map((id) => {
    const s = plan.steps.find((x) => x.id === id);
    return s ? pick(s.title) : id;
  });
  const changes = cell.changes;
  const tag = (
    <Tag color={look.color} icon={look.icon} style={{ marginInlineEnd: 0 }} data-testid="walk-check-tag">
      {t(look.label, { steps: steps.join(listSeparator(locale)) })}
      {changes && ` · ${t('walk.check.changes', changes)}`}
      {cell.disruptive && cell.status === 'will-change' && ` · ${t('walk.check.reinstall')}`}
    </Tag>
  );
  return cell.reason ? <Tooltip title={pick(cell.reason)}>{tag}</Tooltip> : tag;
}

export function CheckSummary({ check, onDismiss }: { check: PlanCheck; onDismiss: () => void }) {
  const { t, locale } = useI18n();
  const count: Record<CheckStatus, number> = { 'will-change': 0, unchanged: 0, passes: 0, fails: 0, needs: 0, error: 0 };
  for (const byNode of Object.values(check.cells)) for (const c of Object.values(byNode)) count[c.status] += 1;
  const disruptions = check.disruptions;
  return (
    <Space orientation="vertical" style={{ width: '100%', marginBottom: 8 }} data-testid="walk-check-summary">
      <Alert
        type={count.fails || count.error ? 'warning' : 'info'}
        showIcon
        title={t('walk.check.summary', {
          time: new Date(check.checkedAt).toLocaleTimeString(locale),
          change: count['will-change'],
          same: count.unchanged,
          pass: count.passes,
          fail: count.fails + count.error,
          needs: count.needs,
        })}
        action={
          <Button size="small" onClick={onDismiss} data-testid="walk-check-dismiss">
            {t('walk.check.dismiss')}
          </Button>
        }
      />
      {disruptions.length > 0 && (
        <Alert
          type="warning"
          showIcon
          data-testid="walk-check-disruptions"
          title={t('walk.check.disrupts', {
            n: disruptions.length,
            nodes: disruptions
              .map((d) =>
                locale === 'zh-CN'
                  ? `${d.label}（${durationText(t, d.downtime.seconds)}）`
                  : `${d.label} (${durationText(t, d.downtime.seconds)})`,
              )
              .join(listSeparator(locale)),
          })}
        />
      )}
    </Space>
  );
}
