import { Col, Row } from 'antd';
import { memo } from 'react';
import { useI18n } from '../../../i18n';
import { useDraft, useEditor } from '../EditorContext';
import { CertificateFacts, CertificateTools, useKeyFile } from './Certificate';
import { SecretPathField, SelectField, TextField } from '../fields';
import { Section } from '../Section';
import { half, type SectionProps } from './layout';

export const AccessSection = memo(function AccessSection({ advice }: SectionProps) {
  const { t } = useI18n();
  const https = useDraft((d) => d.access.protocol) === 'https';
  const onNodes = (useDraft((d) => d.access.tlsTermination) ?? 'nodes') === 'nodes';
  const domain = useDraft((d) => d.access.domain);
  const { certificate } = useEditor();
  const [chooseKeyFile, keyDialog] = useKeyFile();
  return (
    <Section id="access" advice={advice}>
      <Row gutter={16}>
        <Col {...half}>
          <TextField path={['access', 'domain']} placeholder="registry.example.com" />
        </Col>
        <Col xs={12} md={6}>
          <SelectField
            path={['access', 'protocol']}
            options={[
              { value: 'https', label: 'HTTPS' },
              { value: 'http', label: 'HTTP' },
            ]}
          />
        </Col>
        {https && (
          <Col xs={12} md={6}>
            <SelectField
              path={['access', 'tlsTermination']}
              options={[
                { value: 'nodes', label: t('f.tls.nodes') },
                { value: 'lb', label: t('f.tls.lb') },
              ]}
            />
          </Col>
        )}
        {https && (
          <Col {...half}>
            <TextField path={['access', 'certificate']} optional multiline placeholder="-----BEGIN CERTIFICATE-----" />
            <CertificateTools />
          </Col>
        )}
        {https && onNodes && (
          <Col {...half}>
            <SecretPathField path={['access', 'privateKey']} multiline onChooseFile={chooseKeyFile} />
            {keyDialog}
          </Col>
        )}
        {https && certificate && (
          <Col span={24} style={{ marginTop: 12 }}>
            <CertificateFacts certificate={certificate} domain={domain} />
          </Col>
        )}
      </Row>
    </Section>
  );
});
