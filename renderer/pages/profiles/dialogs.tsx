/** The small dialogs of the profile list: a name, an export, a delete, a new cluster. */
import { Alert, Form, Input, Modal, Radio, Space, Typography } from 'antd';
import { useState } from 'react';
import type { ProfileSummary } from '../../../shared/api/types';
import { ApiError } from '../../../shared/errors';
import { useApi } from '../../api/context';
import { useScrubbedMarkup } from '../../components/scrub-markup';
import { useI18n } from '../../i18n';
import { downloadText } from './download';

/** Runs an action, showing the core's message on failure; closes on success. */
function useAction() {
  const { pick } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(e instanceof ApiError ? pick(e.localized) : String(e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

function ErrorLine({ error }: { error: string | null }) {
  return error ? <Alert type="error" showIcon title={error} data-testid="dialog-error" style={{ marginTop: 12 }} /> : null;
}

export function NameDialog({
  title,
  body,
  initial,
  onSubmit,
  onClose,
}: {
  title: string;
  body?: string;
  initial: string;
  onSubmit: (name: string) => Promise<void>;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const [name, setName] = useState(initial);
  const { busy, error, run } = useAction();
  const ok = name.trim().length > 0 && name.trim().length <= 64 && !busy;
  const submit = () => ok && void run(() => onSubmit(name.trim()));
  return (
    <Modal
      open
      title={title}
      onOk={submit}
      onCancel={onClose}
      okText={t('common.ok')}
      cancelText={t('common.cancel')}
      okButtonProps={{ disabled: !ok, loading: busy, 'data-testid': 'name-submit' }}
    >
      <div data-testid="name-dialog">
        {body && <Typography.Paragraph>{body}</Typography.Paragraph>}
        <Form layout="vertical">
          <Form.Item label={t('profiles.newName')}>
            <Input
              autoFocus
              value={name}
              maxLength={64}
              onChange={(e) => setName(e.target.value)}
              onPressEnter={submit}
              data-testid="name-input"
            />
          </Form.Item>
        </Form>
        <ErrorLine error={error} />
      </div>
    </Modal>
  );
}

export function DeleteDialog({ profile, onDeleted, onClose }: { profile: ProfileSummary; onDeleted: () => void; onClose: () => void }) {
  const { t } = useI18n();
  const api = useApi();
  const [typed, setTyped] = useState('');
  const { busy, error, run } = useAction();
  const ok = typed === profile.name && !busy;
  const submit = () =>
    ok &&
    void run(async () => {
      await api.call('profiles.delete', { id: profile.id, confirm: true });
      onDeleted();
    });
  return (
    <Modal
      open
      title={t('profiles.delete.title', { name: profile.name })}
      onOk={submit}
      onCancel={onClose}
      okText={t('profiles.action.delete')}
      cancelText={t('common.cancel')}
      okButtonProps={{ danger: true, disabled: !ok, loading: busy, 'data-testid': 'delete-submit' }}
    >
      <div data-testid="delete-dialog">
        <Alert type="warning" showIcon title={t('profiles.delete.body')} style={{ marginBottom: 16 }} />
        <Form layout="vertical">
          <Form.Item label={t('profiles.delete.type', { name: profile.name })}>
            <Input
              autoFocus
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              onPressEnter={submit}
              data-testid="delete-confirm-input"
            />
          </Form.Item>
        </Form>
        <ErrorLine error={error} />
      </div>
    </Modal>
  );
}

export function ExportDialog({ profile, onClose }: { profile: ProfileSummary; onClose: () => void }) {
  const { t } = useI18n();
  const scrubbed = useScrubbedMarkup();
  const api = useApi();
  const [mode, setMode] = useState<'none' | 'sealed'>('none');
  const [first, setFirst] = useState('');
  const [second, setSecond] = useState('');
  const { busy, error, run } = useAction();
  const short = mode === 'sealed' && first.length < 8;
  const mismatch = mode === 'sealed' && first !== second;
  const ok = !busy && !short && !mismatch;
  const submit = () =>
    ok &&
    void run(async () => {
      const file = await api.call('profiles.export', { id: profile.id, secrets: mode === 'none' ? { mode } : { mode, passphrase: first } });
      downloadText(file.fileName, file.content);
      onClose();
    });
  return (
    <Modal
      open
      title={t('profiles.export.title', { name: profile.name })}
      onOk={submit}
      onCancel={onClose}
      okText={t('profiles.export.confirm')}
      cancelText={t('common.cancel')}
      okButtonProps={{ disabled: !ok, loading: busy, 'data-testid': 'export-submit' }}
    >
      <div data-testid="export-dialog">
        <Radio.Group value={mode} onChange={(e) => setMode(e.target.value as 'none' | 'sealed')}>
          <Space orientation="vertical">
            <Radio value="none" data-testid="export-none">
              {t('profiles.export.none')}
            </Radio>
            <Radio value="sealed" data-testid="export-sealed">
              {t('profiles.export.sealed')}
            </Radio>
          </Space>
        </Radio.Group>
        {mode === 'sealed' && (
          <div ref={scrubbed}>
            <Form layout="vertical" style={{ marginTop: 16 }}>
              <Form.Item
                label={t('profiles.export.passphrase')}
                validateStatus={first && short ? 'error' : undefined}
                help={first && short ? t('vault.passphrase.short') : undefined}
              >
                <Input.Password
                  autoComplete="new-password"
                  value={first}
                  onChange={(e) => setFirst(e.target.value)}
                  data-testid="export-passphrase"
                />
              </Form.Item>
              <Form.Item
                label={t('vault.passphrase.repeat')}
                validateStatus={second && mismatch ? 'error' : undefined}
                help={second && mismatch ? t('vault.passphrase.mismatch') : undefined}
              >
                <Input.Password
                  autoComplete="new-password"
                  value={second}
                  onChange={(e) => setSecond(e.target.value)}
                  data-testid="export-passphrase-repeat"
                />
              </Form.Item>
            </Form>
          </div>
        )}
        <ErrorLine error={error} />
      </div>
    </Modal>
  );
}

export function NewClusterDialog({ onCreate, onClose }: { onCreate: (generation: 'v1' | 'v2') => Promise<void>; onClose: () => void }) {
  const { t } = useI18n();
  const [generation, setGeneration] = useState<'v1' | 'v2'>('v2');
  const { busy, error, run } = useAction();
  return (
    <Modal
      open
      title={t('profiles.newCluster.title')}
      onOk={() => void run(() => onCreate(generation))}
      onCancel={onClose}
      okText={t('profiles.newCluster.confirm')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: busy, 'data-testid': 'new-submit' }}
    >
      <div data-testid="new-dialog">
        <Radio.Group value={generation} onChange={(e) => setGeneration(e.target.value as 'v1' | 'v2')}>
          <Space orientation="vertical" size="middle">
            {(['v2', 'v1'] as const).map((g) => (
              <Radio key={g} value={g} data-testid={`new-${g}`}>
                <Typography.Text strong>{t(`profiles.gen.${g}`)}</Typography.Text>
                <br />
                <Typography.Text type="secondary">{t(`profiles.gen.${g}.help`)}</Typography.Text>
              </Radio>
            ))}
          </Space>
        </Radio.Group>
        <ErrorLine error={error} />
      </div>
    </Modal>
  );
}
