import { Col, Row } from 'antd';
import { memo } from 'react';
import { TextField } from '../fields';
import { Section } from '../Section';
import { half, type SectionProps } from './layout';

export const GeneralSection = memo(function GeneralSection({ advice }: SectionProps) {
  return (
    <Section id="general" advice={advice}>
      <Row gutter={16}>
        <Col {...half}>
          <TextField path={['name']} />
        </Col>
        <Col {...half}>
          <TextField path={['description']} />
        </Col>
      </Row>
    </Section>
  );
});
