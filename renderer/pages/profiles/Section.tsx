import { Alert, Card } from 'antd';
import type { ReactNode } from 'react';
import type { Advice } from '../../../shared/profile/rules';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import type { SectionId } from './draft';

/** One card of the editor, with the advice that concerns it on top. */
export function Section({
  id,
  advice,
  children,
  extra,
}: {
  id: SectionId;
  advice: readonly Advice[];
  children: ReactNode;
  extra?: ReactNode;
}) {
  const { t, pick } = useI18n();
  return (
    <Card
      title={t(`editor.section.${id}` as MessageKey)}
      id={`section-${id}`}
      data-testid={`section-${id}`}
      extra={extra}
      style={{ marginBottom: 16 }}
    >
      {advice.map((a) => (
        <Alert
          key={a.topic}
          type={a.level}
          showIcon
          title={pick(a.message)}
          style={{ marginBottom: 12 }}
          data-testid={`advice-${a.topic}`}
        />
      ))}
      {children}
    </Card>
  );
}
