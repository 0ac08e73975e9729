/**
 * Import from an exported profile (asking its passphrase when it carries secrets), harbor.cfg / harbor.yml, or the
 * hosts of an OpenSSH client config (chosen in a second view, SshHostPicker).
 */
import { FolderOpenOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Modal, Space, Typography } from 'antd';
import { useRef, useState } from 'react';
import { MAX_FILE_BYTES, sizeOverLimit } from '../../../shared/api/limits';
import type { ProfileDraft, SshConfigImport } from '../../../shared/api/types';
import { ApiError } from '../../../shared/errors';
import { useApi } from '../../api/context';
import { useScrubbedMarkup } from '../../components/scrub-markup';
import { useI18n } from '../../i18n';
import { SshHostPicker } from './SshHostPicker';

type Kind = 'profile' | 'harbor' | 'ssh';
const ACCEPT: Record<Kind, string> = { profile: '.json,application/json', harbor: '.cfg,.yml,.yaml', ssh: '' };
const LABEL = { profile: 'profiles.import.profile', harbor: 'profiles.import.harbor', ssh: 'profiles.import.ssh' } as const;

export function ImportDialog({ onImported, onClose }: { onImported: (result: ProfileDraft) => Promise<void>; onClose: () => void }) {
  const scrubbed = useScrubbedMarkup();
  const { t, pick } = useI18n();
  const api = useApi();
  const inputs = { profile: useRef<HTMLInputElement>(null), harbor: useRef<HTMLInputElement>(null), ssh: useRef<HTMLInputElement>(null) };
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // An exported file that needs its passphrase.
  const [sealed, setSealed] = useState<string | null>(null);
  const [passphrase, setPassphrase] = useState('');
  // An OpenSSH config read by the core, whose hosts the operator picks; and the text pasted for it.
  const [ssh, setSsh] = useState<{ source: string; result: SshConfigImport } | null>(null);
  const [pasting, setPasting] = useState(false);
  const [pasted, setPasted] = useState('');

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
    if (kind === 'ssh') return readSsh(file.name, content);
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

  /** Hosts of a config: the given text, or (no content) ~/.ssh/config of the machine running the core. */
  const readSsh = async (source: string, content?: string) => {
    setBusy(true);
    setError(null);
    try {
      const result = await api.call('profiles.importSshConfig', content === undefined ? {} : { content });
      setSsh({ source, result });
    } catch (e) {
      setError(e instanceof ApiError ? pick(e.localized) : String(e));
    } finally {
      setBusy(false);
    }
  };

  if (ssh) {
    return (
      <SshHostPicker
        source={ssh.source}
        result={ssh.result}
        onBack={() => {
          setSsh(null);
          setError(null);
        }}
        onClose={onClose}
        busy={busy}
        error={error}
        onCreate={(draft) => void attempt(() => Promise.resolve(draft))}
      />
    );
  }

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
      <div ref={scrubbed} data-testid="import-dialog">
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
            {(['profile', 'harbor', 'ssh'] as const).map((kind) => (
              <div key={kind}>
                <Typography.Paragraph style={{ marginBottom: 8 }}>{t(LABEL[kind])}</Typography.Paragraph>
                <Space wrap>
                  <Button
                    icon={<UploadOutlined />}
                    loading={busy}
                    onClick={() => inputs[kind].current?.click()}
                    data-testid={`import-${kind}`}
                  >
                    {t('profiles.import.choose')}
                  </Button>
                  {kind === 'ssh' && (
                    <>
                      <Button
                        icon={<FolderOpenOutlined />}
                        loading={busy}
                        onClick={() => void readSsh('~/.ssh/config')}
                        data-testid="import-ssh-home"
                      >
                        {t('profiles.import.ssh.home')}
                      </Button>
                      <Button onClick={() => setPasting(!pasting)} aria-expanded={pasting} data-testid="import-ssh-paste">
                        {t('profiles.import.ssh.paste')}
                      </Button>
                    </>
                  )}
                </Space>
                {kind === 'ssh' && (
                  <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
                    {t('profiles.import.ssh.home.help')}
                  </Typography.Paragraph>
                )}
                {kind === 'ssh' && pasting && (
                  <Form layout="vertical" style={{ marginTop: 8 }}>
                    <Form.Item label={t('profiles.import.ssh.pasteLabel')} htmlFor="import-ssh-text" style={{ marginBottom: 8 }}>
                      <Input.TextArea
                        id="import-ssh-text"
                        autoFocus
                        value={pasted}
                        onChange={(e) => setPasted(e.target.value)}
                        autoSize={{ minRows: 4, maxRows: 12 }}
                        spellCheck={false}
                        style={{ fontFamily: 'monospace' }}
                        data-testid="import-ssh-text"
                      />
                    </Form.Item>
                    <Button
                      type="primary"
                      loading={busy}
                      disabled={!pasted.trim()}
                      onClick={() => void readSsh(t('profiles.import.ssh.pasted'), pasted)}
                      data-testid="import-ssh-read"
                    >
                      {t('profiles.import.ssh.read')}
                    </Button>
                  </Form>
                )}
                <input
                  ref={inputs[kind]}
                  type="file"
                  hidden
                  accept={ACCEPT[kind]}
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
