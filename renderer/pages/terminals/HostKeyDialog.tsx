/** Asks the operator to trust an unknown host key before a terminal connects to it. */
import { Modal, Typography } from 'antd';
import { useI18n } from '../../i18n';

export interface HostKeyPrompt {
  readonly tabKey: string;
  readonly label: string;
  readonly fingerprint: string;
  readonly keyType: string;
}

export function HostKeyDialog({
  hostKey,
  onTrust,
  onCancel,
}: {
  hostKey: HostKeyPrompt | null;
  onTrust: () => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  return (
    <Modal
      open={!!hostKey}
      title={t('term.hostKey.title')}
      okText={t('term.hostKey.trust')}
      cancelText={t('common.cancel')}
      onOk={onTrust}
      onCancel={onCancel}
      okButtonProps={{ 'data-testid': 'hostkey-trust' }}
      cancelButtonProps={{ 'data-testid': 'hostkey-cancel' }}
      destroyOnHidden
    >
      {hostKey && (
        <div data-testid="hostkey-dialog">
          <Typography.Paragraph>
            {t('term.hostKey.body', { node: hostKey.label, type: hostKey.keyType.replace(/^ssh-/, '') || 'ed25519' })}
          </Typography.Paragraph>
          <Typography.Text type="secondary">{t('term.hostKey.fingerprint')}</Typography.Text>
          <Typography.Paragraph copyable code data-testid="hostkey-fingerprint">
            {hostKey.fingerprint}
          </Typography.Paragraph>
        </div>
      )}
    </Modal>
  );
}
