/**
 * The deployment walkthrough: the plan of the chosen profile as a grid of steps × nodes with live
 * status, each step explained and previewed (commands, diffs, SQL) before anything runs; Run all,
 * run one step, retry failed nodes, skip a step with a reason, cancel; the run's live log with
 * transfer progress; run options (existing database, installing a missing runtime, with a typed
 * consent before a reset); and the run history, where an interrupted run can be resumed.
 *
 * All the work is the core's (deploy.*); this page only asks and shows. `#/walkthrough?profile=ID`
 * opens it on that profile.
 */
import { CopyOutlined, PauseCircleOutlined, PlayCircleOutlined, RedoOutlined, ReloadOutlined, StopOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Checkbox, Col, Empty, Popconfirm, Radio, Row, Select, Space, Tag, Tooltip, Typography, message } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Plan, RunView } from '../../../shared/api/contracts/deploy';
import type { ProfileSummary, ProfileView } from '../../../shared/api/types';
import { ApiError } from '../../../shared/errors';
import type { Localized } from '../../../shared/i18n/localized';
import { useApi } from '../../api/context';
import { useI18n } from '../../i18n';
import { VaultDialog } from '../../vault/VaultDialog';
import type { MessageKey } from '../../i18n/messages';
import { ResetConfirmDialog, SkipDialog } from './dialogs';
import { LogPanel, type LogFilter } from './LogPanel';
import { allDone, CLUSTER, failedCells, failedNodes, hasProblems } from './model';
import { RunHistory } from './RunHistory';
import { RunStateTag } from './status';
import { StepDetail } from './StepDetail';
import { StepGrid, type Selection } from './StepGrid';
import { useRunEvents } from './useRunEvents';
import './walkthrough.css';

const STORE = 'harbor.walkthrough.profile';
type ExistingDatabase = 'refuse' | 'adopt' | 'reset';

/** What a button asks the core to run. */
type Launch =
  | { readonly kind: 'start'; readonly only?: readonly string[] }
  | { readonly kind: 'resume'; readonly runId: string; readonly only?: readonly string[]; readonly nodes?: readonly string[] };

const DB_HELP: Record<ExistingDatabase, MessageKey> = { refuse: 'walk.opt.db.refuse.help', adopt: 'walk.opt.db.adopt.help', reset: 'walk.opt.db.reset.help' };

function hashProfile(): string | null {
  return new URLSearchParams(location.hash.split('?')[1] ?? '').get('profile');
}

function remembered(): string | null {
  const fromHash = hashProfile();
  if (fromHash) return fromHash;
  try {
    return localStorage.getItem(STORE);
  } catch {
    return null;
  }
}

interface ShownError {
  readonly text: Localized | string;
  readonly code?: string;
}

