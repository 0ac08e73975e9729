import { Button, Col, Row } from 'antd';
import { memo } from 'react';
import { useI18n } from '../../../i18n';
import { setClair } from '../draft';
import { useDraft, useEditor } from '../EditorContext';
import { NumberField, SecretPathField, TextField } from '../fields';
import { Section } from '../Section';
import { half, type SectionProps } from './layout';

export const ClairSection = memo(function ClairSection({ advice }: SectionProps) {
  const { t } = useI18n();
  const { update } = useEditor();
  const on = useDraft((d) => !!d.clair);
  return (
    <Section
      id="clair"
      advice={advice}
      extra={
        <Button onClick={() => update((d) => setClair(d, !on))} data-testid="clair-toggle">
          {t(on ? 'editor.clair.remove' : 'editor.clair.add')}
        </Button>
      }
    >
      {on && (
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <TextField path={['clair', 'host']} />
          </Col>
          <Col xs={24} md={6}>
            <NumberField path={['clair', 'port']} min={1} max={65535} />
          </Col>
          <Col xs={24} md={6}>
            <TextField path={['clair', 'database']} />
          </Col>
          <Col {...half}>
            <TextField path={['clair', 'user']} />
          </Col>
          <Col {...half}>
            <SecretPathField path={['clair', 'password']} />
          </Col>
        </Row>
      )}
    </Section>
  );
});
