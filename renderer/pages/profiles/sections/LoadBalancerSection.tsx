import { Col, Row } from 'antd';
import { memo } from 'react';
import { useI18n } from '../../../i18n';
import { setLoadBalancerKind } from '../draft';
import { useDraft, useEditor } from '../EditorContext';
import { SelectField, TextField } from '../fields';
import { Section } from '../Section';
import { half, type SectionProps } from './layout';

export const LoadBalancerSection = memo(function LoadBalancerSection({ advice }: SectionProps) {
  const { t } = useI18n();
  const { update } = useEditor();
  const lb = { kind: useDraft((d) => d.loadBalancer.kind) };
  return (
    <Section id="loadBalancer" advice={advice}>
      <Row gutter={16}>
        <Col {...half}>
          <SelectField
            path={['loadBalancer', 'kind']}
            options={[
              { value: 'aliyun-slb', label: t('f.lb.aliyun') },
              { value: 'self-hosted', label: t('f.lb.self') },
            ]}
            onSelect={(k) => update((d) => setLoadBalancerKind(d, k))}
          />
        </Col>
        {lb.kind === 'aliyun-slb' ? (
          <>
            <Col {...half}>
              <SelectField
                path={['loadBalancer', 'listener']}
                options={[
                  { value: 'tcp', label: 'TCP' },
                  { value: 'http', label: 'HTTP / HTTPS' },
                ]}
              />
            </Col>
            <Col {...half}>
              <TextField path={['loadBalancer', 'slbId']} optional placeholder="lb-2zeabc123" />
            </Col>
            <Col {...half}>
              <TextField path={['loadBalancer', 'publicAddress']} optional />
            </Col>
            <Col {...half}>
              <TextField path={['loadBalancer', 'privateAddress']} optional />
            </Col>
          </>
        ) : (
          <>
            <Col {...half}>
              <TextField path={['loadBalancer', 'address']} />
            </Col>
            <Col {...half}>
              <SelectField
                path={['loadBalancer', 'software']}
                options={(['haproxy', 'nginx', 'keepalived', 'other'] as const).map((v) => ({ value: v, label: v }))}
              />
            </Col>
          </>
        )}
      </Row>
    </Section>
  );
});
