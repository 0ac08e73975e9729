/** Import from an exported profile (asking its passphrase when it carries secrets) or harbor.cfg / harbor.yml. */
import { UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Modal, Space, Typography } from 'antd';
import { useRef, useState } from 'react';
import { MAX_FILE_BYTES, sizeOverLimit } from '../../../shared/api/limits';
import type { ProfileDraft } from '../../../shared/api/types';
import { ApiError } from '../../../shared/errors';
import { useApi } from '../../api/context';
import { useI18n } from '../../i18n';

type Kind = 'profile' | 'harbor';

export function ImportDialog({ onImported, onClose }: { onImported: (result: ProfileDraft) => Promise<void>; onClose: () => void }) {
  const { t, pick } = useI18n();
  const api = useApi();
  const inputs = { profile: useRef<HTMLInputElement>(null), harbor: useRef<HTMLInputElement>(null) };
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // An exported file that needs its passphrase.
  const [sealed, setSealed] = useState<string | null>(null);
  const [passphrase, setPassphrase] = useState('');

  const attempt = async (action: () => Promise<ProfileDraft>) => {
    setBusy(true);
    setError(null);
    try {
      await onImported(await action());
    } catch (e) {
      setError(e instanceof ApiError ? pick(e.localized) : String(e));
      return e;
    } finally {
      setBusy(false);
    }
    return null;
  };

  const onFile = async (kind: Kind, file: File | undefined) => {
    if (!file) return;
    // The core refuses larger content anyway; checked here so a huge file is never read or sent.
    if (file.size > MAX_FILE_BYTES) {
      setError(t('profiles.import.tooLarge', { file: file.name, ...sizeOverLimit(file.size, MAX_FILE_BYTES) }));
      return;
    }
    const content = await file.text();
    if (kind === 'harbor') {
      await attempt(() => api.call('profiles.importHarborConfig', { fileName: file.name, content }));
      return;
    }
    const failure = await attempt(() => api.call('profiles.import', { content }));
    if (failure instanceof ApiError && failure.reason === 'passphrase_required') {
      setSealed(content);
      setError(null);
    }
  };

  const unseal = () => sealed && passphrase && void attempt(() => api.call('profiles.import', { content: sealed, passphrase }));

  return (
    <Modal
      open
      title={t(sealed ? 'profiles.import.passphrase.title' : 'profiles.import.title')}
      onCancel={onClose}
      footer={
        sealed ? (
          <Space>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="primary" loading={busy} disabled={!passphrase} onClick={unseal} data-testid="import-passphrase-submit">
              {t('common.ok')}
            </Button>
          </Space>
        ) : null
      }
    >
      <div data-testid="import-dialog">
        {sealed ? (
          <Form layout="vertical">
            <Typography.Paragraph>{t('profiles.import.passphrase.body')}</Typography.Paragraph>
            <Form.Item label={t('profiles.export.passphrase')}>
              <Input.Password
                autoFocus
                autoComplete="new-password"
                value={passphrase}
                onChange={(e) => setPassphrase(e.target.value)}
                onPressEnter={unseal}
                data-testid="import-passphrase"
              />
            </Form.Item>
          </Form>
        ) : (
          <Space orientation="vertical" size="large" style={{ width: '100%' }}>
            {(['profile', 'harbor'] as const).map((kind) => (
              <div key={kind}>
                <Typography.Paragraph style={{ marginBottom: 8 }}>
                  {t(kind === 'profile' ? 'profiles.import.profile' : 'profiles.import.harbor')}
                </Typography.Paragraph>
                <Button
                  icon={<UploadOutlined />}
                  loading={busy}
                  onClick={() => inputs[kind].current?.click()}
                  data-testid={`import-${kind}`}
                >
                  {t('profiles.import.choose')}
                </Button>
                <input
                  ref={inputs[kind]}
                  type="file"
                  hidden
                  accept={kind === 'profile' ? '.json,application/json' : '.cfg,.yml,.yaml'}
                  data-testid={`import-${kind}-file`}
                  onChange={(e) => {
                    const file = e.target.files?.[0];
                    e.target.value = '';
                    void onFile(kind, file);
                  }}
                />
              </div>
            ))}
          </Space>
        )}
        {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} data-testid="dialog-error" />}
      </div>
    </Modal>
  );
}
