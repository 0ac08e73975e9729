import { Col, Row } from 'antd';
import { memo } from 'react';
import { SecretPathField, SwitchField, TextField } from '../fields';
import { ServiceTest } from '../NodeTest';
import { Section } from '../Section';
import { half, type SectionProps } from './layout';

export const OssSection = memo(function OssSection({ advice }: SectionProps) {
  return (
    <Section id="oss" advice={advice}>
      <Row gutter={16}>
        <Col {...half}>
          <TextField path={['oss', 'region']} placeholder="cn-beijing" />
        </Col>
        <Col {...half}>
          <TextField path={['oss', 'bucket']} />
        </Col>
        <Col {...half}>
          <TextField path={['oss', 'accessKeyId']} />
        </Col>
        <Col {...half}>
          <SecretPathField path={['oss', 'accessKeySecret']} />
        </Col>
        <Col {...half}>
          <TextField path={['oss', 'rootDirectory']} />
        </Col>
        <Col {...half}>
          <TextField path={['oss', 'endpoint']} optional />
        </Col>
        <Col xs={12} md={6}>
          <SwitchField path={['oss', 'internal']} />
        </Col>
        <Col xs={12} md={6}>
          <SwitchField path={['oss', 'redirectDisabled']} />
        </Col>
        <Col xs={12} md={6}>
          <SwitchField path={['oss', 'secure']} />
        </Col>
        <Col xs={12} md={6}>
          <SwitchField path={['oss', 'encrypt']} />
        </Col>
        <Col span={24}>
          <ServiceTest service="oss" />
        </Col>
      </Row>
    </Section>
  );
});
