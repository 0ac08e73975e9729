/**
 * Asks a backup's passphrase for one action (resume, verify) and runs it; the core's refusal (a wrong passphrase, a
 * damaged archive) shows in the dialog, which stays open for another try. The passphrase lives only in this dialog.
 */
import { Alert, Input, Modal, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { ApiError } from '../../../shared/errors';
import { useScrubbedMarkup } from '../../components/scrub-markup';
import { useI18n } from '../../i18n';

export function PassphraseDialog({
  title,
  help,
  onSubmit,
  onCancel,
  children,
}: {
  title: string;
  help: string;
  onSubmit: (passphrase: string) => Promise<void>;
  onCancel: () => void;
  /** What the action found, shown under the field (a verification's report). */
  children?: ReactNode;
}) {
  const { t, pick } = useI18n();
  const [passphrase, setPassphrase] = useState('');
  const scrubbed = useScrubbedMarkup();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await onSubmit(passphrase);
    } catch (e) {
      setError(e instanceof ApiError ? pick(e.localized) : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={title}
      okText={t('common.ok')}
      cancelText={t('common.cancel')}
      okButtonProps={{ 'data-testid': 'maint-pass-ok', disabled: passphrase.length === 0, loading: busy }}
      cancelButtonProps={{ 'data-testid': 'maint-pass-cancel' }}
      onOk={() => void submit()}
      onCancel={onCancel}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{help}</Typography.Paragraph>
      <div ref={scrubbed}>
        <Input.Password
          data-testid="maint-pass-input"
          aria-label={t('maint.backup.passphrase')}
          autoFocus
          autoComplete="off"
          value={passphrase}
          onChange={(e) => setPassphrase(e.target.value)}
          onPressEnter={() => void submit()}
        />
      </div>
      {error && <Alert type="error" showIcon message={error} data-testid="maint-pass-error" style={{ marginTop: 12 }} />}
      {children}
    </Modal>
  );
}
