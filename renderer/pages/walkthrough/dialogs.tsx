/**
 * The two questions the walkthrough asks before it runs: the consent to reset (drop) an existing
 * Harbor database, given by typing the database host; and the reason for skipping a step.
 */
import { Alert, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { useI18n } from '../../i18n';

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
