import { Alert, Form, Input, Modal, Typography, message } from 'antd';
import { useEffect, useState } from 'react';
import type { ApiClient } from '../../shared/api/client';
import type { VaultStatus } from '../../shared/api/types';
import { ApiError } from '../../shared/errors';
import { useScrubbedMarkup } from '../components/scrub-markup';
import { useI18n } from '../i18n';

export type VaultDialogMode = 'setup' | 'unlock' | 'change';

const MIN = 8;

/** Set up, unlock or re-key the vault. Talks to the core directly (not through the retrying client). */
export function VaultDialog({
  client,
  mode,
  onDone,
  onCancel,
}: {
  client: ApiClient;
  mode: VaultDialogMode;
  onDone: () => void;
  onCancel: () => void;
}) {
  const scrubbed = useScrubbedMarkup();
  const { t, pick } = useI18n();
  const [status, setStatus] = useState<VaultStatus | null>(null);
  const [first, setFirst] = useState('');
  const [second, setSecond] = useState('');
  const [current, setCurrent] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [toast, holder] = message.useMessage();

  useEffect(() => {
    client.call('vault.status', {}).then(setStatus, () => setStatus(null));
  }, [client]);

  const keyring = status?.method === 'safeStorage';
  const needsNew = (mode === 'setup' && !keyring) || mode === 'change';
  const tooShort = needsNew && first.length < MIN;
  const mismatch = needsNew && second !== first;
  const canSubmit =
    !busy &&
    (mode === 'unlock'
      ? first.length > 0
      : mode === 'setup' && keyring
        ? true
        : !tooShort && !mismatch && (mode !== 'change' || current.length > 0));

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      if (mode === 'setup') await client.call('vault.setup', keyring ? {} : { passphrase: first });
      else if (mode === 'unlock') await client.call('vault.unlock', { passphrase: first });
      else {
        await client.call('vault.changePassphrase', { current, next: first });
        void toast.success(t('vault.change.done'));
      }
      onDone();
    } catch (e) {
      setError(e instanceof ApiError ? pick(e.localized) : String(e));
    } finally {
      setBusy(false);
    }
  };

  const title = mode === 'setup' ? 'vault.setup.title' : mode === 'unlock' ? 'vault.unlock.title' : 'vault.change.title';
  const body =
    mode === 'setup'
      ? keyring
        ? 'vault.setup.keyring'
        : 'vault.setup.body'
      : mode === 'unlock'
        ? 'vault.unlock.body'
        : 'vault.change.body';
  const okText = mode === 'setup' ? t('vault.setup.confirm') : mode === 'unlock' ? t('vault.unlock.confirm') : t('common.ok');
  const changeOnKeyring = mode === 'change' && keyring;

  return (
    <Modal
      open
      title={t(title)}
      okText={okText}
      cancelText={t('common.cancel')}
      onOk={() => void submit()}
      onCancel={onCancel}
      okButtonProps={{ disabled: !canSubmit || changeOnKeyring, loading: busy, 'data-testid': 'vault-submit' }}
      destroyOnHidden
      mask={{ closable: false }}
    >
      {holder}
      <div ref={scrubbed} data-testid="vault-dialog" data-mode={mode}>
        <Typography.Paragraph>{t(changeOnKeyring ? 'vault.change.keyring' : body)}</Typography.Paragraph>
        {status?.problem && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={pick(status.problem.message)} />}
        {!changeOnKeyring && (
          <Form layout="vertical" onFinish={() => canSubmit && void submit()}>
            {mode === 'change' && (
              <Form.Item label={t('vault.passphrase.current')}>
                <Input.Password
                  autoComplete="current-password"
                  value={current}
                  onChange={(e) => setCurrent(e.target.value)}
                  data-testid="vault-current"
                />
              </Form.Item>
            )}
            {!(mode === 'setup' && keyring) && (
              <Form.Item
                label={t(mode === 'change' ? 'vault.passphrase.next' : 'vault.passphrase')}
                validateStatus={needsNew && first && tooShort ? 'error' : undefined}
                help={needsNew && first && tooShort ? t('vault.passphrase.short') : undefined}
              >
                <Input.Password
                  autoFocus
                  autoComplete={mode === 'unlock' ? 'current-password' : 'new-password'}
                  value={first}
                  onChange={(e) => setFirst(e.target.value)}
                  onPressEnter={() => canSubmit && void submit()}
                  data-testid="vault-passphrase"
                />
              </Form.Item>
            )}
            {needsNew && (
              <Form.Item
                label={t('vault.passphrase.repeat')}
                validateStatus={second && mismatch ? 'error' : undefined}
                help={second && mismatch ? t('vault.passphrase.mismatch') : undefined}
              >
                <Input.Password
                  autoComplete="new-password"
                  value={second}
                  onChange={(e) => setSecond(e.target.value)}
                  onPressEnter={() => canSubmit && void submit()}
                  data-testid="vault-passphrase-repeat"
                />
              </Form.Item>
            )}
          </Form>
        )}
        {error && <Alert type="error" showIcon title={error} data-testid="vault-error" />}
      </div>
    </Modal>
  );
}
