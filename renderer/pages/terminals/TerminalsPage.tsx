/**
 * Terminals: a tab per node of the chosen cluster (connected when first shown) plus extra shells, one or up to four
 * shown side by side, with search, copy/paste, reconnect, a connection badge, broadcast input to checked tabs (each
 * receiving terminal marked), the Files, Snippets and Metrics panels beside them, and a list of the keyboard shortcuts.
 * Sessions live in the core: leaving the page detaches, coming back re-attaches with recent output.
 */
import { Empty, Tabs, message, type InputRef } from 'antd';
import '@xterm/xterm/css/xterm.css';
import './terminals.css';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { TerminalCharset } from '../../../shared/api/contracts/terminal';
import type { ProfileSummary } from '../../../shared/api/types';
import { ApiError } from '../../../shared/errors';
import { useApi } from '../../api/context';
import { useI18n } from '../../i18n';
import { TerminalController, type TabStatus } from './controller';
import { HostKeyDialog, type HostKeyPrompt } from './HostKeyDialog';
import { gridColumns, shownTabs, touch, type PaneCount } from './layout';
import { keyCommand } from './shortcuts';
import type { NodeRef, Tab } from './tab';
import { TabLabel } from './TabLabel';
import { TerminalPane } from './TerminalPane';
import { FilesPanel } from './FilesPanel';
import { SnippetsPanel } from './SnippetsPanel';
import { MetricsPanel } from './MetricsPanel';
import { LogsPanel } from './LogsPanel';
import { readAhead } from './logs-read';
import { BroadcastTargets } from './BroadcastTargets';
import { TerminalToolbar } from './TerminalToolbar';

let tabCounter = 0;

