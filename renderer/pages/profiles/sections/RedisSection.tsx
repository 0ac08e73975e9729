import { Col, Row } from 'antd';
import { memo } from 'react';
import { useI18n } from '../../../i18n';
import { setRedisAuth } from '../draft';
import { useDraft, useEditor } from '../EditorContext';
import { NumberField, SecretPathField, SelectField, TextField } from '../fields';
import { ServiceTest } from '../NodeTest';
import { Section } from '../Section';
import { half, type SectionProps } from './layout';

export const RedisSection = memo(function RedisSection({ advice }: SectionProps) {
  const { t } = useI18n();
  const { update } = useEditor();
  const auth = useDraft((d) => d.redis.auth) ?? 'password';
  const generation = useDraft((d) => d.harbor.generation);
  return (
    <Section id="redis" advice={advice}>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <TextField path={['redis', 'host']} />
        </Col>
        <Col xs={24} md={6}>
          <NumberField path={['redis', 'port']} min={1} max={65535} />
        </Col>
        <Col xs={24} md={6}>
          <SelectField
            path={['redis', 'auth']}
            options={(['none', 'password', 'account', 'acl'] as const).map((v) => ({ value: v, label: t(`f.redis.auth.${v}`) }))}
            onSelect={(v) => update((d) => setRedisAuth(d, v))}
          />
        </Col>
        {(auth === 'account' || auth === 'acl') && (
          <Col {...half}>
            <TextField path={['redis', 'username']} optional />
          </Col>
        )}
        {auth !== 'none' && (
          <Col {...half}>
            <SecretPathField path={['redis', 'password']} />
          </Col>
        )}
        <Col xs={12} md={8}>
          <NumberField path={['redis', 'dbIndexes', 'registry']} min={0} max={255} />
        </Col>
        <Col xs={12} md={8}>
          <NumberField path={['redis', 'dbIndexes', 'jobservice']} min={0} max={255} />
        </Col>
        {generation === 'v2' && (
          <Col xs={12} md={8}>
            <NumberField path={['redis', 'dbIndexes', 'trivy']} min={0} max={255} />
          </Col>
        )}
        <Col {...half}>
          <TextField path={['redis', 'instanceId']} optional placeholder="r-bp1xxxxxxxxx" />
        </Col>
        <Col span={24}>
          <ServiceTest service="redis" />
        </Col>
      </Row>
    </Section>
  );
});
