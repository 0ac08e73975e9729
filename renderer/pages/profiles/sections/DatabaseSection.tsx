import { Col, Row, Tag } from 'antd';
import { memo } from 'react';
import { useDraft } from '../EditorContext';
import { Field, NumberField, SecretPathField, SelectField, TextField } from '../fields';
import { Section } from '../Section';
import { half, type SectionProps } from './layout';

export const DatabaseSection = memo(function DatabaseSection({ advice }: SectionProps) {
  const pg = useDraft((d) => d.database.engine) === 'postgresql';
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
      </Row>
    </Section>
  );
});
