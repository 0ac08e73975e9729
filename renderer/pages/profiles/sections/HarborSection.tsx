import { Col, Row, Tag } from 'antd';
import { memo } from 'react';
import { useI18n } from '../../../i18n';
import { setInstallerKind } from '../draft';
import { useDraft, useEditor } from '../EditorContext';
import { Field, PathField, SecretPathField, SelectField, TextField } from '../fields';
import { Section } from '../Section';
import { half, type SectionProps } from './layout';

export const HarborSection = memo(function HarborSection({ advice }: SectionProps) {
  const { t } = useI18n();
  const { update } = useEditor();
  const generation = useDraft((d) => d.harbor.generation);
  const inst = { kind: useDraft((d) => d.harbor.installer.kind) };
  return (
    <Section id="harbor" advice={advice}>
      <Row gutter={16}>
        <Col {...half}>
          <Field path="harbor.generation">
            <Tag data-testid="harbor-generation">{generation === 'v2' ? t('profiles.gen.v2') : t('profiles.gen.v1')}</Tag>
          </Field>
        </Col>
        <Col {...half}>
          <TextField path={['harbor', 'version']} />
        </Col>
        <Col {...half}>
          <SelectField
            path={['harbor', 'installer', 'kind']}
            also={['harbor.installer']}
            options={[
              { value: 'local', label: t('f.installer.local') },
              { value: 'url', label: t('f.installer.url') },
              { value: 'oss', label: t('f.installer.oss') },
            ]}
            onSelect={(k) => update((d) => setInstallerKind(d, k))}
          />
        </Col>
        <Col {...half}>
          {inst.kind === 'local' && (
            <PathField
              path={['harbor', 'installer', 'path']}
              purpose="installer"
              placeholder="/home/me/harbor-offline-installer-v2.15.2.tgz"
            />
          )}
          {inst.kind === 'url' && <TextField path={['harbor', 'installer', 'url']} />}
          {inst.kind === 'oss' && <TextField path={['harbor', 'installer', 'object']} />}
        </Col>
        {inst.kind === 'oss' && (
          <Col {...half}>
            <TextField path={['harbor', 'installer', 'bucket']} optional />
          </Col>
        )}
        {inst.kind !== 'local' && (
          <Col {...half}>
            <TextField path={['harbor', 'installer', 'sha256']} optional />
          </Col>
        )}
        <Col {...half}>
          <SecretPathField path={['harbor', 'adminPassword']} />
        </Col>
      </Row>
    </Section>
  );
});
