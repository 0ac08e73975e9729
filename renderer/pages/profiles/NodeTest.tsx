/**
 * The form's tests, usable as soon as their own section is filled in (nothing needs saving first): a node's SSH
 * connection, all nodes at once with one dialog for every new host key, and the database, Redis or OSS logged in to
 * from node 1 as Harbor will. A failure that points at a field links to it.
 */
import { ApiOutlined } from '@ant-design/icons';
import { Alert, Button, List, Modal, Space, Typography } from 'antd';
import { useState } from 'react';
import type { DraftNodeTest, DraftServiceTest } from '../../../shared/api/contracts/draft';
import { ApiError } from '../../../shared/errors';
import type { Localized } from '../../../shared/i18n/localized';
import { useApi } from '../../api/context';
import { useI18n } from '../../i18n';
import { useDraft, useEditor } from './EditorContext';
import { focusField } from './Guidance';

type Unknown = Extract<DraftNodeTest, { status: 'host_key_unknown' }>;

const asLocalized = (e: unknown): Localized => (e instanceof ApiError ? e.localized : { en: String(e), 'zh-CN': String(e) });

/** Runs node tests on the current form; unknown host keys are asked about together, then those nodes tested again. */
function useNodeTests() {
  const api = useApi();
  const { store, touch } = useEditor();
  const [busy, setBusy] = useState(false);
  const [results, setResults] = useState<readonly DraftNodeTest[] | null>(null);
  const [error, setError] = useState<Localized | null>(null);
  const [unknown, setUnknown] = useState<readonly Unknown[]>([]);

  const run = async (nodeIds: readonly string[]) => {
    setBusy(true);
    setError(null);
    // An earlier answer must not stand for this test while it runs.
    setResults(null);
    try {
      const r = await api.call('draft.testNodes', { profile: store.get(), nodeIds: [...nodeIds] });
      setResults(r);
      for (const x of r) if (x.status === 'failed' && x.field) touch(x.field);
      setUnknown(r.filter((x): x is Unknown => x.status === 'host_key_unknown'));
    } catch (e) {
      setError(asLocalized(e));
    } finally {
      setBusy(false);
    }
  };

  const trustAll = async () => {
    const asked = unknown;
    setUnknown([]);
    try {
      // Trusted one by one as compared; a jump host and its node may both be new (the node asks after its jump host).
      for (const u of asked) await api.call('ssh.trustHostKey', { fingerprint: u.fingerprint });
      await run(asked.map((u) => u.nodeId));
    } catch (e) {
      setError(asLocalized(e));
    }
  };

  const dialog = <HostKeysDialog unknown={unknown} onTrust={() => void trustAll()} onCancel={() => setUnknown([])} />;
  return { run, busy, results, error, dialog };
}

function HostKeysDialog({ unknown, onTrust, onCancel }: { unknown: readonly Unknown[]; onTrust: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  return (
    <Modal
      open={unknown.length > 0}
      title={unknown.length === 1 ? t('nodeTest.unknown.title', { node: unknown[0]!.label }) : t('formTest.keys.title')}
      okText={unknown.length === 1 ? t('nodeTest.unknown.trust') : t('formTest.keys.trust')}
      cancelText={t('common.cancel')}
      onOk={onTrust}
      onCancel={onCancel}
      okButtonProps={{ 'data-testid': 'hostkey-trust' }}
      width={680}
    >
      <Typography.Paragraph>{unknown.length === 1 ? t('nodeTest.unknown.body') : t('formTest.keys.body')}</Typography.Paragraph>
      <List
        size="small"
        dataSource={[...unknown]}
        renderItem={(u) => (
          <List.Item data-testid="hostkey-entry">
            <Space orientation="vertical" size={0}>
              <Typography.Text strong>{u.label}</Typography.Text>
              <Typography.Text code data-testid="hostkey-fingerprint">
                {u.fingerprint}
              </Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                ssh-keygen -lf /etc/ssh/ssh_host_{(u.keyType || 'ssh-ed25519').replace(/^ssh-/, '')}_key.pub
              </Typography.Text>
            </Space>
          </List.Item>
        )}
      />
    </Modal>
  );
}

function GoToField({ field }: { field: string | undefined }) {
  const { t } = useI18n();
  if (!field) return null;
  return (
    <Button size="small" type="link" onClick={() => focusField(field)} data-testid="test-goto" data-field={field}>
      {t('formTest.edit')}
    </Button>
  );
}

function NodeOutcome({ r, testId }: { r: DraftNodeTest; testId: string }) {
  const { t, pick } = useI18n();
  if (r.status === 'ok')
    return (
      <Alert
        type="success"
        showIcon
        data-testid={`${testId}-ok`}
        title={t('nodeTest.ok', { hostname: r.hostname, os: r.os, ms: r.latencyMs })}
        description={<Typography.Text code>{r.fingerprint}</Typography.Text>}
      />
    );
  if (r.status === 'failed')
    return <Alert type="error" showIcon data-testid={`${testId}-error`} title={pick(r.message)} action={<GoToField field={r.field} />} />;
  return <Alert type="warning" showIcon data-testid={`${testId}-unknown`} title={pick(r.message)} />;
}

/** "Test connection" of one node card. */
export function NodeTest({ nodeId, index }: { nodeId: string; index: number }) {
  const { t, pick } = useI18n();
  const tests = useNodeTests();
  const mine = tests.results?.find((r) => r.nodeId === nodeId);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid={`node-${index}-test`}>
      <Button
        icon={<ApiOutlined />}
        loading={tests.busy}
        onClick={() => void tests.run([nodeId])}
        data-testid={`node-${index}-test-button`}
      >
        {t('formTest.node')}
      </Button>
      {mine && <NodeOutcome r={mine} testId={`node-${index}-test`} />}
      {tests.error && <Alert type="error" showIcon data-testid={`node-${index}-test-error`} title={pick(tests.error)} />}
      {tests.dialog}
    </Space>
  );
}