export function WalkthroughPage() {
  const api = useApi();
  const { t, pick, locale } = useI18n();
  const [toast, toastHolder] = message.useMessage();
  const [profiles, setProfiles] = useState<readonly ProfileSummary[] | null>(null);
  const [profileId, setProfileId] = useState<string | null>(null);
  const [view, setView] = useState<ProfileView | null>(null);
  const [plan, setPlan] = useState<Plan | null>(null);
  const [planError, setPlanError] = useState<ShownError | null>(null);
  const [runs, setRuns] = useState<readonly RunView[] | null>(null);
  const [currentRunId, setCurrentRunId] = useState<string | null>(null);
  const [selection, setSelection] = useState<Selection | null>(null);
  const [existingDatabase, setExistingDatabase] = useState<ExistingDatabase>('refuse');
  const [installRuntime, setInstallRuntime] = useState(false);
  const [skips, setSkips] = useState<Readonly<Record<string, string>>>({});
  const [skipFor, setSkipFor] = useState<string | null>(null);
  const [resetFor, setResetFor] = useState<Launch | null>(null);
  const [vaultFor, setVaultFor] = useState<{ readonly launch: Launch; readonly confirmReset?: string } | null>(null);
  const [error, setError] = useState<ShownError | null>(null);
  const [busy, setBusy] = useState(false);
  const [previewVersion, setPreviewVersion] = useState(0);
  const [logFilter, setLogFilter] = useState<LogFilter>({});

  const showError = useCallback((e: unknown) => {
    if (e instanceof ApiError) setError({ text: e.localized, code: e.code });
    else setError({ text: e instanceof Error ? e.message : String(e) });
  }, []);
  const model = useRunEvents(currentRunId, showError);
  const run = model.run && model.run.runId === currentRunId ? model.run : null;

  // Profiles: the one named in the address, the one used last, or the only one.
  useEffect(() => {
    api.call('profiles.list', {}).then(
      (list) => {
        setProfiles(list);
        const wanted = remembered();
        const chosen = list.find((p) => p.id === wanted) ?? (list.length === 1 ? list[0] : undefined);
        if (chosen) setProfileId(chosen.id);
      },
      (e: unknown) => {
        setProfiles([]);
        showError(e);
      },
    );
    const onHash = () => {
      const id = hashProfile();
      if (id) setProfileId(id);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [api, showError]);

  const choose = (id: string) => {
    setProfileId(id);
    try {
      localStorage.setItem(STORE, id);
    } catch {
      /* private mode: not remembered */
    }
  };

  const refreshRuns = useCallback(
    async (id: string) => {
      try {
        setRuns(await api.call('deploy.runs', { profileId: id }));
      } catch (e) {
        showError(e);
      }
    },
    [api, showError],
  );

  // A profile chosen: its plan, its runs, and its latest run followed live.
  useEffect(() => {
    if (!profileId) return;
    let cancelled = false;
    setPlan(null);
    setPlanError(null);
    setView(null);
    setRuns(null);
    setCurrentRunId(null);
    setSelection(null);
    setSkips({});
    setError(null);
    setLogFilter({});
    void (async () => {
      try {
        const [p, v] = await Promise.all([api.call('deploy.plan', { profileId }), api.call('profiles.get', { id: profileId })]);
        if (cancelled) return;
        setPlan(p);
        setView(v);
        setCurrentRunId(p.lastRunId);
        const first = p.steps[0];
        if (first) setSelection({ stepId: first.id, nodeId: first.scope === 'cluster' ? CLUSTER : (p.nodes[0]?.id ?? CLUSTER) });
        setRuns(await api.call('deploy.runs', { profileId }));
      } catch (e) {
        if (cancelled) return;
        setPlanError(e instanceof ApiError ? { text: e.localized, code: e.code } : { text: String(e) });
        setRuns([]);
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [api, profileId]);

  // A run starting or ending: the history follows; previews are read again after a run.
  const wasActive = useRef<boolean | null>(null);
  useEffect(() => {
    const active = run?.active ?? null;
    if (active !== wasActive.current && profileId && active !== null) {
      if (wasActive.current !== null) void refreshRuns(profileId);
      if (wasActive.current === true && !active) {
        setPreviewVersion((n) => n + 1);
        // A run that failed opens on its first failure: the error, the node's last lines, Retry.
        const first = plan && run ? failedCells(plan, run)[0] : undefined;
        if (first) setSelection({ stepId: first.stepId, nodeId: first.nodeId });
      }
    }
    wasActive.current = active;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [run?.active, profileId, refreshRuns]);

  const active = !!run?.active || !!runs?.some((r) => r.active);
  const canRun = !!plan && !!profileId && !active && !busy;

  const launch = useCallback(
    async (l: Launch, confirmReset?: string, vaultChecked = false) => {
      if (!profileId) return;
      // The steps read the profile's secrets from the vault: unlock it first rather than fail every node.
      if (!vaultChecked) {
        const vault = await api.call('vault.status', {}).catch(() => null);
        if (vault?.state === 'locked') {
          setVaultFor({ launch: l, ...(confirmReset !== undefined ? { confirmReset } : {}) });
          return;
        }
      }
      if (existingDatabase === 'reset' && confirmReset === undefined) {
        setResetFor(l);
        return;
      }
      setBusy(true);
      setError(null);
      const skipEntries = Object.entries(skips);
      const request = {
        options: { existingDatabase, installRuntime },
        ...(confirmReset !== undefined ? { confirmReset } : {}),
        ...(skipEntries.length ? { skip: Object.fromEntries(skipEntries.map(([step, reason]) => [step, { en: reason, 'zh-CN': reason }])) } : {}),
        ...(l.only ? { only: [...l.only] } : {}),
        ...(l.kind === 'resume' && l.nodes?.length ? { nodes: [...l.nodes] } : {}),
      };
      try {
        const { runId } = l.kind === 'start' ? await api.call('deploy.start', { profileId, ...request }) : await api.call('deploy.resume', { runId: l.runId, ...request });
        setSkips({});
        setCurrentRunId(runId);
        void refreshRuns(profileId);
      } catch (e) {
        showError(e);
        if (e instanceof ApiError && e.code === 'confirmation_required') setResetFor(l);
      } finally {
        setBusy(false);
      }
    },
    [api, profileId, existingDatabase, installRuntime, skips, refreshRuns, showError],
  );

  const runAll = () => void launch({ kind: 'start' });
  // One step: continues the run on screen when it is unfinished, otherwise a new run of that step.
  const runStep = (stepId: string) => {
    if (run && !run.active && run.state !== 'finished') void launch({ kind: 'resume', runId: run.runId, only: [stepId] });
    else void launch({ kind: 'start', only: [stepId] });
  };
  const retryFailed = () => {
    if (run) void launch({ kind: 'resume', runId: run.runId, nodes: failedNodes(run) });
  };
  const retryNode = (nodeId: string) => {
    if (run) void launch({ kind: 'resume', runId: run.runId, nodes: [nodeId] });
  };
  const resume = (runId: string) => {
    setCurrentRunId(runId);
    void launch({ kind: 'resume', runId });
  };
  const cancel = async () => {
    if (!run) return;
    try {
      const { cancelled } = await api.call('deploy.cancel', { runId: run.runId });
      if (!cancelled) void toast.info(t('walk.cancel.notRunning'));
    } catch (e) {
      showError(e);
    }
  };

  const step = useMemo(() => (plan && selection ? plan.steps.find((s) => s.id === selection.stepId) : undefined), [plan, selection]);
  const stepIndex = plan && step ? plan.steps.indexOf(step) : -1;
  const onSelect = useCallback((s: Selection) => {
    setSelection(s);
  }, []);

  if (profiles && profiles.length === 0) {
    return (
      <section data-testid="page-walkthrough">
        <Typography.Title level={3}>{t('page.walkthrough.title')}</Typography.Title>
        {error && <Alert type="error" showIcon title={typeof error.text === 'string' ? error.text : pick(error.text)} style={{ marginBottom: 16 }} />}
        <Empty
          style={{ marginTop: 64 }}
          description={
            <span data-testid="empty-description">
              {t('page.walkthrough.empty')} {t('walk.noProfiles')}
            </span>
          }
        >
          <Button type="primary" onClick={() => (location.hash = '#/profiles')} data-testid="walk-go-profiles">
            {t('walk.goProfiles')}
          </Button>
        </Empty>
      </section>
    );
  }

  const profile = view?.profile;
  const url = profile ? `${profile.access.protocol}://${profile.access.domain}` : '';
  const finishedAll = !!plan && !!run && run.state === 'finished' && !run.active && allDone(plan, run);
  const problems = hasProblems(run);
  const failures = plan ? failedCells(plan, run) : [];
  const errText = (e: ShownError) => (typeof e.text === 'string' ? e.text : pick(e.text));

  return (
    <section
      data-testid="page-walkthrough"
      data-profile={profileId ?? ''}
      data-run={run?.runId ?? ''}
      data-run-state={run?.state ?? 'none'}
      data-active={active ? 'true' : 'false'}
      data-runs={runs?.length ?? 0}
      data-stops={model.stops}
      style={{ display: 'flex', flexDirection: 'column', gap: 12 }}
    >
      {toastHolder}
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Space wrap>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('page.walkthrough.title')}
          </Typography.Title>
          <Select
            data-testid="walk-profile"
            style={{ minWidth: 220 }}
            placeholder={t('walk.profile.placeholder')}
            value={profileId ?? undefined}
            onChange={choose}
            loading={profiles === null}
            options={(profiles ?? []).map((p) => ({ value: p.id, label: `${p.name} · Harbor ${p.version}` }))}
            aria-label={t('walk.profile')}
          />
          {plan && (
            <Typography.Text type="secondary">
              {t('walk.plan.summary', { steps: plan.steps.length, nodes: plan.nodes.length })}
            </Typography.Text>
          )}
        </Space>
        {run && (
          <Space>
            <Typography.Text type="secondary">{t('walk.run.label', { time: new Date(run.createdAt).toLocaleString(locale) })}</Typography.Text>
            <RunStateTag state={run.state} testId="walk-run-state" />
          </Space>
        )}
      </Space>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('walk.intro')}
      </Typography.Paragraph>

      {error && (
        <Alert type="error" showIcon closable onClose={() => setError(null)} title={errText(error)} data-testid="walk-error" data-code={error.code ?? ''} />
      )}
      {planError && <Alert type="error" showIcon title={t('walk.plan.failed')} description={errText(planError)} data-testid="walk-plan-error" data-code={planError.code ?? ''} />}
      {!profileId && profiles && <Empty description={<span data-testid="empty-description">{t('walk.chooseProfile')}</span>} />}

      {plan && run && !run.active && failures.length > 0 && (
        <Alert
          type="error"
          showIcon
          data-testid="walk-failures"
          title={t('walk.failures.title', { n: failures.length })}
          description={
            <ul className="walk-failures">
              {failures.slice(0, 8).map((f) => {
                const s = plan.steps.find((x) => x.id === f.stepId);
                const where = f.nodeId === CLUSTER ? t('walk.detail.cluster') : (plan.nodes.find((n) => n.id === f.nodeId)?.label ?? f.nodeId);
                return (
                  <li key={`${f.stepId}@${f.nodeId}`} data-testid="walk-failure" data-step={f.stepId} data-node={f.nodeId}>
                    <Typography.Link onClick={() => setSelection({ stepId: f.stepId, nodeId: f.nodeId })}>
                      {s ? pick(s.title) : f.stepId} · {where}
                    </Typography.Link>
                    {f.cell.error ? <>: {pick(f.cell.error)}</> : <>: {t(f.cell.status === 'interrupted' ? 'walk.status.interrupted' : 'walk.status.failed')}</>}
                  </li>
                );
              })}
              {failures.length > 8 && <li>{t('walk.failures.more', { n: failures.length - 8 })}</li>}
            </ul>
          }
        />
      )}
      {finishedAll && profile && (
        <Alert
          type="success"
          showIcon
          data-testid="walk-summary"
          title={t('walk.summary.title')}
          description={
            <div>
              <div>{t('walk.summary.body', { version: profile.harbor.version, url, nodes: plan!.nodes.length, bucket: profile.oss.bucket })}</div>
              <Space style={{ marginTop: 8 }}>
                <Typography.Text code data-testid="walk-docker-login">
                  docker login {profile.access.domain}
                </Typography.Text>
                <Button
                  size="small"
                  icon={<CopyOutlined />}
                  onClick={() =>
                    void navigator.clipboard.writeText(`docker login ${profile.access.domain}`).then(
                      () => toast.success(t('walk.summary.copied')),
                      () => toast.error(t('walk.summary.copyFailed')),
                    )
                  }
                  data-testid="walk-copy-login"
                >
                  {t('walk.summary.copy')}
                </Button>
              </Space>
            </div>
          }
        />
      )}

      {plan && profileId && (
        <>
          <Card size="small" title={t('walk.run.title')} data-testid="walk-controls">
            <Space orientation="vertical" style={{ width: '100%' }}>
              <Space wrap align="start">
                <Typography.Text strong>{t('walk.opt.db')}</Typography.Text>
                <Radio.Group
                  data-testid="walk-opt-db"
                  value={existingDatabase}
                  onChange={(e) => setExistingDatabase(e.target.value as ExistingDatabase)}
                  disabled={!canRun}
                  optionType="button"
                  buttonStyle="solid"
                  size="small"
                  options={[
                    { value: 'refuse', label: t('walk.opt.db.refuse') },
                    { value: 'adopt', label: t('walk.opt.db.adopt') },
                    { value: 'reset', label: <span data-testid="walk-opt-db-reset">{t('walk.opt.db.reset')}</span> },
                  ]}
                />
                <Typography.Text type={existingDatabase === 'reset' ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
                  {t(DB_HELP[existingDatabase])}
                </Typography.Text>
              </Space>
              <Checkbox checked={installRuntime} onChange={(e) => setInstallRuntime(e.target.checked)} disabled={!canRun} data-testid="walk-opt-runtime">
                {t('walk.opt.runtime')}{' '}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('walk.opt.runtime.help')}
                </Typography.Text>
              </Checkbox>
              {Object.keys(skips).length > 0 && (
                <Space wrap data-testid="walk-skips">
                  <Typography.Text>{t('walk.skip.list')}</Typography.Text>
                  {Object.entries(skips).map(([id, reason]) => {
                    const s = plan.steps.find((x) => x.id === id);
                    return (
                      <Tag key={id} closable onClose={() => setSkips(({ [id]: _, ...rest }) => rest)} data-testid="walk-skip-tag" data-step={id}>
                        {s ? pick(s.title) : id}: {reason}
                      </Tag>
                    );
                  })}
                </Space>
              )}
              <Space wrap>
                <Tooltip title={t('walk.action.runAll.help')}>
                  <Button type="primary" icon={<PlayCircleOutlined />} disabled={!canRun} loading={busy} onClick={runAll} data-testid="walk-run-all">
                    {t('walk.action.runAll')}
                  </Button>
                </Tooltip>
                {run && !run.active && problems && (
                  <Tooltip title={t('walk.action.retryFailed.help')}>
                    <Button icon={<RedoOutlined />} disabled={!canRun} onClick={retryFailed} data-testid="walk-retry-failed">
                      {failedNodes(run).length ? t('walk.action.retryFailed', { n: failedNodes(run).length }) : t('walk.action.retry')}
                    </Button>
                  </Tooltip>
                )}
                {run && !run.active && run.state === 'interrupted' && (
                  <Tooltip title={t('walk.action.resume.help')}>
                    <Button icon={<PauseCircleOutlined />} disabled={!canRun} onClick={() => resume(run.runId)} data-testid="walk-resume">
                      {t('walk.action.resume')}
                    </Button>
                  </Tooltip>
                )}
                {run?.active && (
                  <Popconfirm title={t('walk.cancel.confirm')} okText={t('walk.action.cancel')} cancelText={t('walk.cancel.keep')} onConfirm={() => void cancel()}>
                    <Button danger icon={<StopOutlined />} data-testid="walk-cancel">
                      {t('walk.action.cancel')}
                    </Button>
                  </Popconfirm>
                )}
                <Button
                  icon={<ReloadOutlined />}
                  onClick={() => {
                    void refreshRuns(profileId);
                    setPreviewVersion((n) => n + 1);
                  }}
                  data-testid="walk-refresh"
                >
                  {t('walk.action.refresh')}
                </Button>
              </Space>
            </Space>
          </Card>

          <Card size="small" title={t('walk.grid.title')} data-testid="walk-steps">
            <StepGrid plan={plan} run={run} progress={model.progress} selection={selection} skips={skips} onSelect={onSelect} />
          </Card>

          <Row gutter={[12, 12]}>
            <Col xs={24} xl={14}>
              {step && selection && (
                <StepDetail
                  profileId={profileId}
                  plan={plan}
                  step={step}
                  index={stepIndex}
                  selection={selection}
                  run={run}
                  log={model.log}
                  previewVersion={previewVersion}
                  canRun={canRun}
                  skipReason={skips[step.id]}
                  onSelect={onSelect}
                  onRunStep={runStep}
                  onSkip={setSkipFor}
                  onUnskip={(id) => setSkips(({ [id]: _, ...rest }) => rest)}
                  onRetryNode={retryNode}
                />
              )}
            </Col>
            <Col xs={24} xl={10}>
              <Card size="small" title={t('walk.log.title')}>
                <LogPanel plan={plan} log={model.log} logTotal={model.logTotal} progress={model.progress} filter={logFilter} onFilter={setLogFilter} />
              </Card>
            </Col>
          </Row>

          <Card size="small" title={t('walk.history.title')}>
            <RunHistory runs={runs && run ? runs.map((r) => (r.runId === run.runId ? run : r)) : runs} currentRunId={currentRunId} canRun={canRun} onOpen={setCurrentRunId} onResume={resume} />
          </Card>
        </>
      )}

      {skipFor && plan && (
        <SkipDialog
          stepTitle={pick(plan.steps.find((s) => s.id === skipFor)?.title ?? { en: skipFor, 'zh-CN': skipFor })}
          onCancel={() => setSkipFor(null)}
          onConfirm={(reason) => {
            setSkips((s) => ({ ...s, [skipFor]: reason }));
            setSkipFor(null);
          }}
        />
      )}
      {resetFor && (
        <ResetConfirmDialog
          host={profile?.database.host ?? ''}
          onCancel={() => setResetFor(null)}
          onConfirm={(typed) => {
            const l = resetFor;
            setResetFor(null);
            void launch(l, typed, true);
          }}
        />
      )}
      {vaultFor && (
        <VaultDialog
          client={api}
          mode="unlock"
          onCancel={() => setVaultFor(null)}
          onDone={() => {
            const v = vaultFor;
            setVaultFor(null);
            void launch(v.launch, v.confirmReset, true);
          }}
        />
      )}
    </section>
  );
}
