/** What the topology knows about one box: every check with its time, the last error, the fix. */
import { CodeOutlined } from '@ant-design/icons';
import { Alert, Badge, Button, Descriptions, Drawer, Empty, List, Table, Tag, Typography } from 'antd';
import type { Check, Health, NodeHealth, TopologyGraph, TopologyProblem, TopologySnapshot } from '../../../shared/api/contracts/topology';
import { useI18n } from '../../i18n';
import { STATUS_TEXT, type Selection } from './TopologyCanvas';

const BADGE: Record<Health, 'success' | 'warning' | 'error' | 'default'> = {
  ok: 'success',
  warn: 'warning',
  fail: 'error',
  unknown: 'default',
};

export function StatusBadge({ status }: { status: Health }) {
  const { t } = useI18n();
  return <Badge status={BADGE[status]} text={<span data-status={status}>{t(STATUS_TEXT[status])}</span>} />;
}

function CheckView({ check, testId }: { check: Check | undefined; testId: string }) {
  const { t, pick, locale } = useI18n();
  const c = check ?? { status: 'unknown' as const };
  return (
    <div data-testid={testId} data-status={c.status}>
      <StatusBadge status={c.status} />
      {c.detail && <Typography.Text style={{ marginLeft: 8 }}>{c.detail}</Typography.Text>}
      {c.latencyMs !== undefined && <Typography.Text type="secondary"> · {c.latencyMs} ms</Typography.Text>}
      {c.checkedAt && (
        <Typography.Text type="secondary">
          {' '}
          · {t('topo.checkedAt', { time: new Date(c.checkedAt).toLocaleTimeString(locale) })}
        </Typography.Text>
      )}
      {c.error && <Alert type={c.status === 'warn' ? 'warning' : 'error'} showIcon title={pick(c.error)} style={{ marginTop: 6 }} />}
    </div>
  );
}

const checkItem = (label: string, check: Check | undefined, testId: string) => ({
  key: testId,
  label,
  children: <CheckView check={check} testId={testId} />,
});

function ProblemList({ problems }: { problems: readonly TopologyProblem[] }) {
  const { t, pick } = useI18n();
  if (!problems.length) return null;
  return (
    <List
      size="small"
      dataSource={[...problems]}
      renderItem={(p) => (
        <List.Item>
          <div>
            <Typography.Text strong>{pick(p.title)}</Typography.Text>
            <Typography.Paragraph style={{ margin: '4px 0 0' }}>
              <Typography.Text type="secondary">{t('topo.problem.fix')}: </Typography.Text>
              {pick(p.fix)}
            </Typography.Paragraph>
          </div>
        </List.Item>
      )}
    />
  );
}

