/**
 * The questions the walkthrough asks before it runs: the consent to reset (drop) an existing
 * Harbor database, given by typing the database host; the consent to stop serving nodes while they
 * are reinstalled, naming each with its expected downtime; and the reason for skipping a step.
 */
import { Alert, Input, List, Modal, Typography } from 'antd';
import { useState } from 'react';
import type { Disruption, Plan } from '../../../shared/api/contracts/deploy';
import { useI18n } from '../../i18n';
import { durationText } from './CheckSummary';

export function ResetConfirmDialog({
  host,
  onConfirm,
  onCancel,
}: {
  host: string;
  onConfirm: (typed: string) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const [typed, setTyped] = useState('');
  const ok = typed.trim() === host && host !== '';
  return (
    <Modal
      open
      title={t('walk.reset.title')}
      okText={t('walk.reset.ok')}
      okButtonProps={{ danger: true, disabled: !ok, 'data-testid': 'walk-reset-ok' }}
      cancelButtonProps={{ 'data-testid': 'walk-reset-cancel' }}
      cancelText={t('common.cancel')}
      onOk={() => ok && onConfirm(typed.trim())}
      onCancel={onCancel}
      destroyOnHidden
    >
      <div data-testid="walk-reset-dialog">
        <Alert type="error" showIcon title={t('walk.reset.warning', { host })} style={{ marginBottom: 12 }} />
        <Typography.Paragraph>{t('walk.reset.typeHost')}</Typography.Paragraph>
        <Typography.Paragraph>
          <Typography.Text code data-testid="walk-reset-host">
            {host}
          </Typography.Text>
        </Typography.Paragraph>
        <Input
          autoFocus
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          placeholder={host}
          data-testid="walk-reset-input"
          aria-label={t('walk.reset.typeHost')}
          onPressEnter={() => ok && onConfirm(typed.trim())}
        />
      </div>
    </Modal>
  );
}

export function SkipDialog({
  stepTitle,
  onConfirm,
  onCancel,
}: {
  stepTitle: string;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const ok = reason.trim().length > 0 && reason.trim().length <= 500;
  return (
    <Modal
      open
      title={t('walk.skip.title', { step: stepTitle })}
      okText={t('walk.skip.ok')}
      okButtonProps={{ disabled: !ok, 'data-testid': 'walk-skip-ok' }}
      cancelText={t('common.cancel')}
      onOk={() => ok && onConfirm(reason.trim())}
      onCancel={onCancel}
      destroyOnHidden
    >
      <div data-testid="walk-skip-dialog">
        <Typography.Paragraph>{t('walk.skip.explain')}</Typography.Paragraph>
        <Input.TextArea
          autoFocus
          rows={3}
          maxLength={500}
          showCount
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder={t('walk.skip.placeholder')}
          data-testid="walk-skip-reason"
          aria-label={t('walk.skip.reason')}
        />
      </div>
    </Modal>
  );
}

/** The serving nodes a run would reinstall, each with how long it is expected to be down and where that figure comes from. */
export function DisruptionDialog({
  plan,
  disruptions,
  onConfirm,
  onCancel,
}: {
  plan: Plan;
  disruptions: readonly Disruption[];
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t, locale } = useI18n();
  const label = (id: string | undefined) => plan.nodes.find((n) => n.id === id)?.label ?? id ?? '';
  return (
    <Modal
      open
      title={t('walk.disrupt.title')}
      okText={t('walk.disrupt.ok')}
      okButtonProps={{ danger: true, 'data-testid': 'walk-disrupt-ok' }}
      cancelButtonProps={{ 'data-testid': 'walk-disrupt-cancel' }}
      cancelText={t('common.cancel')}
      onOk={onConfirm}
      onCancel={onCancel}
      destroyOnHidden
    >
      <div data-testid="walk-disrupt-dialog">
        <Alert type="warning" showIcon title={t('walk.disrupt.intro')} style={{ marginBottom: 12 }} />
        <List
          size="small"
          dataSource={[...disruptions]}
          renderItem={(d) => (
            <List.Item
              data-testid="walk-disrupt-node"
              data-node={d.nodeId}
              data-seconds={d.downtime.seconds}
              data-source={d.downtime.source}
            >
              <div>
                <Typography.Text strong>
                  {t('walk.disrupt.node', { node: d.label, time: durationText(t, d.downtime.seconds) })}
                </Typography.Text>
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {d.downtime.source === 'measured'
                      ? t('walk.disrupt.measured', {
                          node: label(d.downtime.nodeId),
                          when: d.downtime.runId ? runTime(d.downtime.runId, locale) : '',
                        })
                      : t('walk.disrupt.estimate')}
                  </Typography.Text>
                </div>
              </div>
            </List.Item>
          )}
        />
      </div>
    </Modal>
  );
}

/** A run id starts with its creation time (`2026-12-07T06-30-00-000Z-…`): shown in the operator's locale. */
function runTime(runId: string, locale: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z/.exec(runId);
  const at = m ? new Date(`${m[1]}T${m[2]}:${m[3]}:${m[4]}.${m[5]}Z`) : null;
  return at && !Number.isNaN(at.getTime()) ? at.toLocaleString(locale) : runId;
}
