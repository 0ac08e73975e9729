/**
 * How the run on screen ended: its failures in plan order (each opens its cell), or, when every
 * cell of the plan is done, the deployment's summary with the `docker login` to copy.
 */
import { CopyOutlined } from '@ant-design/icons';
import { Alert, Button, Space, Typography, type message } from 'antd';
import type { Plan, RunView } from '../../../shared/api/contracts/deploy';
import type { ProfileView } from '../../../shared/api/types';
import { useI18n } from '../../i18n';
import { allDone, CLUSTER, failedCells } from './model';
import type { Selection } from './state';

/** Failures listed at most; the rest are counted. */
const LISTED = 8;

export function RunOutcome({
  plan,
  run,
  view,
  onSelect,
  toast,
}: {
  plan: Plan;
  run: RunView | null;
  view: ProfileView | null;
  onSelect: (s: Selection) => void;
  toast: ReturnType<typeof message.useMessage>[0];
}) {
  const { t, pick } = useI18n();
  if (!run || run.active) return null;
  const failures = failedCells(plan, run);
  if (failures.length > 0) {
    return (
      <Alert
        type="error"
        showIcon
        data-testid="walk-failures"
        title={t('walk.failures.title', { n: failures.length })}
        description={
          <ul className="walk-failures">
            {failures.slice(0, LISTED).map((f) => {
              const s = plan.steps.find((x) => x.id === f.stepId);
              const where =
                f.nodeId === CLUSTER ? t('walk.detail.cluster') : (plan.nodes.find((n) => n.id === f.nodeId)?.label ?? f.nodeId);
              return (
                <li key={`${f.stepId}@${f.nodeId}`} data-testid="walk-failure" data-step={f.stepId} data-node={f.nodeId}>
                  <Typography.Link onClick={() => onSelect({ stepId: f.stepId, nodeId: f.nodeId })}>
                    {s ? pick(s.title) : f.stepId} · {where}
                  </Typography.Link>
                  {f.cell.error ? (
                    <>: {pick(f.cell.error)}</>
                  ) : (
                    <>: {t(f.cell.status === 'interrupted' ? 'walk.status.interrupted' : 'walk.status.failed')}</>
                  )}
                </li>
              );
            })}
            {failures.length > LISTED && <li>{t('walk.failures.more', { n: failures.length - LISTED })}</li>}
          </ul>
        }
      />
    );
  }
  const profile = view?.profile;
  if (run.state !== 'finished' || !profile || !allDone(plan, run)) return null;
  const login = `docker login ${profile.access.domain}`;
  const url = `${profile.access.protocol}://${profile.access.domain}`;
  return (
    <Alert
      type="success"
      showIcon
      data-testid="walk-summary"
      title={t('walk.summary.title')}
      description={
        <div>
          <div>
            {t('walk.summary.body', { version: profile.harbor.version, url, nodes: plan.nodes.length, bucket: profile.oss.bucket })}
          </div>
          <Space style={{ marginTop: 8 }}>
            <Typography.Text code data-testid="walk-docker-login">
              {login}
            </Typography.Text>
            <Button
              size="small"
              icon={<CopyOutlined />}
              onClick={() =>
                void navigator.clipboard.writeText(login).then(
                  () => toast.success(t('walk.summary.copied')),
                  () => toast.error(t('walk.summary.copyFailed')),
                )
              }
              data-testid="walk-copy-login"
            >
              {t('walk.summary.copy')}
            </Button>
          </Space>
        </div>
      }
    />
  );
}
