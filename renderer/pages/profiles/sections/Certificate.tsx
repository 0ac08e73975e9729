/**
 * TLS material in the form: the certificate as text or from a file, the key from a masked box or a file (read by the
 * core, never sent here), what the certificate says (names, expiry, whether the key matches), and a key with a
 * self-signed certificate or a CSR made by the core for the domain.
 */
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, Button, Descriptions, InputNumber, Modal, Radio, Space, Tag, Typography, message } from 'antd';
import { useState, type ReactNode } from 'react';
import type { CertificateSummary } from '../../../../shared/api/types';
import { ApiError } from '../../../../shared/errors';
import type { SecretInput } from '../../../../shared/profile/fields';
import { useApi } from '../../../api/context';
import { downloadText } from '../../../components/download';
import { useI18n } from '../../../i18n';
import { setAt } from '../draft';
import { useDraft, useEditor } from '../EditorContext';
import { usePickFile } from '../LocalFiles';

const DAY = 86_400_000;

/** Reads a key file in the core and answers the staged token for the draft. */
export function useKeyFile(): [() => Promise<SecretInput | null>, ReactNode] {
  const api = useApi();
  const [pick, dialog] = usePickFile();
  const choose = async (): Promise<SecretInput | null> => {
    const path = await pick('privateKey');
    if (!path) return null;
    return api.call('files.stagePrivateKey', { path });
  };
  return [choose, dialog];
}

/** "Choose file…" and "Generate…" beside the certificate. */
export function CertificateTools() {
  const api = useApi();
  const { t, pick: say } = useI18n();
  const { update } = useEditor();
  const domain = useDraft((d) => d.access.domain);
  const [toast, toastHolder] = message.useMessage();
  const [pickFile, pickDialog] = usePickFile();
  const [generating, setGenerating] = useState(false);
  const [csr, setCsr] = useState<string | null>(null);
  const fail = (e: unknown) => void toast.error(e instanceof ApiError ? say(e.localized) : String(e));

  const fromFile = async () => {
    const path = await pickFile('certificate');
    if (!path) return;
    const { certificate } = await api.call('files.readCertificate', { path });
    update((d) => setAt(d, ['access', 'certificate'], certificate));
  };

  return (
    <Space wrap>
      {toastHolder}
      {pickDialog}
      <Button onClick={() => void fromFile().catch(fail)} data-testid="cert-file">
        {t('secret.chooseFile')}
      </Button>
      <Button icon={<SafetyCertificateOutlined />} onClick={() => setGenerating(true)} data-testid="cert-generate">
        {t('tls.generate')}
      </Button>
      {generating && (
        <GenerateDialog
          domain={domain}
          onClose={() => setGenerating(false)}
          onDone={(made) => {
            setGenerating(false);
            update((d) => {
              const withKey = setAt(d, ['access', 'privateKey'], made.privateKey);
              return made.certificate ? setAt(withKey, ['access', 'certificate'], made.certificate) : withKey;
            });
            if (made.csr) setCsr(made.csr);
            else void toast.success(t('tls.generate.done'));
          }}
        />
      )}
      <Modal
        open={csr !== null}
        title={t('tls.csr.title')}
        onCancel={() => setCsr(null)}
        footer={
          <Space>
            <CsrButtons csr={csr ?? ''} domain={domain} />
            <Button type="primary" onClick={() => setCsr(null)}>
              {t('common.ok')}
            </Button>
          </Space>
        }
      >
        <Typography.Paragraph>{t('tls.csr.body')}</Typography.Paragraph>
        <pre data-testid="csr-text" style={{ fontSize: 11, maxHeight: 240, overflow: 'auto' }}>
          {csr}
        </pre>
      </Modal>
    </Space>
  );
}

/** Copy and download of a CSR made by the core (here, and in the Maintenance page's certificate rotation). */
export function CsrButtons({ csr, domain }: { csr: string; domain: string }) {
  const { t } = useI18n();
  return (
    <>
      <Button onClick={() => void navigator.clipboard.writeText(csr)} data-testid="csr-copy">
        {t('tls.csr.copy')}
      </Button>
      <Button onClick={() => downloadText(`${domain || 'registry'}.csr`, csr, 'application/pkcs10')} data-testid="csr-download">
        {t('tls.csr.download')}
      </Button>
    </>
  );
}

