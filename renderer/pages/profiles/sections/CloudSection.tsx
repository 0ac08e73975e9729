import { Button, Col, Collapse, Row } from 'antd';
import { memo } from 'react';
import { CLOUD_PRODUCTS } from '../../../../shared/profile/schema';
import { useI18n } from '../../../i18n';
import { setCloud } from '../draft';
import { useDraft, useEditor } from '../EditorContext';
import { SecretPathField, TextField } from '../fields';
import { Section } from '../Section';
import { half, type SectionProps } from './layout';

/** The operator's Aliyun account, for the app alone: the load balancer's backends and the RDS/Redis whitelists. */
export const CloudSection = memo(function CloudSection({ advice }: SectionProps) {
  const { t } = useI18n();
  const { update } = useEditor();
  const on = useDraft((d) => !!d.cloud);
  return (
    <Section
      id="cloud"
      advice={advice}
      extra={
        <Button onClick={() => update((d) => setCloud(d, !on))} data-testid="cloud-toggle">
          {t(on ? 'editor.cloud.remove' : 'editor.cloud.add')}
        </Button>
      }
    >
      {on && (
        <Row gutter={16}>
          <Col {...half}>
            <TextField path={['cloud', 'region']} placeholder="cn-hangzhou" />
          </Col>
          <Col {...half}>
            <TextField path={['cloud', 'roleArn']} optional placeholder="acs:ram::123456789012:role/harbor-ops" />
          </Col>
          <Col {...half}>
            <TextField path={['cloud', 'accessKeyId']} />
          </Col>
          <Col {...half}>
            <SecretPathField path={['cloud', 'accessKeySecret']} />
          </Col>
          <Col span={24}>
            <Collapse
              size="small"
              ghost
              items={[
                {
                  key: 'endpoints',
                  label: t('editor.cloud.endpoints'),
                  children: (
                    <Row gutter={16}>
                      {CLOUD_PRODUCTS.map((product) => (
                        <Col {...half} key={product}>
                          <TextField path={['cloud', 'endpoints', product]} optional />
                        </Col>
                      ))}
                      <Col span={24}>
                        <TextField path={['cloud', 'caCertificate']} optional multiline placeholder="-----BEGIN CERTIFICATE-----" />
                      </Col>
                    </Row>
                  ),
                },
              ]}
            />
          </Col>
        </Row>
      )}
    </Section>
  );
});
