/**
 * The deployment walkthrough: the plan of the chosen profile as a grid of steps × nodes with live
 * status, each step explained and previewed (commands, diffs, SQL) before anything runs; Run all,
 * run one step, retry failed nodes, skip a step with a reason, cancel; the run's live log with
 * transfer progress; run options (existing database, installing a missing runtime, with a typed
 * consent before a reset); and the run history, where an interrupted run can be resumed.
 *
 * All the work is the core's (deploy.*); this page only asks and shows. Its state and every change
 * to it are the reducer's (state.ts); this component renders that state and makes the calls it
 * asks for. `#/walkthrough?profile=ID` opens it on that profile.
 */
import { Alert, Button, Card, Col, Empty, Row, Select, Space, Typography, message } from 'antd';
import { useCallback, useEffect, useMemo, useReducer, useRef } from 'react';
import type { RunEvent } from '../../../shared/api/contracts/deploy';
import { useApi } from '../../api/context';
import { useI18n } from '../../i18n';
import { VaultDialog } from '../../vault/VaultDialog';
import { CheckSummary } from './CheckSummary';
import { DisruptionDialog, ResetConfirmDialog, SkipDialog } from './dialogs';
import { LogPanel } from './LogPanel';
import { RunControls } from './RunControls';
import { RunHistory } from './RunHistory';
import { RunOutcome } from './RunOutcome';
import {
  canRun,
  historyRows,
  INITIAL_STATE,
  isActive,
  launchSelection,
  shownError,
  shownRun,
  walkthroughReducer,
  type LaunchFlow,
  type LogFilter,
  type Selection,
  type ShownError,
} from './state';
import { RunStateTag } from './status';
import { StepDetail } from './StepDetail';
import { StepGrid } from './StepGrid';
import { useRunEvents } from './useRunEvents';
import './walkthrough.css';

const STORE = 'harbor.walkthrough.profile';

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

