/** The hosts an OpenSSH client config gave: the operator picks the cluster's nodes and sees what was skipped and why. */
import { Alert, Button, Checkbox, Empty, Modal, Radio, Space, Typography } from 'antd';
import { useState } from 'react';
import type { ProfileDraft, SshConfigImport, SshHostCandidate } from '../../../shared/api/types';
import { fill } from '../../../shared/i18n/localized';
import { useI18n } from '../../i18n';
import { messages } from '../../i18n/messages';
import { MAX_JUMP_HOSTS } from './draft';
import { draftFromSshHosts, MAX_NODES, tooManyHops } from './ssh-import';

const endpoint = (h: { host: string; port: number; user?: string | undefined }) =>
  `${h.user ? `${h.user}@` : ''}${h.host.includes(':') ? `[${h.host}]` : h.host}${h.port === 22 ? '' : `:${h.port}`}`;

export function SshHostPicker({
  source,
  result,
  busy,
  error,
  onBack,
  onClose,
  onCreate,
}: {
  source: string;
  result: SshConfigImport;
  busy: boolean;
  error: string | null;
  onBack: () => void;
  onClose: () => void;
  onCreate: (draft: ProfileDraft) => void;
}) {
  const { t, pick } = useI18n();
  const usable = result.hosts.filter((h) => !tooManyHops(h));
  const [chosen, setChosen] = useState<ReadonlySet<string>>(() => new Set(usable.slice(0, MAX_NODES).map((h) => h.alias)));
  const [generation, setGeneration] = useState<'v1' | 'v2'>('v2');
  const toggle = (alias: string, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(alias);
    else next.delete(alias);
    setChosen(next);
  };
  const create = () =>
    onCreate(
      draftFromSshHosts(result, chosen, generation, fill(messages['profiles.import.ssh.note'], { source }), (line, message) => ({
        en: fill(messages['profiles.import.ssh.line'], { line, message: message.en }).en,
        'zh-CN': fill(messages['profiles.import.ssh.line'], { line, message: message['zh-CN'] })['zh-CN'],
      })),
    );

  const details = (h: SshHostCandidate) =>
    [
      endpoint(h),
      h.identityFile && t('profiles.import.ssh.key', { path: h.identityFile }),
      h.proxyJump?.length && t('profiles.import.ssh.via', { hops: h.proxyJump.map(endpoint).join(' → ') }),
      tooManyHops(h) && t('profiles.import.ssh.tooManyHops', { count: h.proxyJump!.length, max: MAX_JUMP_HOSTS }),
    ]
      .filter(Boolean)
      .join(' · ');

  return (
    <Modal
      open
      title={t('profiles.import.ssh.title', { source })}
      onCancel={onClose}
      width={720}
      footer={
        <Space>
          <Button onClick={onBack} data-testid="import-ssh-back">
            {t('profiles.import.ssh.back')}
          </Button>
          <Button type="primary" loading={busy} disabled={chosen.size === 0} onClick={create} data-testid="import-ssh-create">
            {t('profiles.import.ssh.create', { count: chosen.size })}
          </Button>
        </Space>
      }
    >
      <div data-testid="import-ssh-hosts">
        {result.hosts.length === 0 ? (
          <Empty description={t('profiles.import.ssh.none')} data-testid="import-ssh-none" />
        ) : (
          <>
            <Typography.Paragraph>{t('profiles.import.ssh.pick', { max: MAX_NODES })}</Typography.Paragraph>
            <Space orientation="vertical" style={{ width: '100%' }}>
              {result.hosts.map((h) => {
                const blocked = tooManyHops(h);
                const checked = chosen.has(h.alias);
                return (
                  <div key={h.alias} data-testid="import-ssh-host" data-alias={h.alias}>
                    <Checkbox
                      checked={checked && !blocked}
                      disabled={blocked || (!checked && chosen.size >= MAX_NODES)}
                      onChange={(e) => toggle(h.alias, e.target.checked)}
                    >
                      <Typography.Text strong>{h.alias}</Typography.Text>{' '}
                      <Typography.Text type={blocked ? 'danger' : 'secondary'}>{details(h)}</Typography.Text>
                    </Checkbox>
                  </div>
                );
              })}
            </Space>
            <Typography.Paragraph style={{ marginTop: 16, marginBottom: 8 }}>{t('profiles.import.ssh.generation')}</Typography.Paragraph>
            <Radio.Group value={generation} onChange={(e) => setGeneration(e.target.value as 'v1' | 'v2')}>
              {(['v2', 'v1'] as const).map((g) => (
                <Radio key={g} value={g} data-testid={`import-ssh-${g}`}>
                  {t(`profiles.gen.${g}`)}
                </Radio>
              ))}
            </Radio.Group>
          </>
        )}
        {result.patterns.length > 0 && (
          <Alert
            type="info"
            showIcon
            style={{ marginTop: 16 }}
            title={t('profiles.import.ssh.patterns')}
            data-testid="import-ssh-patterns"
            description={
              <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                {result.patterns.map((p, i) => (
                  <li key={i}>{t('profiles.import.ssh.line', { line: p.line, message: `Host ${p.patterns.join(' ')}` })}</li>
                ))}
              </ul>
            }
          />
        )}
        {result.warnings.length > 0 && (
          <Alert
            type="warning"
            showIcon
            style={{ marginTop: 16 }}
            title={t('profiles.import.ssh.skipped')}
            data-testid="import-ssh-warnings"
            description={
              <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                {result.warnings.map((w, i) => (
                  <li key={i}>{t('profiles.import.ssh.line', { line: w.line, message: pick(w.message) })}</li>
                ))}
              </ul>
            }
          />
        )}
        {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} data-testid="dialog-error" />}
      </div>
    </Modal>
  );
}
