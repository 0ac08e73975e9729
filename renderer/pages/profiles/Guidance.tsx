/**
 * What guides the operator through the form: the outline of its sections with what is left in each, the summary of
 * what stops a save (each entry named as the form names it, and a link to the field), and bringing a field into view.
 */
import { CheckCircleFilled, ExclamationCircleFilled } from '@ant-design/icons';
import { Alert, Button, Typography, theme } from 'antd';
import type { FieldIssue } from '../../../shared/errors';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import { sectionOfPath, type SectionId } from './draft';
import { fieldDomId } from './EditorContext';
import { fieldLabel } from './fields';

/** Scrolls a field into view and focuses its input; a field without one (a list) gets its block, else its section. */
export function focusField(path: string): void {
  const input = document.getElementById(fieldDomId(path));
  const block = document.querySelector(`[data-testid="field-${CSS.escape(path)}"]`);
  const section = document.getElementById(`section-${sectionOfPath(path) ?? 'general'}`);
  const target = input ?? block ?? section;
  target?.scrollIntoView({ block: 'center' });
  (input ?? (target as HTMLElement | null))?.focus?.({ preventScroll: true });
}

/** Issues in the order of the form's sections (the core reports them in its schema's order), stable within one. */
export function inFormOrder(issues: readonly FieldIssue[], sections: readonly SectionId[]): FieldIssue[] {
  const rank = (i: FieldIssue) => {
    const s = sectionOfPath(i.path);
    return s ? sections.indexOf(s) : sections.length;
  };
  return [...issues].sort((a, b) => rank(a) - rank(b));
}

/** "Node 2 › SSH host", "Database › Port": a path as the operator sees it, never the internal path. */
export function useFieldName(): (path: string) => string {
  const { t } = useI18n();
  return (path) => {
    const section = sectionOfPath(path);
    const parts: string[] = [section ? t(`editor.section.${section}` as MessageKey) : t('summary.other')];
    const node = /^nodes\.(\d+)\./.exec(path);
    if (node) parts.push(t('editor.node', { n: Number(node[1]) + 1 }));
    const jump = /^nodes\.\d+\.jumpHosts\.(\d+)\./.exec(path);
    if (jump) parts.push(t('editor.jump.title', { n: Number(jump[1]) + 1 }));
    const label = fieldLabel(path);
    if (label) parts.push(t(label));
    return parts.join(' › ');
  };
}

export function IssueSummary({
  issues,
  known,
  onGo,
}: {
  issues: readonly FieldIssue[];
  known: ReadonlySet<string>;
  onGo: (path: string) => void;
}) {
  const { t, pick } = useI18n();
  const name = useFieldName();
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginBottom: 16 }}
      title={t('summary.title')}
      data-testid="editor-summary"
      description={
        <ul style={{ margin: 0, paddingInlineStart: 20 }}>
          {issues.map((i, k) => (
            <li key={k} data-testid="summary-entry" data-path={i.path}>
              {known.has(i.path) ? (
                <Typography.Link onClick={() => onGo(i.path)} title={t('summary.goto')} data-testid="summary-goto">
                  {name(i.path)}
                </Typography.Link>
              ) : (
                <Typography.Text strong>{name(i.path)}</Typography.Text>
              )}
              {t('summary.sep')}
              {pick(i.message)}
            </li>
          ))}
        </ul>
      }
    />
  );
}

/** The sections in order, each with its state; a click brings the section into view. */
export function SectionOutline({
  sections,
  issues,
  shows,
}: {
  sections: readonly SectionId[];
  issues: readonly FieldIssue[];
  shows: (path: string) => boolean;
}) {
  const { t } = useI18n();
  const { token } = theme.useToken();
  const left = new Map<SectionId, { count: number; shown: boolean }>();
  for (const i of issues) {
    const s = sectionOfPath(i.path);
    if (!s) continue;
    const was = left.get(s) ?? { count: 0, shown: false };
    left.set(s, { count: was.count + 1, shown: was.shown || shows(i.path) });
  }
  return (
    <nav aria-label={t('outline.title')} style={{ position: 'sticky', top: 16 }} data-testid="editor-outline">
      <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 8 }}>
        {t('outline.title')}
      </Typography.Text>
      <ol style={{ listStyle: 'none', margin: 0, padding: 0 }}>
        {sections.map((s) => {
          const state = left.get(s);
          return (
            <li key={s}>
              <Button
                type="text"
                block
                style={{ textAlign: 'start', justifyContent: 'flex-start', height: 'auto', paddingBlock: 4 }}
                onClick={() => document.getElementById(`section-${s}`)?.scrollIntoView({ block: 'start' })}
                data-testid={`outline-${s}`}
                data-state={state ? 'todo' : 'ok'}
              >
                <span style={{ display: 'flex', flexDirection: 'column', alignItems: 'flex-start', whiteSpace: 'normal' }}>
                  <span>
                    {state ? (
                      <ExclamationCircleFilled style={{ color: state.shown ? token.colorError : token.colorWarning, marginInlineEnd: 6 }} />
                    ) : (
                      <CheckCircleFilled style={{ color: token.colorSuccess, marginInlineEnd: 6 }} />
                    )}
                    {t(`editor.section.${s}` as MessageKey)}
                  </span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {state ? t('outline.todo', { count: state.count }) : t('outline.ok')}
                  </Typography.Text>
                </span>
              </Button>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
