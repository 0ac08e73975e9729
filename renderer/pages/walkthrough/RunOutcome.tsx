/**
 * How the run on screen is going and how it ended: its overall progress and time; its failures in plan order, a
 * failure shared by several nodes once with the list of nodes, each opening its cell and, when a profile setting
 * is the cause, offering to edit that field; or, when every cell of the plan is done, where Harbor answers, the
 * `docker login` to copy and what to do next.
 */
import { CopyOutlined, ExportOutlined } from '@ant-design/icons';
import { Alert, Button, Space, Typography, type message } from 'antd';
import type { Plan, RunView } from '../../../shared/api/contracts/deploy';
import type { ProfileView } from '../../../shared/api/types';
import { useI18n } from '../../i18n';
import { messages, type MessageKey } from '../../i18n/messages';
import { allDone, CLUSTER } from './model';
import { editFieldHref, groupFailures, NODE_MARK, type FailureGroup } from './outcome';
import { RunProgress } from './RunProgress';
import type { Selection } from './state';

/** Failure groups listed at most; the rest are counted. */
const LISTED = 8;

function FailureItem({ plan, group, onSelect }: { plan: Plan; group: FailureGroup; onSelect: (s: Selection) => void }) {
  const { t, pick } = useI18n();
  const { stepId, nodeIds, cell } = group;
  const step = plan.steps.find((x) => x.id === stepId);
  const label = (id: string) => (id === CLUSTER ? t('walk.detail.cluster') : (plan.nodes.find((n) => n.id === id)?.label ?? id));
  const where =
    nodeIds.length > 1 ? t('walk.failures.nodes', { n: nodeIds.length, list: nodeIds.map(label).join(', ') }) : label(nodeIds[0]!);
  const error = group.shared ? pick(group.shared).split(NODE_MARK).join(t('walk.failures.eachNode')) : cell.error && pick(cell.error);
  const field = cell.field;
  // The profile form's label of the field when it has one (`f.database.port`), else its path.
  const fieldKey = `f.${field}`;
  const fieldName = field && (fieldKey in messages ? t(fieldKey as MessageKey) : field);
  return (
    <li data-testid="walk-failure" data-step={stepId} data-node={nodeIds[0]} data-nodes={nodeIds.join(',')} data-field={field ?? ''}>
      <Typography.Link onClick={() => onSelect({ stepId, nodeId: nodeIds[0]! })}>
        {step ? pick(step.title) : stepId} · {where}
      </Typography.Link>
      :{' '}
      <span data-testid="walk-failure-error">
        {error ?? t(cell.status === 'interrupted' ? 'walk.status.interrupted' : 'walk.status.failed')}
      </span>
      {field && (
        <div>
          <Typography.Text type="secondary">{t('walk.failures.field', { field: fieldName! })}</Typography.Text>{' '}
          <Typography.Link href={editFieldHref(plan.profileId, field)} data-testid="walk-edit-field">
            {t('walk.failures.editField')}
          </Typography.Link>
        </div>
      )}
    </li>
  );
}

function Failures({ plan, run, onSelect }: { plan: Plan; run: RunView; onSelect: (s: Selection) => void }) {
  const { t } = useI18n();
  const groups = groupFailures(plan, run);
  if (!groups.length) return null;
  const cells = groups.reduce((n, g) => n + g.nodeIds.length, 0);
  return (
    <Alert
      type="error"
      showIcon
      data-testid="walk-failures"
      title={t('walk.failures.title', { n: cells })}
      description={
        <ul className="walk-failures">
          {groups.slice(0, LISTED).map((g) => (
            <FailureItem key={`${g.stepId}@${g.nodeIds.join(',')}`} plan={plan} group={g} onSelect={onSelect} />
          ))}
          {groups.length > LISTED && <li>{t('walk.failures.more', { n: groups.length - LISTED })}</li>}
        </ul>
      }
    />
  );
}

function Deployed({
  plan,
  profile,
  toast,
}: {
  plan: Plan;
  profile: ProfileView['profile'];
  toast: ReturnType<typeof message.useMessage>[0];
}) {
  const { t } = useI18n();
  const login = `docker login ${profile.access.domain}`;
  const url = `${profile.access.protocol}://${profile.access.domain}`;
  const v1 = profile.harbor.generation === 'v1';
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
          <Space wrap style={{ marginTop: 8 }}>
            <Button
              type="primary"
              size="small"
              icon={<ExportOutlined />}
              href={url}
              target="_blank"
              rel="noopener noreferrer"
              data-testid="walk-open-harbor"
            >
              {t('walk.summary.open')}
            </Button>
            {/* The address to copy too: the desktop app opens no window of its own, so the link may not open there. */}
            <Typography.Text copyable data-testid="walk-harbor-url">
              {url}
            </Typography.Text>
          </Space>
          <div style={{ marginTop: 8 }}>{t('walk.summary.login')}</div>
          <Space style={{ marginTop: 4 }}>
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
          <Typography.Text strong style={{ display: 'block', marginTop: 12 }}>
            {t('walk.summary.next')}
          </Typography.Text>
          <ul className="walk-next" data-testid="walk-next">
            <li>{t('walk.summary.next.project', { domain: profile.access.domain })}</li>
            <li>{t(v1 ? 'walk.summary.next.robotV1' : 'walk.summary.next.robot')}</li>
            <li>{t(v1 ? 'walk.summary.next.replicationV1' : 'walk.summary.next.replication')}</li>
          </ul>
        </div>
      }
    />
  );
}

export function RunOutcome({
  plan,
  run,
  runs,
  view,
  onSelect,
  toast,
}: {
  plan: Plan;
  run: RunView | null;
  /** The profile's runs, for the time estimate. */
  runs: readonly RunView[] | null;
  view: ProfileView | null;
  onSelect: (s: Selection) => void;
  toast: ReturnType<typeof message.useMessage>[0];
}) {
  if (!run) return null;
  const profile = view?.profile;
  const deployed = !run.active && run.state === 'finished' && profile && allDone(plan, run);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="walk-outcome">
      <RunProgress plan={plan} run={run} history={runs ?? []} toast={toast} />
      {!run.active && <Failures plan={plan} run={run} onSelect={onSelect} />}
      {deployed && <Deployed plan={plan} profile={profile} toast={toast} />}
    </Space>
  );
}
