/**
 * Asks what a restore needs: the archive (one of this cluster's in the folder, or any path for a drill into a new
 * profile), its passphrase, and the database host typed again when the restore replaces Harbor data or stops a
 * serving cluster. The core checks all of it before anything changes; its refusal shows here, naming the field, and
 * the dialog stays open. The passphrase lives only in this dialog.
 */
import { Alert, AutoComplete, Form, Input, Modal, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { ArchiveEntry } from '../../../shared/api/contracts/maintenance';
import { ApiError } from '../../../shared/errors';
import { useApi } from '../../api/context';
import { useScrubbedMarkup } from '../../components/scrub-markup';
import { useI18n } from '../../i18n';

export function RestoreDialog({
  profileId,
  profileName,
  file: initialFile,
  archives,
  resumeRunId,
  rollbackRunId,
  onStarted,
  onCancel,
}: {
  profileId: string;
  profileName: string;
  /** The archive chosen in the list, if any. */
  file: string | null;
  /** This cluster's archives in the folder, offered as the archive to restore. */
  archives: readonly ArchiveEntry[];
  /** Resumes this restore run instead of starting one. */
  resumeRunId?: string;
  /** Rolls back this upgrade run instead: its own backup (`file`) restored, the profile set back to its version. */
  rollbackRunId?: string;
  onStarted: (runId: string) => void;
  onCancel: () => void;
}) {
  const api = useApi();
  const { t, pick } = useI18n();
  const scrubbed = useScrubbedMarkup();
  const [file, setFile] = useState(initialFile ?? '');
  const [passphrase, setPassphrase] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [host, setHost] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ text: string; field?: string } | null>(null);

  useEffect(() => {
    api.call('profiles.get', { id: profileId }).then(
      (v) => setHost(v.profile.database.host),
      () => setHost(null),
    );
  }, [api, profileId]);

  const submit = async () => {
    setBusy(true);
    setError(null);
    const input = { file: file.trim(), passphrase, ...(confirmation.trim() ? { confirmation: confirmation.trim() } : {}) };
    try {
      const { runId } = rollbackRunId
        ? await api.call('maintenance.rollbackUpgrade', { runId: rollbackRunId, passphrase, confirmation: confirmation.trim() })
        : resumeRunId
          ? await api.call('maintenance.resumeRestore', { runId: resumeRunId, ...input })
          : await api.call('maintenance.restore', { profileId, ...input });
      onStarted(runId);
    } catch (e) {
      if (e instanceof ApiError) {
        const field = e.field ?? e.issues?.[0]?.path;
        setError({ text: pick(e.localized), ...(field ? { field } : {}) });
      } else setError({ text: String(e) });
    } finally {
      setBusy(false);
    }
  };
  const fieldError = (field: string) => (error?.field === field ? 'error' : '');

  return (
    <Modal
      open
      width={640}
      title={t(rollbackRunId ? 'maint.rollback.title' : resumeRunId ? 'maint.restore.resumeTitle' : 'maint.restore.title', {
        cluster: profileName,
      })}
      okText={t(resumeRunId ? 'maint.backup.resume' : 'maint.restore.start')}
      okButtonProps={{ 'data-testid': 'maint-restore-ok', danger: true, disabled: !file.trim() || !passphrase, loading: busy }}
      cancelText={t('common.cancel')}
      cancelButtonProps={{ 'data-testid': 'maint-restore-cancel' }}
      onOk={() => void submit()}
      onCancel={onCancel}
      destroyOnHidden
    >
      <Typography.Paragraph data-testid="maint-restore-what">
        {rollbackRunId ? t('maint.rollback.help') : t('maint.restore.what', { host: host ?? '…' })}
      </Typography.Paragraph>
      <div ref={scrubbed}>
        <Form layout="vertical" onFinish={() => void submit()}>
          <Form.Item label={t('maint.restore.archive')} htmlFor="maint-restore-file" validateStatus={fieldError('file')}>
            <AutoComplete
              disabled={!!rollbackRunId}
              id="maint-restore-file"
              data-testid="maint-restore-file"
              value={file}
              onChange={setFile}
              options={archives.map((a) => ({ value: a.file, label: a.name }))}
            />
          </Form.Item>
          <Form.Item label={t('maint.backup.passphrase')} htmlFor="maint-restore-pass" validateStatus={fieldError('passphrase')}>
            <Input.Password
              id="maint-restore-pass"
              data-testid="maint-restore-pass"
              autoComplete="off"
              value={passphrase}
              onChange={(e) => setPassphrase(e.target.value)}
            />
          </Form.Item>
          <Form.Item
            label={t('maint.restore.confirm')}
            htmlFor="maint-restore-confirm"
            help={t('maint.restore.confirm.help', { host: host ?? '…' })}
            validateStatus={fieldError('confirmation')}
          >
            <Input
              id="maint-restore-confirm"
              data-testid="maint-restore-confirm"
              autoComplete="off"
              spellCheck={false}
              placeholder={host ?? ''}
              value={confirmation}
              onChange={(e) => setConfirmation(e.target.value)}
            />
          </Form.Item>
        </Form>
      </div>
      {error && <Alert type="error" showIcon message={error.text} data-testid="maint-restore-error" />}
    </Modal>
  );
}