export function TerminalsPage() {
  const { t, pick } = useI18n();
  const api = useApi();
  const [toast, toastHolder] = message.useMessage();
  const [profiles, setProfiles] = useState<readonly ProfileSummary[] | null>(null);
  // `#/terminals?profile=…&node=…` (from the Topology page) opens that node's tab.
  const [wanted] = useState(() => new URLSearchParams(location.hash.split('?')[1] ?? ''));
  const [profileId, setProfileId] = useState<string | null>(() => wanted.get('profile'));
  const [nodes, setNodes] = useState<readonly NodeRef[]>([]);
  const [tabs, setTabs] = useState<readonly Tab[]>([]);
  const [active, setActive] = useState<string | null>(null);
  const [status, setStatus] = useState<Record<string, TabStatus>>({});
  const [sessions, setSessions] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [charset, setCharset] = useState<TerminalCharset>('utf-8');
  const [broadcast, setBroadcast] = useState(false);
  const [targets, setTargets] = useState<readonly string[]>([]);
  const [hostKey, setHostKey] = useState<HostKeyPrompt | null>(null);
  const [paneCount, setPaneCount] = useState<PaneCount>(1);
  const [filesOn, setFilesOn] = useState(false);
  const [snippetsOn, setSnippetsOn] = useState(false);
  const [metricsOn, setMetricsOn] = useState(false);
  const [logsOn, setLogsOn] = useState(false);
  // Per tab: whether its session writes the masked transcript, and where.
  const [logging, setLogging] = useState<Record<string, { on: boolean; file: string }>>({});
  // Tabs by last use, the active one first: which ones the split panes show.
  const [recent, setRecent] = useState<readonly string[]>([]);
  const searchBox = useRef<InputRef>(null);
  const controllers = useRef(new Map<string, TerminalController>());
  // The broadcast choice as the controllers' key handlers see it (they outlive renders).
  const broadcastRef = useRef<{ on: boolean; targets: readonly string[]; sessions: Record<string, string> }>({
    on: false,
    targets: [],
    sessions: {},
  });
  broadcastRef.current = { on: broadcast, targets, sessions };

  useEffect(() => {
    api.call('profiles.list', {}).then(
      (list) => {
        setProfiles(list);
        if (list.length === 1 && !wanted.get('profile')) setProfileId(list[0]!.id);
      },
      () => setProfiles([]),
    );
  }, [api, wanted]);

  // Leaving the page detaches every terminal; the sessions stay open in the core.
  useEffect(
    () => () => {
      for (const c of controllers.current.values()) c.dispose();
      controllers.current.clear();
    },
    [],
  );

  const reset = () => {
    for (const c of controllers.current.values()) c.dispose();
    controllers.current.clear();
    setTabs([]);
    setStatus({});
    setSessions({});
    setErrors({});
    setTargets([]);
    setActive(null);
  };

  // A profile chosen: a tab per node, and the sessions already open in the core re-attached.
  useEffect(() => {
    if (!profileId) return;
    let cancelled = false;
    reset();
    void (async () => {
      try {
        const view = await api.call('profiles.get', { id: profileId });
        const list: NodeRef[] = view.profile.nodes.map((n) => ({ id: n.id, name: n.name || n.host || n.id }));
        const open = await api.call('terminal.list', { profileId });
        if (cancelled) return;
        const next: Tab[] = [];
        const used = new Set<string>();
        for (const n of list) {
          const existing = open.find((s) => s.nodeId === n.id && !used.has(s.sessionId));
          if (existing) used.add(existing.sessionId);
          next.push({
            key: `node-${n.id}`,
            node: n,
            extra: false,
            charset: existing?.charset ?? 'utf-8',
            ...(existing ? { existing } : {}),
          });
        }
        for (const s of open) {
          const n = list.find((x) => x.id === s.nodeId);
          if (!used.has(s.sessionId) && n)
            next.push({ key: `extra-${++tabCounter}`, node: n, extra: true, charset: s.charset, existing: s });
        }
        setNodes(list);
        setTabs(next);
        setActive(next.find((x) => x.key === `node-${wanted.get('node')}`)?.key ?? next[0]?.key ?? null);
      } catch (e) {
        if (!cancelled) void toast.error(e instanceof ApiError ? pick(e.localized) : String(e));
      }
    })();
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [profileId, api]);

  const setTabStatus = useCallback((key: string, s: TabStatus) => setStatus((prev) => ({ ...prev, [key]: s })), []);

  const onOpenError = useCallback(
    async (tab: Tab, error: ApiError | Error) => {
      if (error instanceof ApiError && error.code === 'ssh' && error.reason === 'host_key_unknown' && profileId) {
        try {
          const test = await api.call('ssh.test', { profileId, nodeId: tab.node.id });
          if (test.status === 'host_key_unknown') {
            setHostKey({ tabKey: tab.key, label: test.label, fingerprint: test.fingerprint, keyType: test.keyType });
            return;
          }
          // Trusted meanwhile (another tab): try again.
          void controllers.current.get(tab.key)?.open();
          return;
        } catch (e) {
          error = e as ApiError;
        }
      }
      setErrors((prev) => ({ ...prev, [tab.key]: error instanceof ApiError ? pick(error.localized) : String(error) }));
    },
    [api, pick, profileId],
  );

  const controllerFor = useCallback(
    (tab: Tab): TerminalController => {
      let c = controllers.current.get(tab.key);
      if (!c) {
        c = new TerminalController(api, profileId!, tab.node.id, tab.charset, {
          targets: (self) => {
            const b = broadcastRef.current;
            if (!b.on) return [self];
            const ids = b.targets.map((k) => b.sessions[k]).filter((x): x is string => !!x);
            return [...new Set([self, ...ids])];
          },
          onStatus: (s) => setTabStatus(tab.key, s),
          onSession: (info) => {
            setSessions((prev) => ({ ...prev, [tab.key]: info.sessionId }));
            setLogging((prev) => ({ ...prev, [tab.key]: { on: info.logging, file: info.transcript } }));
            setErrors(({ [tab.key]: _gone, ...rest }) => rest);
          },
          onOpenError: (e) => void onOpenError(tab, e),
        });
        controllers.current.set(tab.key, c);
      }
      return c;
    },
    [api, profileId, onOpenError, setTabStatus],
  );

  const trust = async () => {
    const prompt = hostKey;
    if (!prompt) return;
    setHostKey(null);
    try {
      await api.call('ssh.trustHostKey', { fingerprint: prompt.fingerprint });
      void controllers.current.get(prompt.tabKey)?.open();
    } catch (e) {
      setErrors((prev) => ({ ...prev, [prompt.tabKey]: e instanceof ApiError ? pick(e.localized) : String(e) }));
    }
  };

  const cancelTrust = () => {
    const prompt = hostKey;
    setHostKey(null);
    if (prompt) setErrors((prev) => ({ ...prev, [prompt.tabKey]: t('term.hostKey.cancelled') }));
  };

  const addShell = (node: NodeRef) => {
    const tab: Tab = { key: `extra-${++tabCounter}`, node, extra: true, charset };
    setTabs((prev) => [...prev, tab]);
    setActive(tab.key);
  };

  const closeTab = (key: string) => {
    const c = controllers.current.get(key);
    controllers.current.delete(key);
    void c?.close();
    setTabs((prev) => prev.filter((x) => x.key !== key));
    setTargets((prev) => prev.filter((x) => x !== key));
    if (active === key) setActive(tabs.find((x) => x.key !== key)?.key ?? null);
  };

  const keys = useMemo(() => tabs.map((x) => x.key), [tabs]);
  useEffect(() => {
    if (active) setRecent((prev) => touch(prev, active, keys));
  }, [active, keys]);
  const shown = shownTabs(keys, active ? [active, ...recent] : recent, paneCount);

  const toggleBroadcast = (on: boolean) => {
    setBroadcast(on);
    // It starts with the terminal in use, so turning it on never sends keystrokes somewhere unexpected.
    if (on) setTargets(active && sessions[active] ? [active] : []);
  };
  // Keystrokes go to the checked terminals and the one typed in (the active one, as focus follows a click).
  const receiving = (key: string) => broadcast && !!sessions[key] && (targets.includes(key) || key === active);

  // The page's shortcuts, heard from a terminal (its key handler lets them through) or from anywhere else on the page.
  const cycle = useRef<(step: number) => void>(() => undefined);
  cycle.current = (step) => {
    const i = active ? keys.indexOf(active) : -1;
    if (keys.length > 0) setActive(keys[(i + step + keys.length) % keys.length]!);
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const command = keyCommand(e);
      if (command === 'search') {
        e.preventDefault();
        searchBox.current?.focus({ cursor: 'all' });
      } else if (command === 'nextTerminal' || command === 'previousTerminal') {
        // In a text field other than a terminal's, Ctrl+Shift+arrows select words.
        const target = e.target as HTMLElement | null;
        if (target?.matches?.('input, textarea') && !target.closest('.xterm')) return;
        e.preventDefault();
        cycle.current(command === 'nextTerminal' ? 1 : -1);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const current = active ? controllers.current.get(active) : undefined;
  const activeTab = tabs.find((x) => x.key === active);
  // A snippet is typed like keystrokes: into the active terminal, or also into the checked ones.
  const sendLine = async (line: string, toAll: boolean): Promise<number> => {
    const self = active ? sessions[active] : undefined;
    if (!self) return 0;
    const others = toAll ? targets.map((k) => sessions[k]).filter((x): x is string => !!x) : [];
    const { delivered } = await api.call('terminal.input', { sessionIds: [...new Set([self, ...others])], data: `${line}\r` });
    current?.focus();
    return delivered.length;
  };
  const activeLog = active && sessions[active] ? logging[active] : undefined;
  const toggleLogging = async (on: boolean) => {
    const key = active;
    const sessionId = key ? sessions[key] : undefined;
    if (!key || !sessionId) return;
    try {
      const info = await api.call('terminal.setLogging', { sessionId, on });
      setLogging((prev) => ({ ...prev, [key]: { on: info.logging, file: info.transcript } }));
    } catch (e) {
      void toast.error(e instanceof ApiError ? pick(e.localized) : String(e));
    }
  };
  const broadcastOthers = broadcast ? targets.filter((k) => k !== active && !!sessions[k]).length : 0;

  const stateText = (s: TabStatus | undefined): string => {
    if (!s) return t('term.state.idle');
    if (s.state === 'reconnecting') return t('term.state.reconnecting', { attempt: s.attempt ?? 1 });
    return t(`term.state.${s.state}`);
  };

  // The tab strip only: the terminals themselves live in the grid below, so a pane keeps its xterm.js element whether
  // it is shown as a tab or side by side.
  const items = tabs.map((tab) => ({
    key: tab.key,
    closable: tab.extra,
    label: <TabLabel tab={tab} status={status[tab.key]} receiving={receiving(tab.key)} />,
  }));

  if (profiles && profiles.length === 0) {
    return (
      <div data-testid="page-terminals">
        <Empty
          description={
            <span data-testid="empty-description">
              {t('page.terminals.empty')} {t('term.noProfiles')}
            </span>
          }
        />
      </div>
    );
  }

  return (
    <div
      data-testid="page-terminals"
      // The window less the app's header (64 px), the content's padding (2 × 24 px) and the footer (46 px).
      style={{ display: 'flex', flexDirection: 'column', gap: 12, height: 'calc(100vh - 158px)', minHeight: 420 }}
    >
      {toastHolder}
      <TerminalToolbar
        profiles={profiles}
        profileId={profileId}
        onProfile={setProfileId}
        charset={charset}
        onCharset={setCharset}
        nodes={nodes}
        onNewShell={addShell}
        searchBox={searchBox}
        current={current}
        toast={toast}
        broadcast={broadcast}
        onBroadcast={toggleBroadcast}
        paneCount={paneCount}
        onPaneCount={setPaneCount}
        filesOn={filesOn}
        onFiles={setFilesOn}
        transcript={activeLog}
        onTranscript={(on) => void toggleLogging(on)}
        snippetsOn={snippetsOn}
        onSnippets={setSnippetsOn}
        metricsOn={metricsOn}
        onMetrics={setMetricsOn}
        logsOn={logsOn}
        onLogs={(on) => {
          // The panel's first read leaves with the click, before the page renders the panel (logs-read.ts).
          if (on && profileId) readAhead(api, profileId, nodes);
          setLogsOn(on);
        }}
      />
      {broadcast && <BroadcastTargets tabs={tabs.filter((x) => sessions[x.key])} targets={targets} onTargets={setTargets} />}
      {profileId ? (
        <>
          <Tabs
            data-testid="terminal-tabs"
            type="editable-card"
            hideAdd
            activeKey={active ?? undefined}
            onChange={setActive}
            onEdit={(key, action) => action === 'remove' && typeof key === 'string' && closeTab(key)}
            items={items}
            className="terminal-tabs"
          />
          <div className="terminal-body">
            <div
              className="terminal-grid"
              data-testid="terminal-grid"
              style={{ gridTemplateColumns: `repeat(${gridColumns(shown.length)}, minmax(0, 1fr))` }}
            >
              {tabs.map((tab) => {
                const s = status[tab.key];
                return (
                  <TerminalPane
                    key={tab.key}
                    tab={tab}
                    visible={shown.includes(tab.key)}
                    focused={tab.key === active}
                    split={shown.length > 1}
                    receiving={receiving(tab.key)}
                    onActivate={() => setActive(tab.key)}
                    controller={controllerFor(tab)}
                    status={s}
                    statusText={stateText(s)}
                    error={errors[tab.key]}
                    exitText={s?.exitCode !== undefined ? t('term.exited', { code: s.exitCode ?? '?' }) : undefined}
                    reconnectText={t('term.reconnect')}
                    connectText={t('term.connect')}
                    broadcastText={t('term.broadcast.receiving')}
                    broadcastHelp={t('term.broadcast.receivingHelp')}
                    pickMessage={(m) => pick(m)}
                  />
                );
              })}
            </div>
            {filesOn && activeTab && (
              <div className="terminal-files">
                <FilesPanel
                  key={`${profileId}/${activeTab.node.id}`}
                  profileId={profileId}
                  nodeId={activeTab.node.id}
                  nodeName={activeTab.node.name}
                  terminal={controllers.current.get(activeTab.key)?.term}
                  sessionId={sessions[activeTab.key]}
                />
              </div>
            )}
            {metricsOn && activeTab && (
              <MetricsPanel
                key={`${profileId}/${activeTab.node.id}`}
                profileId={profileId}
                nodeId={activeTab.node.id}
                nodeName={activeTab.node.name}
              />
            )}
            {snippetsOn && (
              <SnippetsPanel
                profileId={profileId}
                activeNode={activeTab && active && sessions[active] ? activeTab.node.name : undefined}
                broadcastOthers={broadcastOthers}
                send={sendLine}
              />
            )}
          </div>
          {logsOn && <LogsPanel key={profileId} profileId={profileId} nodes={nodes} />}
        </>
      ) : (
        <Empty description={<span data-testid="empty-description">{t('page.terminals.empty')}</span>} />
      )}
      <HostKeyDialog hostKey={hostKey} onTrust={() => void trust()} onCancel={cancelTrust} />
    </div>
  );
}
