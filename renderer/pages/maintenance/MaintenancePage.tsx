/**
 * Maintenance: day-two work on a deployed cluster. Today the backup: the folder and retention (remembered per
 * cluster by the core), the passphrase typed twice and never kept, the run as it happens (BackupRunPanel), the runs
 * so far, and the archives in the folder with their verification (Archives). The core does the work as a run of the
 * deployment engine; this page only asks and shows.
 */
import { Alert, Button, Card, Col, Empty, Form, Input, InputNumber, Row, Select, Space, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { OperationId, Plan, RunView } from '../../../shared/api/contracts/deploy';
import type { ArchiveEntry } from '../../../shared/api/contracts/maintenance';
import type { ProfileSummary } from '../../../shared/api/types';
import { ApiError } from '../../../shared/errors';
import { useApi } from '../../api/context';
import { useScrubbedMarkup } from '../../components/scrub-markup';
import { useI18n } from '../../i18n';
import { Archives } from './Archives';
import { BackupHistory } from './BackupHistory';
import { BackupRunPanel } from './BackupRunPanel';
import { CertificatePanel } from './CertificatePanel';
import { NewPassphrase } from './NewPassphrase';
import { PassphraseDialog } from './PassphraseDialog';
import { RestoreDialog } from './RestoreDialog';
import { UpgradePanel } from './UpgradePanel';
import './maintenance.css';

const STORE = 'harbor.maintenance.profile';
const MIN_PASSPHRASE = 8;
/** The runs this page shows and follows. */
const MAINTENANCE_RUNS = ['backup', 'restore', 'upgrade', 'rotate-cert'] as const satisfies readonly OperationId[];

function remembered(): string | null {
  try {
    return localStorage.getItem(STORE);
  } catch {
    return null;
  }
}

export function MaintenancePage() {
  const api = useApi();
  const { t, pick } = useI18n();
  const [profiles, setProfiles] = useState<readonly ProfileSummary[] | null>(null);
  const [profileId, setProfileId] = useState<string | null>(null);
  const [plans, setPlans] = useState<Partial<Record<OperationId, Plan>>>({});
  const [runs, setRuns] = useState<readonly RunView[] | null>(null);
  const [shownRunId, setShownRunId] = useState<string | null>(null);
  const [folder, setFolder] = useState('');
  const [keep, setKeep] = useState(7);
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [tried, setTried] = useState(false);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [resuming, setResuming] = useState<string | null>(null);
  const [archivesVersion, setArchivesVersion] = useState(0);
  const [restoring, setRestoring] = useState<{
    file: string | null;
    archives: readonly ArchiveEntry[];
    resumeRunId?: string;
    rollbackRunId?: string;
  } | null>(null);
  // An upgrade run resumed with the backup passphrase again (one that skipped its backup resumes with its reason).
  const [resumingUpgrade, setResumingUpgrade] = useState<string | null>(null);

  // The passphrase lives in this page's state and the inputs' value property, never in the page's markup.
  const scrubbed = useScrubbedMarkup();
  const showError = useCallback((e: unknown) => setError(e instanceof ApiError ? pick(e.localized) : String(e)), [pick]);

  useEffect(() => {
    api.call('profiles.list', {}).then((list) => {
      setProfiles(list);
      const wanted = remembered();
      const first = list.find((p) => p.id === wanted) ?? (list.length === 1 ? list[0] : undefined);
      if (first) setProfileId(first.id);
    }, showError);
  }, [api, showError]);

  const loadRuns = useCallback(() => {
    if (!profileId) return;
    Promise.all(MAINTENANCE_RUNS.map((operation) => api.call('deploy.runs', { profileId, operation }))).then((lists) => {
      const list = lists.flat().sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      setRuns(list);
      setShownRunId((cur) => cur ?? list[0]?.runId ?? null);
    }, showError);
    setArchivesVersion((v) => v + 1);
  }, [api, profileId, showError]);

  // A cluster chosen: its backup plan, its settings, its runs.
  useEffect(() => {
    if (!profileId) return;
    setPlans({});
    setRuns(null);
    setShownRunId(null);
    setError(null);
    for (const operation of MAINTENANCE_RUNS)
      api.call('deploy.plan', { profileId, operation }).then((plan) => setPlans((cur) => ({ ...cur, [operation]: plan })), showError);
    api.call('maintenance.backupSettings', { profileId }).then((s) => {
      setFolder(s.folder ?? '');
      setKeep(s.keep);
    }, showError);
    loadRuns();
  }, [api, profileId, loadRuns, showError]);

  const choose = (id: string) => {
    setProfileId(id);
    try {
      localStorage.setItem(STORE, id);
    } catch {
      /* private mode: not remembered */
    }
  };

  const problems = {
    folder: folder.trim() ? null : t('maint.backup.folderMissing'),
    passphrase: passphrase.length >= MIN_PASSPHRASE ? null : t('maint.backup.short'),
    repeat: repeat === passphrase ? null : t('maint.backup.mismatch'),
  };
  const shows = (field: keyof typeof problems) => (tried ? problems[field] : null);
  const busy = sending || !!runs?.some((r) => r.active);
  const shownRun = runs?.find((r) => r.runId === shownRunId);

  const start = async () => {
    setTried(true);
    if (!profileId || Object.values(problems).some(Boolean)) return;
    setSending(true);
    setError(null);
    try {
      const { runId } = await api.call('maintenance.backup', { profileId, folder: folder.trim(), keep, passphrase });
      setPassphrase('');
      setRepeat('');
      setTried(false);
      setShownRunId(runId);
      loadRuns();
    } catch (e) {
      showError(e);
    } finally {
      setSending(false);
    }
  };

  const resume = async (runId: string, typed: string) => {
    await api.call('maintenance.resumeBackup', { runId, folder: folder.trim(), keep, passphrase: typed });
    setResuming(null);
    setShownRunId(runId);
    loadRuns();
  };

  // A rotation's input is in the profile already: it resumes with nothing asked.
  const resumeRotation = (runId: string) =>
    void api.call('deploy.resume', { runId }).then(() => {
      setShownRunId(runId);
      loadRuns();
    }, showError);

  /** An upgrade's record (its backup's archive, or why it was skipped), for its resume and rollback. */
  const upgradeOf = async (runId: string) =>
    profileId ? (await api.call('maintenance.upgrades', { profileId })).find((u) => u.runId === runId) : undefined;

  const resumeUpgrade = async (runId: string) => {
    try {
      const record = await upgradeOf(runId);
      if (record?.skipped) {
        await api.call('maintenance.resumeUpgrade', { runId, backup: { skip: record.skipped } });
        setShownRunId(runId);
        loadRuns();
      } else setResumingUpgrade(runId);
    } catch (e) {
      showError(e);
    }
  };

  const rollback = async (runId: string) => {
    try {
      const record = await upgradeOf(runId);
      setRestoring({ file: record?.archive ?? null, archives: [], rollbackRunId: runId });
    } catch (e) {
      showError(e);
    }
  };

  if (profiles && profiles.length === 0)
    return (
      <section data-testid="page-maintenance">
        <Empty description={<span data-testid="empty-description">{t('maint.noProfiles')}</span>} />
      </section>
    );

  return (
    <section data-testid="page-maintenance">
      <Typography.Paragraph type="secondary">{t('maint.intro')}</Typography.Paragraph>
      <Space style={{ marginBottom: 16 }}>
        <Typography.Text strong>{t('maint.profile')}</Typography.Text>
        <Select
          data-testid="maint-profile"
          style={{ minWidth: 260 }}
          placeholder={t('maint.chooseProfile')}
          value={profileId ?? undefined}
          loading={profiles === null}
          options={(profiles ?? []).map((p) => ({ value: p.id, label: p.name }))}
          onChange={choose}
        />
      </Space>
      {error && (
        <Alert
          type="error"
          showIcon
          closable
          message={error}
          data-testid="maint-error"
          style={{ marginBottom: 16 }}
          onClose={() => setError(null)}
        />
      )}
      {profileId && (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={10}>
            <Card title={t('maint.backup.title')} size="small" data-testid="maint-backup" ref={scrubbed}>
              <Form layout="vertical" onFinish={() => void start()}>
                <Form.Item
                  label={t('maint.backup.folder')}
                  htmlFor="maint-folder"
                  help={shows('folder') ?? t('maint.backup.folder.help')}
                  validateStatus={shows('folder') ? 'error' : ''}
                >
                  <Input
                    id="maint-folder"
                    data-testid="maint-folder"
                    value={folder}
                    onChange={(e) => setFolder(e.target.value)}
                    spellCheck={false}
                  />
                </Form.Item>
                <Form.Item label={t('maint.backup.keep')} htmlFor="maint-keep" help={t('maint.backup.keep.help')}>
                  <InputNumber id="maint-keep" data-testid="maint-keep" min={1} max={1000} value={keep} onChange={(v) => setKeep(v ?? 1)} />
                </Form.Item>
                <NewPassphrase
                  idPrefix="maint"
                  passphrase={passphrase}
                  repeat={repeat}
                  onPassphrase={setPassphrase}
                  onRepeat={setRepeat}
                  problem={shows}
                  help={t('maint.backup.passphrase.help')}
                />
                <Button type="primary" htmlType="submit" loading={sending} disabled={busy} data-testid="maint-start">
                  {t('maint.backup.start')}
                </Button>
              </Form>
            </Card>
            <CertificatePanel
              profileId={profileId}
              busy={busy}
              onStarted={(runId) => {
                setShownRunId(runId);
                loadRuns();
              }}
            />
            <UpgradePanel
              profileId={profileId}
              folder={folder.trim()}
              keep={keep}
              busy={busy}
              onStarted={(runId) => {
                setShownRunId(runId);
                loadRuns();
              }}
            />
          </Col>
          <Col xs={24} xl={14}>
            <Space direction="vertical" style={{ width: '100%' }} size={16}>
              {shownRunId ? (
                <BackupRunPanel
                  key={shownRunId}
                  runId={shownRunId}
                  plans={plans}
                  newest={runs?.find((r) => r.operation === shownRun?.operation)?.runId === shownRunId}
                  onEnded={loadRuns}
                  onResume={(runId) =>
                    shownRun?.operation === 'restore'
                      ? setRestoring({ file: null, archives: [], resumeRunId: runId })
                      : shownRun?.operation === 'rotate-cert'
                        ? resumeRotation(runId)
                        : shownRun?.operation === 'upgrade'
                          ? void resumeUpgrade(runId)
                          : setResuming(runId)
                  }
                  onRollback={(runId) => void rollback(runId)}
                  onError={showError}
                />
              ) : (
                <Card size="small">
                  <Typography.Text type="secondary" data-testid="maint-no-run">
                    {t('maint.run.none')}
                  </Typography.Text>
                </Card>
              )}
              <BackupHistory runs={runs} shownRunId={shownRunId} onOpen={setShownRunId} />
              <Archives
                profileId={profileId}
                folder={folder.trim()}
                version={archivesVersion}
                onError={showError}
                onRestore={(file, archives) => setRestoring({ file, archives })}
              />
            </Space>
          </Col>
        </Row>
      )}
      {restoring && profileId && (
        <RestoreDialog
          profileId={profileId}
          profileName={profiles?.find((p) => p.id === profileId)?.name ?? profileId}
          file={restoring.file}
          archives={restoring.archives}
          {...(restoring.resumeRunId ? { resumeRunId: restoring.resumeRunId } : {})}
          {...(restoring.rollbackRunId ? { rollbackRunId: restoring.rollbackRunId } : {})}
          onCancel={() => setRestoring(null)}
          onStarted={(runId) => {
            setRestoring(null);
            setShownRunId(runId);
            loadRuns();
          }}
        />
      )}
      {resumingUpgrade && (
        <PassphraseDialog
          title={t('maint.backup.resume')}
          help={t('maint.backup.resume.help')}
          onCancel={() => setResumingUpgrade(null)}
          onSubmit={async (typed) => {
            await api.call('maintenance.resumeUpgrade', {
              runId: resumingUpgrade,
              backup: { folder: folder.trim(), keep, passphrase: typed },
            });
            setResumingUpgrade(null);
            setShownRunId(resumingUpgrade);
            loadRuns();
          }}
        />
      )}
      {resuming && (
        <PassphraseDialog
          title={t('maint.backup.resume')}
          help={t('maint.backup.resume.help')}
          onCancel={() => setResuming(null)}
          onSubmit={(typed) => resume(resuming, typed)}
        />
      )}
    </section>
  );
}
