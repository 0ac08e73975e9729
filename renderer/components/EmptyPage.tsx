import { Empty, Typography } from 'antd';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/messages';

/** A page that does not hold anything yet says what it will hold. */
export function EmptyPage({ title, description, testId }: { title: MessageKey; description: MessageKey; testId: string }) {
  const { t } = useI18n();
  return (
    <section data-testid={testId}>
      <Typography.Title level={3}>{t(title)}</Typography.Title>
      <Empty
        style={{ marginTop: 64 }}
        description={
          <div style={{ maxWidth: 560, margin: '0 auto' }}>
            <Typography.Text strong>{t('page.comingNext')}</Typography.Text>
            <Typography.Paragraph type="secondary" style={{ marginTop: 8 }} data-testid="empty-description">
              {t(description)}
            </Typography.Paragraph>
          </div>
        }
      />
    </section>
  );
}
