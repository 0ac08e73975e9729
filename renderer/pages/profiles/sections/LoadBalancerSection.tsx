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
  const kind = useDraft((d) => d.loadBalancer.kind);
  return (
    <Section id="loadBalancer" advice={advice}>
      <Row gutter={16}>
        <Col {...half}>
          <SelectField
            path={['loadBalancer', 'kind']}
            options={[
              { value: 'clb', label: t('f.lb.clb') },
              { value: 'alb', label: t('f.lb.alb') },
              { value: 'self-hosted', label: t('f.lb.self') },
            ]}
            onSelect={(k) => update((d) => setLoadBalancerKind(d, k))}
          />
        </Col>
        {kind === 'clb' && (
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
              <TextField path={['loadBalancer', 'instanceId']} optional placeholder="lb-2zeabc123" />
            </Col>
            <Col {...half}>
              <TextField path={['loadBalancer', 'publicAddress']} optional />
            </Col>
            <Col {...half}>
              <TextField path={['loadBalancer', 'privateAddress']} optional />
            </Col>
          </>
        )}
        {kind === 'alb' && (
          <>
            <Col {...half}>
              <TextField path={['loadBalancer', 'instanceId']} optional placeholder="alb-o9ulmq5hgn68jk0ln4" />
            </Col>
            <Col {...half}>
              <TextField path={['loadBalancer', 'serverGroupId']} optional placeholder="sgp-8ilqs4axp6xxxxxxxx" />
            </Col>
            <Col {...half}>
              <TextField path={['loadBalancer', 'dnsName']} optional />
            </Col>
          </>
        )}
        {kind === 'self-hosted' && (
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
