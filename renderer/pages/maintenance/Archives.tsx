/**
 * This cluster's archives in the chosen folder, newest first, each verifiable (the core decrypts it and checks every
 * member against its manifest, and the dialog shows what it holds) and restorable (RestoreDialog).
 */
import { Button, Card, Descriptions, Space, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { ArchiveEntry, ArchiveReport } from '../../../shared/api/contracts/maintenance';
import { useApi } from '../../api/context';
import { useI18n } from '../../i18n';
import { formatBytes } from '../walkthrough/model';
import { PassphraseDialog } from './PassphraseDialog';

export function Archives({
  profileId,
  folder,
  version,
  onError,
  onRestore,
}: {
  profileId: string;
  folder: string;
  version: number;
  onError: (e: unknown) => void;
  /** Restore this archive (null: an archive to be named, e.g. another cluster's for a drill); the list is offered. */
  onRestore: (file: string | null, archives: readonly ArchiveEntry[]) => void;
}) {
  const api = useApi();
  const { t, locale } = useI18n();
  const [archives, setArchives] = useState<readonly ArchiveEntry[] | null>(null);
  const [asked, setAsked] = useState(0);
  const [verifying, setVerifying] = useState<ArchiveEntry | null>(null);
  const [report, setReport] = useState<ArchiveReport | null>(null);

  useEffect(() => {
    if (!folder) return setArchives([]);
    let cancelled = false;
    setArchives(null);
    api.call('maintenance.archives', { profileId, folder }).then(
      (list) => !cancelled && setArchives(list),
      (e: unknown) => {
        if (cancelled) return;
        setArchives([]);
        onError(e);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, profileId, folder, version, asked, onError]);

  return (
    <Card
      title={t('maint.archives.title')}
      size="small"
      extra={
        <Space>
          <Button size="small" data-testid="maint-restore-other" onClick={() => onRestore(null, archives ?? [])}>
            {t('maint.restore.other')}
          </Button>
          <Button size="small" data-testid="maint-archives-refresh" onClick={() => setAsked((n) => n + 1)}>
            {t('maint.archives.refresh')}
          </Button>
        </Space>
      }
    >
      <Table<ArchiveEntry>
        size="small"
        rowKey="file"
        data-testid="maint-archives"
        loading={archives === null}
        dataSource={archives ? [...archives] : []}
        pagination={{ pageSize: 8, hideOnSinglePage: true, showSizeChanger: false }}
        locale={{ emptyText: t('maint.archives.empty') }}
        onRow={(a) => ({ 'data-testid': 'maint-archive', 'data-name': a.name }) as never}
        columns={[
          { title: t('maint.archives.name'), dataIndex: 'name', render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
          { title: t('maint.archives.size'), dataIndex: 'size', width: 100, render: (v: number) => formatBytes(v) },
          {
            title: t('maint.archives.time'),
            dataIndex: 'modifiedAt',
            width: 190,
            render: (v: string) => new Date(v).toLocaleString(locale),
          },
          {
            title: '',
            width: 170,
            render: (_: unknown, a) => (
              <Space size={4}>
                <Button
                  size="small"
                  data-testid="maint-verify"
                  onClick={() => {
                    setReport(null);
                    setVerifying(a);
                  }}
                >
                  {t('maint.verify')}
                </Button>
                <Button size="small" danger data-testid="maint-restore" onClick={() => onRestore(a.file, archives ?? [])}>
                  {t('maint.restore')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      {verifying && (
        <PassphraseDialog
          title={t('maint.verify.title', { name: verifying.name })}
          help={t('maint.verify.help')}
          onCancel={() => setVerifying(null)}
          onSubmit={async (passphrase) => setReport(await api.call('maintenance.verify', { file: verifying.file, passphrase }))}
        >
          {report && (
            <div data-testid="maint-report" style={{ marginTop: 12 }}>
              <Typography.Paragraph type="success" data-testid="maint-report-ok">
                {t('maint.verify.ok', {
                  parts: String(report.parts.length),
                  bytes: formatBytes(report.bytes),
                  version: report.harborVersion,
                  time: new Date(report.createdAt).toLocaleString(locale),
                })}
              </Typography.Paragraph>
              <Descriptions
                size="small"
                column={1}
                items={[{ key: 'oss', label: 'OSS', children: t('maint.verify.storage', { state: report.storage.versioning }) }]}
              />
              <Table
                size="small"
                rowKey="name"
                pagination={false}
                dataSource={[...report.parts]}
                columns={[
                  {
                    title: t('maint.verify.member'),
                    dataIndex: 'name',
                    render: (v: string) => <Typography.Text code>{v.replace(/^harbor-backup\//, '')}</Typography.Text>,
                  },
                  { title: t('maint.verify.kind'), dataIndex: 'kind', width: 90 },
                  { title: t('maint.archives.size'), dataIndex: 'size', width: 90, render: (v: number) => formatBytes(v) },
                ]}
              />
            </div>
          )}
        </PassphraseDialog>
      )}
    </Card>
  );
}
