/**
 * The walkthrough's run card: the run options (an existing database: refuse, adopt or reset;
 * installing a missing runtime), the steps to skip in the next run, and the buttons — Run all,
 * Retry failed, Resume, Cancel, Refresh. What each does is the reducer's (state.ts).
 */
import { FileSearchOutlined, PauseCircleOutlined, PlayCircleOutlined, RedoOutlined, ReloadOutlined, StopOutlined } from '@ant-design/icons';
import { Button, Card, Checkbox, Popconfirm, Radio, Space, Tag, Tooltip, Typography } from 'antd';
import type { Dispatch } from 'react';
import type { Plan } from '../../../shared/api/contracts/deploy';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import { hasProblems, nodesToRetry } from './model';
import { canRun, isSending, shownRun, type ExistingDatabase, type WalkthroughAction, type WalkthroughState } from './state';

const DB_HELP: Record<ExistingDatabase, MessageKey> = {
  refuse: 'walk.opt.db.refuse.help',
  adopt: 'walk.opt.db.adopt.help',
  reset: 'walk.opt.db.reset.help',
};

export function RunControls({
  state,
  plan,
  dispatch,
  onCancel,
}: {
  state: WalkthroughState;
  plan: Plan;
  dispatch: Dispatch<WalkthroughAction>;
  onCancel: () => void;
}) {
  const { t, pick } = useI18n();
  const run = shownRun(state);
  const enabled = canRun(state);
  const { existingDatabase, installRuntime } = state.options;
  const retryNodes = nodesToRetry(run).length;
  return (
    <Card size="small" title={t('walk.run.title')} data-testid="walk-controls">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Space wrap align="start">
          <Typography.Text strong>{t('walk.opt.db')}</Typography.Text>
          <Radio.Group
            data-testid="walk-opt-db"
            value={existingDatabase}
            onChange={(e) => dispatch({ type: 'options', options: { existingDatabase: e.target.value as ExistingDatabase } })}
            disabled={!enabled}
            optionType="button"
            buttonStyle="solid"
            size="small"
            options={[
              { value: 'refuse', label: t('walk.opt.db.refuse') },
              { value: 'adopt', label: t('walk.opt.db.adopt') },
              { value: 'reset', label: <span data-testid="walk-opt-db-reset">{t('walk.opt.db.reset')}</span> },
            ]}
          />
          <Typography.Text type={existingDatabase === 'reset' ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
            {t(DB_HELP[existingDatabase])}
          </Typography.Text>
        </Space>
        <Checkbox
          checked={installRuntime}
          onChange={(e) => dispatch({ type: 'options', options: { installRuntime: e.target.checked } })}
          disabled={!enabled}
          data-testid="walk-opt-runtime"
        >
          {t('walk.opt.runtime')}{' '}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('walk.opt.runtime.help')}
          </Typography.Text>
        </Checkbox>
        {Object.keys(state.skips).length > 0 && (
          <Space wrap data-testid="walk-skips">
            <Typography.Text>{t('walk.skip.list')}</Typography.Text>
            {Object.entries(state.skips).map(([id, reason]) => {
              const s = plan.steps.find((x) => x.id === id);
              return (
                <Tag key={id} closable onClose={() => dispatch({ type: 'unskip', stepId: id })} data-testid="walk-skip-tag" data-step={id}>
                  {s ? pick(s.title) : id}: {reason}
                </Tag>
              );
            })}
          </Space>
        )}
        <Space wrap>
          <Tooltip title={t('walk.action.runAll.help')}>
            <Button
              type="primary"
              icon={<PlayCircleOutlined />}
              disabled={!enabled}
              loading={isSending(state)}
              onClick={() => dispatch({ type: 'run', ask: { kind: 'all' } })}
              data-testid="walk-run-all"
            >
              {t('walk.action.runAll')}
            </Button>
          </Tooltip>
          <Tooltip title={t('walk.action.check.help')}>
            <Button
              icon={<FileSearchOutlined />}
              disabled={!enabled}
              loading={state.checking}
              onClick={() => dispatch({ type: 'check-asked' })}
              data-testid="walk-check"
            >
              {t('walk.action.check')}
            </Button>
          </Tooltip>
          {run && !run.active && hasProblems(run) && (
            <Tooltip title={t('walk.action.retryFailed.help')}>
              <Button
                icon={<RedoOutlined />}
                disabled={!enabled}
                onClick={() => dispatch({ type: 'run', ask: { kind: 'retry-failed' } })}
                data-testid="walk-retry-failed"
              >
                {retryNodes ? t('walk.action.retryFailed', { n: retryNodes }) : t('walk.action.retry')}
              </Button>
            </Tooltip>
          )}
          {run && !run.active && run.state === 'interrupted' && (
            <Tooltip title={t('walk.action.resume.help')}>
              <Button
                icon={<PauseCircleOutlined />}
                disabled={!enabled}
                onClick={() => dispatch({ type: 'run', ask: { kind: 'resume', runId: run.runId } })}
                data-testid="walk-resume"
              >
                {t('walk.action.resume')}
              </Button>
            </Tooltip>
          )}
          {run?.active && (
            <Popconfirm
              title={t('walk.cancel.confirm')}
              okText={t('walk.action.cancel')}
              cancelText={t('walk.cancel.keep')}
              onConfirm={onCancel}
            >
              <Button danger icon={<StopOutlined />} data-testid="walk-cancel">
                {t('walk.action.cancel')}
              </Button>
            </Popconfirm>
          )}
          <Button icon={<ReloadOutlined />} onClick={() => dispatch({ type: 'refresh' })} data-testid="walk-refresh">
            {t('walk.action.refresh')}
          </Button>
        </Space>
      </Space>
    </Card>
  );
}
