import { Alert, Descriptions, Modal, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { AppInfo } from '../../shared/api';
import { ApiError } from '../../shared/errors';
import { useApi } from '../api/context';
import { useI18n } from '../i18n';

export function AboutDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const api = useApi();
  const { t, pick } = useI18n();
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    if (!open) return;
    let live = true;
    setError(null);
    api.call('app.info', {}).then(
      (value) => live && setInfo(value),
      (e: unknown) => live && setError(e instanceof ApiError ? e : null),
    );
    return () => {
      live = false;
    };
  }, [api, open]);

  return (
    <Modal
      open={open}
      title={t('about.title')}
      onCancel={onClose}
      onOk={onClose}
      okText={t('about.close')}
      cancelButtonProps={{ style: { display: 'none' } }}
      data-testid="about-dialog"
    >
      <Typography.Paragraph type="secondary">{t('about.tagline')}</Typography.Paragraph>
      {error && <Alert type="error" title={pick(error.localized)} />}
      {!info && !error && <Spin description={t('about.loading')} />}
      {info && (
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
            <Typography.Text code data-testid="about-datadir">
              {info.dataDir}
            </Typography.Text>
          </Descriptions.Item>
        </Descriptions>
      )}
    </Modal>
  );
}
