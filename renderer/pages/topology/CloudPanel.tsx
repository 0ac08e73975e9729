/**
 * The cluster's Aliyun resources as Aliyun holds them (cloud.status): the CLB's listeners and backends beside the
 * nodes, each RDS/Redis whitelist with every node let in or refused, "Allow the nodes" with consent
 * (cloud.allowNodes), and the RAM policy to grant. Reads when opened; nothing changes without the dialog's OK.
 */
import { Alert, Button, Card, Drawer, message, Modal, Space, Spin, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { CloudLoadBalancer, CloudStatus, RamPolicyText, WhitelistView } from '../../../shared/api/contracts/cloud';
import { ApiError } from '../../../shared/errors';
import { useApi } from '../../api/context';
import { useI18n } from '../../i18n';

const SERVICE_NAME = { database: 'RDS', redis: 'Redis' } as const;

const healthColor = (status: string) => (status === 'normal' ? 'success' : status === 'abnormal' ? 'error' : 'default');

function LoadBalancerCard({ lb, nodeName }: { lb: CloudLoadBalancer; nodeName: (id?: string) => string }) {
  const { t } = useI18n();
  return (
    <Card size="small" title={t('cloud.lb', { id: lb.instanceId })} data-testid="cloud-lb">
      <Typography.Text strong>{t('cloud.listeners')}</Typography.Text>
      <div style={{ margin: '4px 0 12px' }}>
        {lb.listeners.map((l) => (
          <Tag key={l.port} data-testid="cloud-listener">
            {`${l.protocol.toUpperCase()} ${l.port} · ${t('cloud.listener.check', { check: l.healthCheckUri ?? l.healthCheck })}`}
            {l.stickySession ? ` · ${t('cloud.listener.sticky')}` : ''}
          </Tag>
        ))}
      </div>
      <Table
        size="small"
        pagination={false}
        rowKey="serverId"
        dataSource={[...lb.backends]}
        onRow={(b) => ({ 'data-testid': 'cloud-backend', 'data-node': b.nodeId ?? '' }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('cloud.col.node'), render: (_, b) => nodeName(b.nodeId) },
          { title: t('cloud.col.instance'), dataIndex: 'serverId' },
          { title: t('cloud.col.address'), dataIndex: 'address' },
          { title: t('cloud.col.weight'), dataIndex: 'weight' },
          {
            title: t('cloud.col.health'),
            render: (_, b) => b.health.map((h) => <Tag key={h.port} color={healthColor(h.status)}>{`${h.port}: ${h.status}`}</Tag>),
          },
        ]}
      />
      {lb.notAttached.length > 0 && (
        <Alert
          style={{ marginTop: 8 }}
          type="warning"
          showIcon
          title={t('cloud.notAttached', { nodes: lb.notAttached.map((n) => nodeName(n)).join(', ') })}
        />
      )}
      {lb.noInstance.length > 0 && (
        <Alert
          style={{ marginTop: 8 }}
          type="warning"
          showIcon
          title={t('cloud.noInstance', { nodes: lb.noInstance.map((n) => nodeName(n)).join(', ') })}
        />
      )}
    </Card>
  );
}

function WhitelistCard({
  view,
  nodeName,
  onAllow,
}: {
  view: WhitelistView;
  nodeName: (id?: string) => string;
  onAllow: (v: WhitelistView) => void;
}) {
  const { t } = useI18n();
  const refused = view.nodes.filter((n) => n.address && n.by.length === 0);
  return (
    <Card
      size="small"
      title={t('cloud.whitelist', { service: SERVICE_NAME[view.service], id: view.instanceId })}
      data-testid="cloud-whitelist"
      data-service={view.service}
      extra={
        refused.length > 0 && (
          <Button type="primary" size="small" onClick={() => onAllow(view)} data-testid="cloud-allow">
            {t('cloud.allow')}
          </Button>
        )
      }
    >
      <Table
        size="small"
        pagination={false}
        rowKey="nodeId"
        dataSource={[...view.nodes]}
        onRow={(n) =>
          ({
            'data-testid': 'cloud-whitelist-node',
            'data-node': n.nodeId,
            'data-admitted': String(n.by.length > 0),
          }) as React.HTMLAttributes<HTMLElement>
        }
        columns={[
          { title: t('cloud.col.node'), render: (_, n) => nodeName(n.nodeId) },
          {
            title: t('cloud.col.address'),
            render: (_, n) => n.address ?? <Typography.Text type="warning">{t('cloud.noAddress')}</Typography.Text>,
          },
          {
            title: t('cloud.col.admitted'),
            render: (_, n) =>
              n.by.length ? n.by.map((e) => <Tag key={e}>{e}</Tag>) : n.address ? <Tag color="error">{t('cloud.refused')}</Tag> : null,
          },
        ]}
      />
    </Card>
  );
}

