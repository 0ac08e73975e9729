import { CopyOutlined, FolderOpenOutlined } from '@ant-design/icons';
import { Alert, Button, Descriptions, Input, Modal, Space, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { AppInfo } from '../../shared/api';
import { ApiError } from '../../shared/errors';
import { useApi } from '../api/context';
import { useI18n } from '../i18n';

/** Copies text; false where the page may not use the clipboard (a browser over plain http, a denied permission). */
async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

export function AboutDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const api = useApi();
  const { t, pick, locale } = useI18n();
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  // The diagnostics as last copied: shown, so the operator sees what goes into the report (and can copy by hand).
  const [diagnostics, setDiagnostics] = useState<{ text: string; copied: boolean } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!open) return;
    let live = true;
    setError(null);
    setDiagnostics(null);
    api.call('app.info', {}).then(
      (value) => live && setInfo(value),
      (e: unknown) => live && setError(e instanceof ApiError ? e : null),
    );
    return () => {
      live = false;
    };
  }, [api, open]);

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(e instanceof ApiError ? e : null);
    } finally {
      setBusy(false);
    }
  };
  const copyDiagnostics = () =>
    run(async () => {
      const { text } = await api.call('app.diagnostics', { locale, userAgent: navigator.userAgent.slice(0, 512) });
      setDiagnostics({ text, copied: await copyText(text) });
    });
  const openLogs = () => run(() => api.call('app.openLogsFolder', {}).then(() => undefined));

  return (
    <Modal
      open={open}
      title={t('about.title')}
      onCancel={onClose}
      onOk={onClose}
      okText={t('about.close')}
      cancelButtonProps={{ style: { display: 'none' } }}
      width={640}
      data-testid="about-dialog"
    >
      <Typography.Paragraph type="secondary">{t('about.tagline')}</Typography.Paragraph>
      {error && <Alert type="error" title={pick(error.localized)} data-testid="about-error" style={{ marginBottom: 12 }} />}
      {!info && !error && <Spin description={t('about.loading')} />}
      {info && (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('about.version')}>
              <span data-testid="about-version">{info.version}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('about.platform')}>
              <span data-testid="about-platform">{`${info.platform} ${info.arch}`}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('about.node')}>
              <span data-testid="about-node">{info.versions.node}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('about.electron')}>{info.versions.electron ?? t('about.notElectron')}</Descriptions.Item>
            {info.versions.chrome && <Descriptions.Item label={t('about.chrome')}>{info.versions.chrome}</Descriptions.Item>}
            <Descriptions.Item label={t('about.transport')}>
              <span data-testid="about-transport" data-value={info.transport}>
                {t(info.transport === 'ipc' ? 'about.transport.ipc' : 'about.transport.websocket')}
              </span>
            </Descriptions.Item>
            <Descriptions.Item label={t('about.locale')}>
              <span data-testid="about-locale">{info.locale}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('about.dataDir')}>
              <Typography.Text code copyable data-testid="about-datadir">
                {info.dataDir}
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('about.logsDir')}>
              <Typography.Text code copyable data-testid="about-logsdir">
                {info.logsDir}
              </Typography.Text>
            </Descriptions.Item>
          </Descriptions>
          {!info.canOpenFolders && (
            <Typography.Text type="secondary" data-testid="about-logs-browser">
              {t('about.logsInBrowser')}
            </Typography.Text>
          )}
          <Space wrap>
            <Button icon={<CopyOutlined />} loading={busy} onClick={() => void copyDiagnostics()} data-testid="about-diagnostics">
              {t('about.diagnostics')}
            </Button>
            {info.canOpenFolders && (
              <Button icon={<FolderOpenOutlined />} loading={busy} onClick={() => void openLogs()} data-testid="about-open-logs">
                {t('about.openLogs')}
              </Button>
            )}
          </Space>
          {diagnostics && (
            <div>
              <Typography.Paragraph type={diagnostics.copied ? 'success' : 'warning'} data-testid="about-diagnostics-state">
                {t(diagnostics.copied ? 'about.diagnostics.copied' : 'about.diagnostics.selectToCopy')}
              </Typography.Paragraph>
              <Typography.Paragraph type="secondary">{t('about.diagnostics.help')}</Typography.Paragraph>
              <Input.TextArea
                readOnly
                value={diagnostics.text}
                autoSize={{ minRows: 4, maxRows: 12 }}
                aria-label={t('about.diagnostics')}
                style={{ fontFamily: 'monospace' }}
                data-testid="about-diagnostics-text"
              />
            </div>
          )}
        </Space>
      )}
    </Modal>
  );
}