/** "Test all nodes" in the nodes section's header, with its results listed under it. */
export function TestAllNodes() {
  const { t, pick } = useI18n();
  const tests = useNodeTests();
  const ids = useDraft((d) => d.nodes.map((n) => n.id).join(' '));
  return (
    <Space orientation="vertical" style={{ width: '100%', marginBottom: 12 }} data-testid="nodes-test-all">
      <Button
        icon={<ApiOutlined />}
        loading={tests.busy}
        onClick={() => void tests.run(ids.split(' '))}
        data-testid="nodes-test-all-button"
      >
        {t('formTest.all')}
      </Button>
      {tests.results?.map((r, i) => (
        <div key={r.nodeId} data-testid="nodes-test-result" data-status={r.status}>
          <Typography.Text strong>
            {r.status === 'ok' || r.status === 'failed' || r.status === 'host_key_unknown' ? r.label : ''}
          </Typography.Text>
          <NodeOutcome r={r} testId={`nodes-test-${i}`} />
        </div>
      ))}
      {tests.error && <Alert type="error" showIcon title={pick(tests.error)} />}
      {tests.dialog}
    </Space>
  );
}

/** "Test from node 1" in the database, Redis and OSS sections. */
export function ServiceTest({ service }: { service: 'database' | 'redis' | 'oss' }) {
  const api = useApi();
  const { t, pick } = useI18n();
  const { store } = useEditor();
  const first = useDraft((d) => d.nodes[0]?.id);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<DraftServiceTest | null>(null);
  const [error, setError] = useState<{ message: Localized; field?: string } | null>(null);
  const run = async () => {
    if (!first) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await api.call('draft.testService', { profile: store.get(), service, fromNode: first }));
    } catch (e) {
      const field = e instanceof ApiError ? e.issues?.[0]?.path : undefined;
      setError({ message: asLocalized(e), ...(field ? { field } : {}) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid={`${service}-test`}>
      <Button icon={<ApiOutlined />} loading={busy} disabled={!first} onClick={() => void run()} data-testid={`${service}-test-button`}>
        {t('formTest.service', { node: t('editor.node', { n: 1 }) })}
      </Button>
      {result && (
        <>
          <Typography.Text type="secondary">{t('formTest.from', { node: result.from })}</Typography.Text>
          {result.checks.map((c, i) =>
            c.ok ? (
              <Alert
                key={i}
                type="success"
                showIcon
                data-testid={`${service}-test-ok`}
                title={t('formTest.ok', { target: c.target, detail: c.detail ?? 'OK', ms: c.latencyMs })}
              />
            ) : (
              <Alert
                key={i}
                type="error"
                showIcon
                data-testid={`${service}-test-error`}
                title={c.problem ? pick(c.problem) : c.target}
                action={<GoToField field={c.field} />}
              />
            ),
          )}
        </>
      )}
      {result?.account && <CreateAccount account={result.account} fromNode={first ?? ''} onCreated={() => void run()} />}
      {error && (
        <Alert
          type="error"
          showIcon
          data-testid={`${service}-test-error`}
          title={pick(error.message)}
          action={<GoToField field={error.field} />}
        />
      )}
    </Space>
  );
}

/** The missing Harbor database account: its SQL to read or copy, and "Create the account" after a confirmation. */
function CreateAccount({
  account,
  fromNode,
  onCreated,
}: {
  account: NonNullable<DraftServiceTest['account']>;
  fromNode: string;
  onCreated: () => void;
}) {
  const api = useApi();
  const { t, pick } = useI18n();
  const { store } = useEditor();
  const [modal, holder] = Modal.useModal();
  const [error, setError] = useState<string | null>(null);
  const create = () =>
    modal.confirm({
      title: t('account.confirm.title', { user: account.user, host: account.host }),
      content: t('account.confirm.body'),
      okText: t('account.create'),
      cancelText: t('common.cancel'),
      okButtonProps: { 'data-testid': 'account-create-confirm' },
      onOk: async () => {
        setError(null);
        try {
          await api.call('draft.createHarborAccount', { profile: store.get(), fromNode, confirm: true });
          onCreated();
        } catch (e) {
          setError(pick(asLocalized(e)));
        }
      },
    });
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="account-missing"
      title={t('account.missing', { user: account.user, host: account.host })}
      description={
        <Space orientation="vertical" style={{ width: '100%' }}>
          {holder}
          <Typography.Text code data-testid="account-sql">
            {account.sql}
          </Typography.Text>
          <Space>
            <Button type="primary" onClick={() => void create()} data-testid="account-create">
              {t('account.create')}
            </Button>
            <Button onClick={() => void navigator.clipboard.writeText(account.sql)} data-testid="account-copy">
              {t('account.copy')}
            </Button>
          </Space>
          {error && <Typography.Text type="danger">{error}</Typography.Text>}
        </Space>
      }
    />
  );
}