export function WalkthroughPage() {
  const api = useApi();
  const { t, pick, locale } = useI18n();
  const [toast, toastHolder] = message.useMessage();
  const [state, dispatch] = useReducer(walkthroughReducer, INITIAL_STATE);
  const { profiles, profileId, plan, view, runsWanted, flow, selection, skips } = state;

  const showError = useCallback((e: unknown) => dispatch({ type: 'failed', error: shownError(e) }), []);
  const onEvents = useCallback((runId: string, events: readonly RunEvent[]) => dispatch({ type: 'events', runId, events }), []);
  useRunEvents(state.currentRunId, onEvents, showError);
  const run = shownRun(state);

  // Profiles: the one named in the address, the one used last, or the only one.
  useEffect(() => {
    api.call('profiles.list', {}).then(
      (list) => dispatch({ type: 'profiles-loaded', profiles: list, wanted: remembered() }),
      (e: unknown) => dispatch({ type: 'profiles-failed', error: shownError(e) }),
    );
    const onHash = () => {
      const id = hashProfile();
      if (id) dispatch({ type: 'profile-chosen', profileId: id });
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [api]);

  const choose = (id: string) => {
    dispatch({ type: 'profile-chosen', profileId: id });
    try {
      localStorage.setItem(STORE, id);
    } catch {
      /* private mode: not remembered */
    }
  };

  // A profile chosen: its plan (the reducer then follows its latest run and asks for its history).
  useEffect(() => {
    if (!profileId) return;
    let cancelled = false;
    Promise.all([api.call('deploy.plan', { profileId }), api.call('profiles.get', { id: profileId })]).then(
      ([p, v]) => {
        if (!cancelled) dispatch({ type: 'plan-loaded', profileId, plan: p, view: v });
      },
      (e: unknown) => {
        if (!cancelled) dispatch({ type: 'plan-failed', profileId, error: shownError(e) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, profileId]);

  // The history, each time the reducer wants it read again.
  useEffect(() => {
    if (!profileId || runsWanted === 0) return;
    api
      .call('deploy.runs', { profileId })
      .then((runs) => dispatch({ type: 'runs-loaded', profileId, version: runsWanted, runs }), showError);
  }, [api, profileId, runsWanted, showError]);

  // A launch's calls: the vault check, then (after any dialog) deploy.start or deploy.resume. Each
  // step of a flow is called once, even if this effect runs again for it.
  const called = useRef<LaunchFlow | null>(null);
  useEffect(() => {
    if (!flow || called.current === flow) return;
    if (flow.step === 'vault-check') {
      called.current = flow;
      // A vault whose state cannot be read is not asked for: the run itself says what is wrong.
      api.call('vault.status', {}).then(
        (v) => dispatch({ type: 'vault-checked', flow, locked: v.state === 'locked' }),
        () => dispatch({ type: 'vault-checked', flow, locked: false }),
      );
    } else if (flow.step === 'disruption-check') {
      called.current = flow;
      api
        .call('deploy.disruptions', { profileId: state.profileId ?? '', options: { ...state.options }, ...launchSelection(flow.launch) })
        .then(
          (disruptions) => dispatch({ type: 'disruptions-checked', flow, disruptions }),
          (e: unknown) => dispatch({ type: 'launch-failed', flow, error: shownError(e) }),
        );
    } else if (flow.step === 'sending') {
      called.current = flow;
      const { call } = flow;
      (call.name === 'deploy.start' ? api.call(call.name, call.input) : api.call(call.name, call.input)).then(
        ({ runId }) => dispatch({ type: 'launched', flow, runId }),
        (e: unknown) => dispatch({ type: 'launch-failed', flow, error: shownError(e) }),
      );
    }
  }, [api, flow, state.options, state.profileId]);

  // The whole-plan check, each time Check plan is pressed.
  // Each press is asked once, with the options of that moment (changing them later does not check again by itself).
  const { checkWanted, options } = state;
  const checked = useRef(0);
  useEffect(() => {
    if (!profileId || checkWanted === 0 || checked.current === checkWanted) return;
    checked.current = checkWanted;
    api.call('deploy.check', { profileId, options: { ...options } }).then(
      (check) => dispatch({ type: 'check-loaded', profileId, version: checkWanted, check }),
      (e: unknown) => dispatch({ type: 'check-failed', profileId, version: checkWanted, error: shownError(e) }),
    );
  }, [api, profileId, checkWanted, options]);

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
  const onSelect = useCallback((s: Selection) => dispatch({ type: 'select', selection: s }), []);
  const onRunStep = useCallback((stepId: string) => dispatch({ type: 'run', ask: { kind: 'step', stepId } }), []);
  const onRetryNode = useCallback((nodeId: string) => dispatch({ type: 'run', ask: { kind: 'retry-node', nodeId } }), []);
  const onSkip = useCallback((stepId: string) => dispatch({ type: 'skip-asked', stepId }), []);
  const onUnskip = useCallback((stepId: string) => dispatch({ type: 'unskip', stepId }), []);
  const onFilter = useCallback((filter: LogFilter) => dispatch({ type: 'log-filter', filter }), []);
  const errText = (e: ShownError) => (typeof e.text === 'string' ? e.text : pick(e.text));

  if (profiles && profiles.length === 0) {
    return (
      <section data-testid="page-walkthrough">
        <Typography.Title level={3}>{t('page.walkthrough.title')}</Typography.Title>
        {state.error && <Alert type="error" showIcon title={errText(state.error)} style={{ marginBottom: 16 }} />}
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

  const enabled = canRun(state);
  return (
    <section
      data-testid="page-walkthrough"
      data-profile={profileId ?? ''}
      data-run={run?.runId ?? ''}
      data-run-state={run?.state ?? 'none'}
      data-active={isActive(state) ? 'true' : 'false'}
      data-runs={state.runs?.length ?? 0}
      data-stops={state.live.stops}
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
            <Typography.Text type="secondary">
              {t('walk.run.label', { time: new Date(run.createdAt).toLocaleString(locale) })}
            </Typography.Text>
            <RunStateTag state={run.state} testId="walk-run-state" />
          </Space>
        )}
      </Space>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('walk.intro')}
      </Typography.Paragraph>

      {state.error && (
        <Alert
          type="error"
          showIcon
          closable
          onClose={() => dispatch({ type: 'error-dismissed' })}
          title={errText(state.error)}
          data-testid="walk-error"
          data-code={state.error.code ?? ''}
        />
      )}
      {state.planError && (
        <Alert
          type="error"
          showIcon
          title={t('walk.plan.failed')}
          description={errText(state.planError)}
          data-testid="walk-plan-error"
          data-code={state.planError.code ?? ''}
        />
      )}
      {!profileId && profiles && <Empty description={<span data-testid="empty-description">{t('walk.chooseProfile')}</span>} />}

      {plan && <RunOutcome plan={plan} run={run} runs={state.runs} view={view} onSelect={onSelect} toast={toast} />}

      {plan && profileId && (
        <>
          <RunControls state={state} plan={plan} dispatch={dispatch} onCancel={() => void cancel()} />

          <Card size="small" title={t('walk.grid.title')} data-testid="walk-steps">
            {state.check && <CheckSummary check={state.check} onDismiss={() => dispatch({ type: 'check-dismissed' })} />}
            <StepGrid
              plan={plan}
              run={run}
              check={state.check}
              progress={state.live.progress}
              selection={selection}
              skips={skips}
              onSelect={onSelect}
            />
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
                  log={state.live.log}
                  previewVersion={state.previewVersion}
                  options={state.options}
                  canRun={enabled}
                  skipReason={skips[step.id]}
                  onSelect={onSelect}
                  onRunStep={onRunStep}
                  onSkip={onSkip}
                  onUnskip={onUnskip}
                  onRetryNode={onRetryNode}
                />
              )}
            </Col>
            <Col xs={24} xl={10}>
              <Card size="small" title={t('walk.log.title')}>
                <LogPanel
                  plan={plan}
                  log={state.live.log}
                  logTotal={state.live.logTotal}
                  progress={state.live.progress}
                  filter={state.logFilter}
                  onFilter={onFilter}
                />
              </Card>
            </Col>
          </Row>

          <Card size="small" title={t('walk.history.title')}>
            <RunHistory
              runs={historyRows(state)}
              currentRunId={state.currentRunId}
              canRun={enabled}
              onOpen={(runId) => dispatch({ type: 'open-run', runId })}
              onResume={(runId) => dispatch({ type: 'run', ask: { kind: 'resume', runId } })}
            />
          </Card>
        </>
      )}

      {state.skipFor && plan && (
        <SkipDialog
          stepTitle={pick(plan.steps.find((s) => s.id === state.skipFor)?.title ?? { en: state.skipFor, 'zh-CN': state.skipFor })}
          onCancel={() => dispatch({ type: 'skip-cancelled' })}
          onConfirm={(reason) => dispatch({ type: 'skip-confirmed', reason })}
        />
      )}
      {flow?.step === 'reset-consent' && (
        <ResetConfirmDialog
          host={view?.profile.database.host ?? ''}
          onCancel={() => dispatch({ type: 'reset-cancelled' })}
          onConfirm={(typed) => dispatch({ type: 'reset-confirmed', typed })}
        />
      )}
      {flow?.step === 'disruption-consent' && plan && (
        <DisruptionDialog
          plan={plan}
          disruptions={flow.disruptions}
          onCancel={() => dispatch({ type: 'disruption-cancelled' })}
          onConfirm={() => dispatch({ type: 'disruption-confirmed' })}
        />
      )}
      {flow?.step === 'vault-unlock' && (
        <VaultDialog
          client={api}
          mode="unlock"
          onCancel={() => dispatch({ type: 'vault-cancelled' })}
          onDone={() => dispatch({ type: 'vault-unlocked' })}
        />
      )}
    </section>
  );
}