function GenerateDialog({
  domain,
  onClose,
  onDone,
}: {
  domain: string;
  onClose: () => void;
  onDone: (made: { certificate?: string; csr?: string; privateKey: { staged: string } }) => void;
}) {
  const api = useApi();
  const { t, pick } = useI18n();
  const [kind, setKind] = useState<'self-signed' | 'csr'>('self-signed');
  const [days, setDays] = useState(365);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ok = domain.trim() !== '';
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      onDone(await api.call('tls.generate', { domain: domain.trim(), kind, days }));
    } catch (e) {
      setError(e instanceof ApiError ? pick(e.localized) : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={t('tls.generate.title', { domain: domain || '…' })}
      okText={t('tls.generate.ok')}
      cancelText={t('common.cancel')}
      onOk={() => void run()}
      onCancel={onClose}
      confirmLoading={busy}
      okButtonProps={{ disabled: !ok, 'data-testid': 'generate-ok' }}
    >
      {!ok && <Alert type="warning" showIcon title={t('tls.generate.needDomain')} style={{ marginBottom: 12 }} />}
      <Radio.Group value={kind} onChange={(e) => setKind(e.target.value as 'self-signed' | 'csr')} style={{ width: '100%' }}>
        <Space orientation="vertical">
          <Radio value="self-signed" data-testid="generate-self-signed">
            {t('tls.generate.selfSigned')}
            <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
              {t('tls.generate.selfSigned.help')}
            </Typography.Paragraph>
          </Radio>
          <Radio value="csr" data-testid="generate-csr">
            {t('tls.generate.csr')}
            <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
              {t('tls.generate.csr.help')}
            </Typography.Paragraph>
          </Radio>
        </Space>
      </Radio.Group>
      {kind === 'self-signed' && (
        <Space>
          <label htmlFor="generate-days">{t('tls.generate.days')}</label>
          <InputNumber id="generate-days" min={1} max={3650} value={days} onChange={(v) => setDays(typeof v === 'number' ? v : 365)} />
        </Space>
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
    </Modal>
  );
}

/** What the certificate in the form says, as the core read it. */
export function CertificateFacts({ certificate, domain }: { certificate: CertificateSummary; domain: string }) {
  const { t } = useI18n();
  const to = new Date(certificate.notAfter);
  const daysLeft = Math.floor((to.getTime() - Date.now()) / DAY);
  const date = (iso: string) => iso.slice(0, 10);
  const host = domain.replace(/:\d+$/, '');
  return (
    <Descriptions size="small" column={1} bordered data-testid="cert-facts" style={{ marginBottom: 16 }}>
      <Descriptions.Item label={t('tls.cert.subject')}>{certificate.subject}</Descriptions.Item>
      <Descriptions.Item label={t('tls.cert.names')}>
        <span data-testid="cert-names">{certificate.names.join(', ') || '—'}</span>{' '}
        <Tag color={certificate.coversDomain ? 'green' : 'red'} data-testid="cert-domain">
          {t(certificate.coversDomain ? 'tls.cert.domainOk' : 'tls.cert.domainBad', { domain: host || '—' })}
        </Tag>
      </Descriptions.Item>
      <Descriptions.Item label={t('tls.cert.issuer')}>
        {certificate.issuer} {certificate.selfSigned && <Tag color="orange">{t('tls.cert.selfSigned')}</Tag>}
        {certificate.chainLength > 1 && <Tag>{t('tls.cert.chain', { count: certificate.chainLength })}</Tag>}
      </Descriptions.Item>
      <Descriptions.Item label={t('tls.cert.validity')}>
        <Tag color={daysLeft < 0 ? 'red' : daysLeft < 30 ? 'orange' : 'green'} data-testid="cert-expiry">
          {daysLeft < 0
            ? t('tls.cert.expired', { to: date(certificate.notAfter) })
            : t('tls.cert.validRange', { from: date(certificate.notBefore), to: date(certificate.notAfter), days: daysLeft })}
        </Tag>
      </Descriptions.Item>
      <Descriptions.Item label={t('tls.cert.fingerprint')}>
        <Typography.Text code style={{ fontSize: 11 }}>
          {certificate.fingerprint256}
        </Typography.Text>
      </Descriptions.Item>
      <Descriptions.Item label={t('f.access.privateKey')}>
        <Tag
          color={certificate.keyMatches === null ? 'default' : certificate.keyMatches ? 'green' : 'red'}
          data-testid="cert-key"
          data-state={certificate.keyMatches === null ? 'unknown' : certificate.keyMatches ? 'match' : 'mismatch'}
        >
          {t(certificate.keyMatches === null ? 'tls.cert.keyUnknown' : certificate.keyMatches ? 'tls.cert.keyOk' : 'tls.cert.keyBad')}
        </Tag>
      </Descriptions.Item>
    </Descriptions>
  );
}
