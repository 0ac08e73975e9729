import { Alert, Col, Row, Tag } from 'antd';
import { databasePortMismatch } from '../../../../shared/profile/port-hints';
import { useI18n } from '../../../i18n';
import { memo } from 'react';
import { useDraft } from '../EditorContext';
import { Field, NumberField, SecretPathField, SelectField, TextField } from '../fields';
import { ServiceTest } from '../NodeTest';
import { Section } from '../Section';
import { half, type SectionProps } from './layout';

export const DatabaseSection = memo(function DatabaseSection({ advice }: SectionProps) {
  const { t } = useI18n();
  const pg = useDraft((d) => d.database.engine) === 'postgresql';
  const port = useDraft((d) => d.database.port);
  const mismatch = databasePortMismatch(pg ? 'postgresql' : 'mysql', port);
  return (
    <Section id="database" advice={advice}>
      <Row gutter={16}>
        <Col xs={24} md={6}>
          <Field path="database.engine">
            <Tag data-testid="database-engine">{pg ? 'PostgreSQL' : 'MySQL'}</Tag>
          </Field>
        </Col>
        <Col xs={24} md={12}>
          <TextField path={['database', 'host']} />
        </Col>
        <Col xs={24} md={6}>
          <NumberField path={['database', 'port']} min={1} max={65535} />
        </Col>
        {mismatch && (
          <Col span={24}>
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 16 }}
              title={t('dbport.mismatch', mismatch)}
              data-testid="database-port-warning"
            />
          </Col>
        )}
        <Col {...half}>
          <TextField path={['database', 'admin', 'user']} />
        </Col>
        <Col {...half}>
          <SecretPathField path={['database', 'admin', 'password']} />
        </Col>
        <Col {...half}>
          <TextField path={['database', 'harbor', 'user']} />
        </Col>
        <Col {...half}>
          <SecretPathField path={['database', 'harbor', 'password']} />
        </Col>
        {pg && (
          <>
            <Col {...half}>
              <TextField path={['database', 'harbor', 'database']} />
            </Col>
            <Col {...half}>
              <SelectField
                path={['database', 'harbor', 'sslMode']}
                options={(['disable', 'require', 'verify-ca', 'verify-full'] as const).map((v) => ({ value: v, label: v }))}
              />
            </Col>
          </>
        )}
        <Col {...half}>
          <TextField path={['database', 'instanceId']} optional placeholder={pg ? 'pgm-2ze8xxxxxxxx' : 'rm-2ze8xxxxxxxx'} />
        </Col>
        <Col span={24}>
          <ServiceTest service="database" />
        </Col>
      </Row>
    </Section>
  );
});
