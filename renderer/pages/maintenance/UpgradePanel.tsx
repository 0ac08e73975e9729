/**
 * Upgrade: the version to go to and its installer, then a backup first (into the backup folder, with a passphrase
 * typed twice: the rollback restores it) or its skip with a reason in words. The core checks the hop and saves the new
 * version into the profile before the run; this panel only asks. A 1.5 cluster is told its route instead.
 */
import { Alert, Button, Card, Form, Input, Radio, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { ApiError } from '../../../shared/errors';
import { useApi } from '../../api/context';
import { useScrubbedMarkup } from '../../components/scrub-markup';
import { useI18n } from '../../i18n';
import { NewPassphrase } from './NewPassphrase';

const VERSION = /^\d+\.\d+\.\d+$/;

export function UpgradePanel({
  profileId,
  folder,
  keep,
  busy,
  onStarted,
}: {
  profileId: string;
  /** The backup folder and retention of the Back up panel. */
  folder: string;
  keep: number;
  busy: boolean;
  onStarted: (runId: string) => void;
}) {
  const api = useApi();
  const { t, pick } = useI18n();
  const scrubbed = useScrubbedMarkup();
  const [current, setCurrent] = useState<{ version: string; generation: 'v1' | 'v2' } | null>(null);
  const [version, setVersion] = useState('');
  const [installer, setInstaller] = useState('');
  const [mode, setMode] = useState<'backup' | 'skip'>('backup');
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<{ text: string; field?: string } | null>(null);

  useEffect(() => {
    api.call('profiles.get', { id: profileId }).then(
      (v) => setCurrent({ version: v.profile.harbor.version, generation: v.profile.harbor.generation }),
      () => setCurrent(null),
    );
  }, [api, profileId]);

  const problems = {
    version: VERSION.test(version.trim()) ? null : t('maint.upgrade.versionFormat'),
    installer: installer.trim() ? null : t('maint.upgrade.installerMissing'),
    folder: mode === 'backup' && !folder ? t('maint.backup.folderMissing') : null,
    passphrase: mode === 'backup' && passphrase.length < 8 ? t('maint.backup.short') : null,
    repeat: mode === 'backup' && repeat !== passphrase ? t('maint.backup.mismatch') : null,
    reason: mode === 'skip' && reason.trim().length < 10 ? t('maint.upgrade.reasonShort') : null,
  };
  const shows = (field: keyof typeof problems) => (tried ? problems[field] : null) ?? (error?.field === field ? error.text : null);

  const start = async () => {
    setTried(true);
    if (Object.values(problems).some(Boolean)) return;
    setSending(true);
    setError(null);
    try {
      const { runId } = await api.call('maintenance.upgrade', {
        profileId,
        version: version.trim(),
        installer: installer.trim(),
        backup: mode === 'backup' ? { folder, keep, passphrase } : { skip: reason.trim() },
      });
      setPassphrase('');
      setRepeat('');
      setTried(false);
      onStarted(runId);
    } catch (e) {
      if (e instanceof ApiError) {
        const field = e.field ?? e.issues?.[0]?.path;
        setError({ text: pick(e.localized), ...(field ? { field } : {}) });
      } else setError({ text: String(e) });
    } finally {
      setSending(false);
    }
  };

  if (current?.generation === 'v1')
    return (
      <Card title={t('maint.upgrade.title')} size="small" data-testid="maint-upgrade">
        <Typography.Paragraph data-testid="maint-upgrade-v1">{t('maint.upgrade.v1')}</Typography.Paragraph>
      </Card>
    );

  return (
    <Card title={t('maint.upgrade.title')} size="small" data-testid="maint-upgrade" ref={scrubbed}>
      <Typography.Paragraph type="secondary">{t('maint.upgrade.what', { version: current?.version ?? '…' })}</Typography.Paragraph>
      <Form layout="vertical" onFinish={() => void start()}>
        <Form.Item
          label={t('maint.upgrade.version')}
          htmlFor="maint-upgrade-version"
          help={shows('version')}
          validateStatus={shows('version') ? 'error' : ''}
        >
          <Input
            id="maint-upgrade-version"
            data-testid="maint-upgrade-version"
            placeholder="2.15.2"
            value={version}
            onChange={(e) => setVersion(e.target.value)}
          />
        </Form.Item>
        <Form.Item
          label={t('maint.upgrade.installer')}
          htmlFor="maint-upgrade-installer"
          help={shows('installer') ?? t('maint.upgrade.installer.help')}
          validateStatus={shows('installer') ? 'error' : ''}
        >
          <Input
            id="maint-upgrade-installer"
            data-testid="maint-upgrade-installer"
            spellCheck={false}
            value={installer}
            onChange={(e) => setInstaller(e.target.value)}
          />
        </Form.Item>
        <Form.Item>
          <Radio.Group value={mode} onChange={(e) => setMode(e.target.value as 'backup' | 'skip')} data-testid="maint-upgrade-mode">
            <Radio value="backup">{t('maint.upgrade.backupFirst', { folder: folder || '…' })}</Radio>
            <Radio value="skip">{t('maint.upgrade.skip')}</Radio>
          </Radio.Group>
        </Form.Item>
        {mode === 'backup' ? (
          <>
            {shows('folder') && <Alert type="error" showIcon message={shows('folder')} style={{ marginBottom: 12 }} />}
            <NewPassphrase
              idPrefix="maint-upgrade"
              passphrase={passphrase}
              repeat={repeat}
              onPassphrase={setPassphrase}
              onRepeat={setRepeat}
              problem={shows}
            />
          </>
        ) : (
          <Form.Item
            label={t('maint.upgrade.reason')}
            htmlFor="maint-upgrade-reason"
            help={shows('reason') ?? t('maint.upgrade.reason.help')}
            validateStatus={shows('reason') ? 'error' : ''}
          >
            <Input
              id="maint-upgrade-reason"
              data-testid="maint-upgrade-reason"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
          </Form.Item>
        )}
        {error && !Object.keys(problems).includes(error.field ?? '') && (
          <Alert type="error" showIcon message={error.text} data-testid="maint-upgrade-error" style={{ marginBottom: 12 }} />
        )}
        <Button type="primary" danger htmlType="submit" loading={sending} disabled={busy} data-testid="maint-upgrade-start">
          {t('maint.upgrade.start')}
        </Button>
      </Form>
    </Card>
  );
}