export function Details({
  selection,
  graph,
  snapshot,
  onClose,
  onOpenTerminal,
}: {
  selection: Selection | null;
  graph: TopologyGraph;
  snapshot: TopologySnapshot | null;
  onClose: () => void;
  onOpenTerminal: (nodeId: string) => void;
}) {
  const { t, pick, locale } = useI18n();
  const time = (at: string) => new Date(at).toLocaleString(locale);
  const nodeName = (id: string | undefined) => graph.nodes.find((n) => n.id === id)?.name ?? id ?? '';
  let title = '';
  let body = null;
  const problems = snapshot?.problems ?? [];

  if (selection?.kind === 'service') {
    const s = graph.services.find((x) => x.id === selection.id);
    const h = snapshot?.services.find((x) => x.id === selection.id);
    if (s) {
      title = pick(s.title);
      const rows = graph.nodes.map((n) => ({ node: n, check: snapshot?.nodes.find((x) => x.nodeId === n.id)?.reach[s.id] }));
      body = (
        <div data-testid="topology-details" data-kind="service" data-id={s.id} data-status={h?.status ?? 'unknown'}>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('topo.details.status')}>
              <StatusBadge status={h?.status ?? 'unknown'} />
            </Descriptions.Item>
            <Descriptions.Item label={t('topo.details.endpoint')}>
              <Typography.Text code>{s.endpoint}</Typography.Text>
            </Descriptions.Item>
            {h?.summary && <Descriptions.Item label={t('topo.details.summary')}>{pick(h.summary)}</Descriptions.Item>}
            <Descriptions.Item label={t('topo.details.lastError')}>
              {h?.lastError ? (
                <div data-testid="topology-last-error">
                  <Typography.Text type="danger">{pick(h.lastError.message)}</Typography.Text>
                  <br />
                  <Typography.Text type="secondary">
                    {t('topo.details.lastError.at', { time: time(h.lastError.at), node: nodeName(h.lastError.nodeId) })}
                  </Typography.Text>
                </div>
              ) : (
                <Typography.Text type="secondary">{t('topo.details.lastError.none')}</Typography.Text>
              )}
            </Descriptions.Item>
          </Descriptions>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('topo.details.fromNodes')}
          </Typography.Title>
          <Table
            size="small"
            pagination={false}
            rowKey={(r) => r.node.id}
            dataSource={rows}
            columns={[
              { title: t('topo.col.node'), render: (_v, r) => r.node.name },
              {
                title: t('topo.col.status'),
                render: (_v, r) => (
                  <span data-testid="topology-reach" data-node={r.node.id} data-status={r.check?.status ?? 'unknown'}>
                    <StatusBadge status={r.check?.status ?? 'unknown'} />
                  </span>
                ),
              },
              { title: t('topo.col.detail'), render: (_v, r) => (r.check?.error ? pick(r.check.error) : (r.check?.detail ?? '')) },
              { title: t('topo.col.latency'), render: (_v, r) => (r.check?.latencyMs !== undefined ? `${r.check.latencyMs} ms` : '') },
              {
                title: t('topo.col.checked'),
                render: (_v, r) => (r.check?.checkedAt ? new Date(r.check.checkedAt).toLocaleTimeString(locale) : ''),
              },
            ]}
          />
          <ProblemList problems={problems.filter((p) => p.subject.kind === 'service' && p.subject.id === s.id)} />
        </div>
      );
    }
  } else if (selection?.kind === 'node') {
    const n = graph.nodes.find((x) => x.id === selection.id);
    const h: NodeHealth | undefined = snapshot?.nodes.find((x) => x.nodeId === selection.id);
    if (n) {
      title = n.label;
      body = (
        <div data-testid="topology-details" data-kind="node" data-id={n.id} data-status={h?.status ?? 'unknown'}>
          <Button
            type="primary"
            icon={<CodeOutlined />}
            onClick={() => onOpenTerminal(n.id)}
            style={{ marginBottom: 12 }}
            data-testid="topology-open-terminal"
          >
            {t('topo.details.openTerminal')}
          </Button>
          <Descriptions
            column={1}
            size="small"
            bordered
            items={[
              checkItem(t('topo.check.ssh'), h?.ssh, 'check-ssh'),
              checkItem(t('topo.check.harbor'), h?.harbor, 'check-harbor'),
              checkItem(t('topo.check.containers'), h?.containers, 'check-containers'),
              checkItem(t('topo.check.disks'), h?.disks, 'check-disks'),
              checkItem(t('topo.check.clock'), h?.clock, 'check-clock'),
              ...(h?.certificate ? [checkItem(t('topo.check.certificate'), h.certificate, 'check-certificate')] : []),
              ...graph.services.map((s) =>
                checkItem(t('topo.check.reach', { service: pick(s.title) }), h?.reach[s.id], `check-reach-${s.id}`),
              ),
            ]}
          />
          {!!h?.harbor.components?.length && (
            <div style={{ marginTop: 12 }}>
              {h.harbor.components.map((c) => (
                <Tag key={c.name} color={c.status === 'healthy' ? 'success' : 'error'} title={c.error}>
                  {c.name}
                </Tag>
              ))}
            </div>
          )}
          {!!h?.containers.list?.length && (
            <Table
              style={{ marginTop: 12 }}
              size="small"
              pagination={false}
              rowKey="name"
              dataSource={[...h.containers.list]}
              columns={[
                { title: t('topo.col.name'), dataIndex: 'name' },
                {
                  title: t('topo.col.status'),
                  dataIndex: 'status',
                  render: (v: string, r) => <Tag color={r.state === 'running' ? 'success' : 'error'}>{v || r.state}</Tag>,
                },
              ]}
            />
          )}
          {!!h?.disks.list?.length && (
            <Table
              style={{ marginTop: 12 }}
              size="small"
              pagination={false}
              rowKey="path"
              dataSource={[...h.disks.list]}
              columns={[
                { title: t('topo.col.path'), dataIndex: 'path' },
                { title: t('topo.col.free'), dataIndex: 'freeBytes', render: (v: number) => `${(v / 2 ** 30).toFixed(1)} GiB` },
                { title: t('topo.col.used'), dataIndex: 'usedPercent', render: (v: number) => `${v}%` },
              ]}
            />
          )}
          <ProblemList problems={problems.filter((p) => p.nodes.includes(n.id) || (p.subject.kind === 'node' && p.subject.id === n.id))} />
        </div>
      );
    }
  } else if (selection?.kind === 'lb') {
    title = `${t('topo.lb')}: ${graph.lb.title}`;
    body = (
      <div data-testid="topology-details" data-kind="lb" data-status={snapshot?.lb.status ?? 'unknown'}>
        <Descriptions
          column={1}
          size="small"
          bordered
          items={[
            { key: 'url', label: 'URL', children: <Typography.Text code>{graph.lb.url}</Typography.Text> },
            {
              key: 'address',
              label: t('topo.details.endpoint'),
              children: graph.lb.address ?? t('topo.lb.direct', { domain: graph.domain }),
            },
            checkItem(t('topo.check.harborLb'), snapshot?.lb.harbor, 'check-lb'),
            ...(snapshot?.lb.certificate ? [checkItem(t('topo.check.certificate'), snapshot.lb.certificate, 'check-lb-certificate')] : []),
          ]}
        />
        <ProblemList problems={problems.filter((p) => p.subject.kind === 'lb')} />
      </div>
    );
  }

  return (
    <Drawer open={!!selection && !!body} title={title} size={560} onClose={onClose} destroyOnHidden>
      {body ?? <Empty />}
    </Drawer>
  );
}
