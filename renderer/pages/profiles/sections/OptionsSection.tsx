import { Col, Row } from 'antd';
import { memo } from 'react';
import { useI18n } from '../../../i18n';
import { useDraft } from '../EditorContext';
import { NumberField, SelectField, TextField } from '../fields';
import { Section } from '../Section';
import { type SectionProps } from './layout';

export const OptionsSection = memo(function OptionsSection({ advice }: SectionProps) {
  const { t } = useI18n();
  const scanners = useDraft((d) => d.harbor.generation) === 'v2' ? (['trivy', 'none'] as const) : (['clair', 'none'] as const);
  return (
    <Section id="options" advice={advice}>
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <SelectField
            path={['options', 'scanner']}
            options={scanners.map((v) => ({ value: v, label: v === 'none' ? t('f.scanner.none') : v === 'trivy' ? 'Trivy' : 'Clair' }))}
          />
        </Col>
        <Col xs={24} md={8}>
          <NumberField path={['options', 'jobWorkers']} min={1} max={100} />
        </Col>
        <Col xs={24} md={8}>
          <TextField path={['options', 'dataVolume']} />
        </Col>
      </Row>
    </Section>
  );
});
