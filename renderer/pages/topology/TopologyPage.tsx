/**
 * Topology: the chosen cluster drawn as load balancer → Harbor nodes → services with live health
 * from the core (topology.watch), a "check now" that never blocks the page, the problems found with
 * their known fixes, and details per box. Clicking a node opens its terminal.
 */
import { CloudOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Empty, List, Select, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { TOPOLOGY_INTERVAL, type TopologyGraph, type TopologySnapshot } from '../../../shared/api/contracts/topology';
import type { ProfileSummary } from '../../../shared/api/types';
import { ApiError } from '../../../shared/errors';
import { useApi } from '../../api/context';
import { useI18n } from '../../i18n';
import { CloudPanel } from './CloudPanel';
import { Details, StatusBadge } from './Details';
import { TopologyCanvas, type Selection } from './TopologyCanvas';
import './topology.css';

const INTERVALS = [15_000, 30_000, 60_000, 300_000] as const;
const STORE = 'harbor.topology.profile';

function remembered(): string | null {
  const fromHash = new URLSearchParams(location.hash.split('?')[1] ?? '').get('profile');
  if (fromHash) return fromHash;
  try {
    return localStorage.getItem(STORE);
  } catch {
    return null;
  }
}

export function TopologyPage() {
  const api = useApi();
  const { t, pick, locale } = useI18n();
  const [profiles, setProfiles] = useState<readonly ProfileSummary[] | null>(null);
  const [profileId, setProfileId] = useState<string | null>(null);
  const [intervalMs, setIntervalMs] = useState<number>(TOPOLOGY_INTERVAL.default);
  const [graph, setGraph] = useState<TopologyGraph | null>(null);
  const [snapshot, setSnapshot] = useState<TopologySnapshot | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selection, setSelection] = useState<Selection | null>(null);
  const [requested, setRequested] = useState(false);
  const [cloudOpen, setCloudOpen] = useState(false);
  // Messages from the core are shown in the language of the moment; a language switch does not resubscribe.
  const pickRef = useRef(pick);
  pickRef.current = pick;

  useEffect(() => {
    api.call('profiles.list', {}).then(
      (list) => {
        setProfiles(list);
        const wanted = remembered();
        const pick = list.find((p) => p.id === wanted) ?? (list.length === 1 ? list[0] : undefined);
        if (pick) setProfileId(pick.id);
      },
      () => setProfiles([]),
    );
  }, [api]);

  const choose = (id: string) => {
    setProfileId(id);
    try {
      localStorage.setItem(STORE, id);
    } catch {
      /* private mode: not remembered */
    }
  };

  // The graph at once from the profile; health follows from the core as it is measured.
  useEffect(() => {
    if (!profileId) return;
    let cancelled = false;
    let stop: (() => void) | undefined;
    setGraph(null);
    setSnapshot(null);
    setError(null);
    setSelection(null);
    void (async () => {
      try {
        const g = await api.call('topology.graph', { profileId });
        if (cancelled) return;
        setGraph(g);
        const unsubscribe = await api.subscribe(
          'topology.watch',
          { profileId, intervalMs },
          {
            next: (s) => {
              if (!cancelled) setSnapshot(s);
            },
            error: (e) => {
              if (!cancelled) setError(pickRef.current(e.localized));
            },
          },
        );
        if (cancelled) unsubscribe();
        else stop = unsubscribe;
      } catch (e) {
        if (!cancelled) setError(e instanceof ApiError ? pickRef.current(e.localized) : String(e));
      }
    })();
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [api, profileId, intervalMs]);

  // "Check now" runs in the core; the page keeps showing snapshots while it does.
  const checkNow = useCallback(() => {
    if (!profileId) return;
    setRequested(true);
    api.call('topology.sweep', { profileId }).then(
      () => setRequested(false),
      (e: unknown) => {
        setRequested(false);
        if (e instanceof ApiError) setError(pick(e.localized));
      },
    );
  }, [api, profileId, pick]);

  // A locked vault: ask once (the guarded client shows the unlock dialog), then check.
  const vaultLocked = snapshot?.vault === 'locked';
  const [askedVault, setAskedVault] = useState(false);
  useEffect(() => {
    if (vaultLocked && !askedVault) {
      setAskedVault(true);
      checkNow();
    }
  }, [vaultLocked, askedVault, checkNow]);

  const openTerminal = useCallback(
    (nodeId: string) => {
      if (!profileId) return;
      location.hash = `#/terminals?${new URLSearchParams({ profile: profileId, node: nodeId }).toString()}`;
    },
    [profileId],
  );
  const onSelect = useCallback((s: Selection) => setSelection(s), []);

  if (profiles && profiles.length === 0) {
    return (
      <section data-testid="page-topology">
        <Typography.Title level={3}>{t('page.topology.title')}</Typography.Title>
        <Empty
          style={{ marginTop: 64 }}
          description={
            <span data-testid="empty-description">
              {t('page.topology.empty')} {t('topo.noProfiles')}
            </span>
          }
        />
      </section>
    );
  }

  const sweep = snapshot?.sweep;
  const running = !!sweep?.running || requested;
  const sweepText = running
    ? t('topo.sweep.running')
    : sweep?.finishedAt
      ? t('topo.sweep.last', {
          time: new Date(sweep.finishedAt).toLocaleTimeString(locale),
          duration: `${((sweep.durationMs ?? 0) / 1000).toFixed(1)} s`,
        })
      : t('topo.sweep.never');
  const problems = snapshot?.problems ?? [];

  return (
    <section
      data-testid="page-topology"
      data-profile={profileId ?? ''}
      data-sweeps={sweep?.count ?? 0}
      data-running={running ? 'true' : 'false'}
      data-seq={snapshot?.seq ?? 0}
      style={{ display: 'flex', flexDirection: 'column', gap: 12 }}
    >
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Space wrap>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('page.topology.title')}
          </Typography.Title>
          <Select
            data-testid="topology-profile"
            style={{ minWidth: 220 }}
            placeholder={t('topo.profile.placeholder')}
            value={profileId ?? undefined}
            onChange={choose}
            options={(profiles ?? []).map((p) => ({ value: p.id, label: p.name }))}
            aria-label={t('topo.profile')}
          />
          <Typography.Text type="secondary">{t('topo.interval')}</Typography.Text>
          <Select
            data-testid="topology-interval"
            style={{ width: 100 }}
            value={intervalMs}
            onChange={(v: number) => setIntervalMs(v)}
            options={INTERVALS.map((ms) => ({
              value: ms,
              label: ms < 60_000 ? t('topo.interval.s', { n: ms / 1000 }) : t('topo.interval.min', { n: ms / 60_000 }),
            }))}
            aria-label={t('topo.interval')}
          />
          <Button icon={<ReloadOutlined spin={running} />} onClick={checkNow} disabled={!profileId} data-testid="topology-refresh">
            {t('topo.refresh')}
          </Button>
          <Button icon={<CloudOutlined />} onClick={() => setCloudOpen(true)} disabled={!graph} data-testid="topology-cloud">
            {t('cloud.open')}
          </Button>
          <Typography.Text type="secondary" data-testid="topology-sweep-status">
            {sweepText}
          </Typography.Text>
        </Space>
        <Space size="middle">
          {(['ok', 'warn', 'fail', 'unknown'] as const).map((s) => (
            <StatusBadge key={s} status={s} />
          ))}
        </Space>
      </Space>
      {error && <Alert type="error" showIcon closable onClose={() => setError(null)} title={error} data-testid="topology-error" />}
      {vaultLocked && (
        <Alert
          type="warning"
          showIcon
          title={t('topo.vault.locked')}
          action={
            <Button size="small" onClick={checkNow}>
              {t('topo.vault.unlock')}
            </Button>
          }
        />
      )}
      {!profileId ? (
        <Empty description={<span data-testid="empty-description">{t('page.topology.empty')}</span>} />
      ) : (
        <div style={{ display: 'flex', gap: 12, flexWrap: 'wrap', alignItems: 'stretch' }}>
          <div
            data-testid="topology-canvas"
            style={{
              flex: '1 1 640px',
              height: 'calc(100vh - 230px)',
              minHeight: 480,
              border: '1px solid rgba(128,128,128,0.25)',
              borderRadius: 8,
              overflow: 'hidden',
            }}
          >
            {graph && <TopologyCanvas graph={graph} snapshot={snapshot} onOpenNode={openTerminal} onSelect={onSelect} />}
          </div>
          <Card
            size="small"
            title={
              <span>
                {t('topo.problems')}{' '}
                {problems.length > 0 && (
                  <Tag color={problems.some((p) => p.severity === 'error') ? 'error' : 'warning'}>{problems.length}</Tag>
                )}
              </span>
            }
            style={{ flex: '0 1 380px', minWidth: 300, maxHeight: 'calc(100vh - 230px)', overflow: 'auto' }}
            data-testid="topology-problems"
          >
            {problems.length === 0 ? (
              <Typography.Text type="secondary" data-testid="topology-problems-empty">
                {sweep?.count ? t('topo.problems.none') : t('topo.problems.notYet')}
              </Typography.Text>
            ) : (
              <List
                size="small"
                dataSource={[...problems]}
                renderItem={(p) => (
                  <List.Item
                    data-testid="topology-problem"
                    data-problem={p.id}
                    data-severity={p.severity}
                    style={{ cursor: p.subject.kind === 'cluster' ? 'default' : 'pointer', display: 'block' }}
                    onClick={() => {
                      if (p.subject.kind === 'lb') setSelection({ kind: 'lb' });
                      else if (p.subject.kind === 'service' && p.subject.id) setSelection({ kind: 'service', id: p.subject.id });
                      else if (p.subject.kind === 'node' && p.subject.id) setSelection({ kind: 'node', id: p.subject.id });
                    }}
                  >
                    <Space align="start">
                      <Tag color={p.severity === 'error' ? 'error' : 'warning'}>
                        {t(p.severity === 'error' ? 'topo.severity.error' : 'topo.severity.warning')}
                      </Tag>
                      <Typography.Text strong>{pick(p.title)}</Typography.Text>
                    </Space>
                    <Typography.Paragraph style={{ margin: '6px 0 0' }}>
                      <Typography.Text type="secondary">{t('topo.problem.fix')}: </Typography.Text>
                      <span data-testid="topology-problem-fix">{pick(p.fix)}</span>
                    </Typography.Paragraph>
                    {p.refs && p.refs.length > 0 && (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t('topo.problem.refs')}: {p.refs.join(', ')}
                      </Typography.Text>
                    )}
                  </List.Item>
                )}
              />
            )}
          </Card>
        </div>
      )}
      {graph && (
        <CloudPanel
          open={cloudOpen}
          profileId={graph.profileId}
          profileName={graph.profileName}
          nodeNames={new Map(graph.nodes.map((n) => [n.id, n.name]))}
          onClose={() => setCloudOpen(false)}
        />
      )}
      {graph && (
        <Details selection={selection} graph={graph} snapshot={snapshot} onClose={() => setSelection(null)} onOpenTerminal={openTerminal} />
      )}
    </section>
  );
}
