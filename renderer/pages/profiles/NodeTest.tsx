import { ApiOutlined } from '@ant-design/icons';
import { Alert, Button, Modal, Space, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import type { SshTestResult } from '../../../shared/api/contracts/ssh';
import { ApiError } from '../../../shared/errors';
import type { Localized } from '../../../shared/i18n/localized';
import { useApi } from '../../api/context';
import { useI18n } from '../../i18n';
import { useEditor } from './EditorContext';

type Outcome = { kind: 'ok'; result: Extract<SshTestResult, { status: 'ok' }> } | { kind: 'error'; message: Localized };

/**
 * "Test connection" for one node of a saved profile: connects from the core (through the node's jump
 * hosts), shows the host key fingerprint for the operator to compare on first contact, and reports
 * the node's host name and OS.
 */
export function NodeTest({ nodeId, index }: { nodeId: string; index: number }) {
  const api = useApi();
  const { t, pick } = useI18n();
  const { profileId, status } = useEditor();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [unknown, setUnknown] = useState<Extract<SshTestResult, { status: 'host_key_unknown' }> | null>(null);

  const run = async () => {
    setBusy(true);
    setOutcome(null);
    try {
      const result = await api.call('ssh.test', { profileId, nodeId });
      if (result.status === 'ok') setOutcome({ kind: 'ok', result });
      else setUnknown(result);
    } catch (e) {
      setOutcome({ kind: 'error', message: e instanceof ApiError ? e.localized : { en: String(e), 'zh-CN': String(e) } });
    } finally {
      setBusy(false);
    }
  };

  const trust = async () => {
    const fingerprint = unknown?.fingerprint;
    setUnknown(null);
    if (!fingerprint) return;
    try {
      await api.call('ssh.trustHostKey', { fingerprint });
      await run();
    } catch (e) {
      setOutcome({ kind: 'error', message: e instanceof ApiError ? e.localized : { en: String(e), 'zh-CN': String(e) } });
    }
  };

  const saved = status === 'saved';
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid={`node-${index}-test`}>
      <Tooltip title={saved ? undefined : t('nodeTest.saveFirst')}>
        <Button
          icon={<ApiOutlined />}
          loading={busy}
          disabled={!saved}
          onClick={() => void run()}
          data-testid={`node-${index}-test-button`}
        >
          {t('nodeTest.button')}
        </Button>
      </Tooltip>
      {outcome?.kind === 'ok' && (
        <Alert
          type="success"
          showIcon
          data-testid={`node-${index}-test-ok`}
          title={t('nodeTest.ok', { hostname: outcome.result.hostname, os: outcome.result.os, ms: outcome.result.latencyMs })}
          description={<Typography.Text code>{outcome.result.fingerprint}</Typography.Text>}
        />
      )}
      {outcome?.kind === 'error' && <Alert type="error" showIcon data-testid={`node-${index}-test-error`} title={pick(outcome.message)} />}
      <Modal
        open={unknown !== null}
        title={t('nodeTest.unknown.title', { node: unknown?.label ?? '' })}
        okText={t('nodeTest.unknown.trust')}
        cancelText={t('common.cancel')}
        onOk={() => void trust()}
        onCancel={() => setUnknown(null)}
        okButtonProps={{ 'data-testid': 'hostkey-trust' }}
      >
        <Typography.Paragraph>{t('nodeTest.unknown.body')}</Typography.Paragraph>
        <Typography.Paragraph>
          <Typography.Text code data-testid="hostkey-fingerprint">
            {unknown?.fingerprint}
          </Typography.Text>{' '}
          ({unknown?.keyType})
        </Typography.Paragraph>
        <Typography.Paragraph type="secondary">
          <Typography.Text code>
            ssh-keygen -lf /etc/ssh/ssh_host_{(unknown?.keyType ?? 'ssh-ed25519').replace(/^ssh-/, '')}_key.pub
          </Typography.Text>
        </Typography.Paragraph>
      </Modal>
    </Space>
  );
}