export function CloudPanel({
  open,
  profileId,
  profileName,
  nodeNames,
  onClose,
}: {
  open: boolean;
  profileId: string;
  profileName: string;
  nodeNames: ReadonlyMap<string, string>;
  onClose: () => void;
}) {
  const api = useApi();
  const { t, pick } = useI18n();
  const [modal, modalHolder] = Modal.useModal();
  const [notice, noticeHolder] = message.useMessage();
  const [status, setStatus] = useState<CloudStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [policy, setPolicy] = useState<RamPolicyText | null>(null);
  const nodeName = (id?: string) => (id ? (nodeNames.get(id) ?? id) : '—');

  const read = useCallback(() => {
    setLoading(true);
    setError(null);
    api.call('cloud.status', { profileId }).then(
      (s) => {
        setStatus(s);
        setLoading(false);
      },
      (e: unknown) => {
        setError(e instanceof ApiError ? pick(e.localized) : String(e));
        setLoading(false);
      },
    );
  }, [api, pick, profileId]);

  useEffect(() => {
    if (open) read();
  }, [open, read]);

  const allow = (view: WhitelistView) => {
    const refused = view.nodes.filter((n) => n.address && n.by.length === 0);
    const service = SERVICE_NAME[view.service];
    modal.confirm({
      title: t('cloud.allow.title', { service }),
      content: (
        <span data-testid="cloud-allow-body">
          {t('cloud.allow.body', { addresses: refused.map((n) => n.address).join(', '), id: view.instanceId })}
        </span>
      ),
      okText: t('cloud.allow.ok'),
      okButtonProps: { 'data-testid': 'cloud-allow-ok' },
      onOk: () =>
        api.call('cloud.allowNodes', { profileId, service: view.service, nodeIds: refused.map((n) => n.nodeId), confirm: true }).then(
          (after) => {
            setStatus((s) => (s ? { ...s, whitelists: s.whitelists.map((w) => (w.service === after.service ? after : w)) } : s));
            void notice.success(t('cloud.allowed'));
          },
          (e: unknown) => setError(e instanceof ApiError ? pick(e.localized) : String(e)),
        ),
    });
  };

  const showPolicy = () => {
    api
      .call('cloud.policy', { profileId })
      .then(setPolicy, (e: unknown) => setError(e instanceof ApiError ? pick(e.localized) : String(e)));
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size="large"
      title={t('cloud.title', { name: profileName })}
      extra={
        <Space>
          <Button onClick={showPolicy} data-testid="cloud-policy">
            {t('cloud.policy')}
          </Button>
          <Button onClick={read} loading={loading} data-testid="cloud-reload">
            {t('cloud.reload')}
          </Button>
        </Space>
      }
      data-testid="cloud-panel"
    >
      {modalHolder}
      {noticeHolder}
      {error && <Alert type="error" showIcon title={error} data-testid="cloud-error" style={{ marginBottom: 12 }} />}
      {!status && loading && <Spin tip={t('cloud.loading')} />}
      {status && (
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <Typography.Text type="secondary">{t('cloud.region', { region: status.region })}</Typography.Text>
          {status.errors.map((e) => (
            <Alert
              key={e.what}
              type="warning"
              showIcon
              title={t('cloud.unread', { what: e.what })}
              description={pick(e.error.message)}
              data-testid="cloud-unread"
            />
          ))}
          {status.loadBalancer ? (
            <LoadBalancerCard lb={status.loadBalancer} nodeName={nodeName} />
          ) : (
            <Typography.Text type="secondary">{t('cloud.lb.none')}</Typography.Text>
          )}
          {status.whitelists.map((w) => (
            <WhitelistCard key={w.instanceId} view={w} nodeName={nodeName} onAllow={allow} />
          ))}
        </Space>
      )}
      <Modal open={policy !== null} onCancel={() => setPolicy(null)} footer={null} title={t('cloud.policy')} width={640}>
        {policy && (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Typography.Text>{t(policy.role ? 'cloud.policy.role' : 'cloud.policy.key')}</Typography.Text>
            {[policy.key, ...(policy.role ? [policy.role] : [])].map((text) => (
              <Typography.Paragraph key={text} copyable={{ text }} style={{ margin: 0 }}>
                <pre data-testid="cloud-policy-text" style={{ maxHeight: 300, overflow: 'auto', margin: 0 }}>
                  {text}
                </pre>
              </Typography.Paragraph>
            ))}
          </Space>
        )}
      </Modal>
    </Drawer>
  );
}
