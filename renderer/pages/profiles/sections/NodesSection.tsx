import { PlusOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { memo } from 'react';
import { useI18n } from '../../../i18n';
import { addNode } from '../draft';
import { useDraft, useEditor } from '../EditorContext';
import { Field } from '../fields';
import { Section } from '../Section';
import { type SectionProps } from './layout';
import { NodeCard } from './NodeCard';
import { TestAllNodes } from '../NodeTest';

export const NodesSection = memo(function NodesSection({ advice }: SectionProps) {
  const { t } = useI18n();
  const { update, issues } = useEditor();
  const ids = useDraft((d) => d.nodes.map((n) => n.id).join(' '));
  const nodeIds = ids ? ids.split(' ') : [];
  const listIssue = issues.get('nodes');
  return (
    <Section
      id="nodes"
      advice={advice}
      extra={
        <Button icon={<PlusOutlined />} onClick={() => update(addNode)} disabled={nodeIds.length >= 16} data-testid="node-add">
          {t('editor.node.add')}
        </Button>
      }
    >
      {listIssue && (
        <Field path="nodes" label="editor.section.nodes">
          <span />
        </Field>
      )}
      <TestAllNodes />
      {nodeIds.map((id, i) => (
        <NodeCard key={id} index={i} count={nodeIds.length} />
      ))}
    </Section>
  );
});
