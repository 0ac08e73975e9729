import type { z } from 'zod';
import type { FieldIssue } from './errors';
import type { Localized } from './i18n/localized';

/** Joins a zod issue path the way operators read it: `nodes.2.host`. */
export function pathToString(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'symbol' ? (p.description ?? '') : String(p))).join('.');
}

function describeExpected(expected: string): Localized {
  const zh: Record<string, string> = {
    string: '文本',
    number: '数字',
    boolean: '布尔值',
    object: '对象',
    array: '列表',
    int: '整数',
  };
  return { en: expected, 'zh-CN': zh[expected] ?? expected };
}

/**
 * A bilingual message for one zod issue. Schemas may carry their own message as
 * `{ error: JSON.stringify({ en, 'zh-CN' }) }`; otherwise the issue code decides.
 */
export function issueMessage(issue: z.core.$ZodIssue): Localized {
  const custom = parseLocalized(issue.message);
  if (custom) return custom;
  switch (issue.code) {
    case 'invalid_type': {
      const e = describeExpected(String(issue.expected));
      return { en: `expected ${e.en}`, 'zh-CN': `应为${e['zh-CN']}` };
    }
    case 'too_small':
      if (issue.origin === 'string')
        return Number(issue.minimum) === 1
          ? { en: 'must not be empty', 'zh-CN': '不能为空' }
          : { en: `must be at least ${issue.minimum} characters`, 'zh-CN': `至少 ${issue.minimum} 个字符` };
      if (issue.origin === 'array') return { en: `needs at least ${issue.minimum} items`, 'zh-CN': `至少需要 ${issue.minimum} 项` };
      return { en: `must be at least ${issue.minimum}`, 'zh-CN': `不能小于 ${issue.minimum}` };
    case 'too_big':
      if (issue.origin === 'string') return { en: `must be at most ${issue.maximum} characters`, 'zh-CN': `最多 ${issue.maximum} 个字符` };
      if (issue.origin === 'array') return { en: `allows at most ${issue.maximum} items`, 'zh-CN': `最多 ${issue.maximum} 项` };
      return { en: `must be at most ${issue.maximum}`, 'zh-CN': `不能大于 ${issue.maximum}` };
    case 'unrecognized_keys':
      return {
        en: `unknown field(s): ${issue.keys.join(', ')}`,
        'zh-CN': `未知字段：${issue.keys.join('、')}`,
      };
    case 'invalid_value':
      return {
        en: `must be one of: ${issue.values.map(String).join(', ')}`,
        'zh-CN': `只能是以下之一：${issue.values.map(String).join('、')}`,
      };
    case 'invalid_format':
      return { en: `is not a valid ${issue.format}`, 'zh-CN': `不是有效的 ${issue.format}` };
    default:
      return { en: issue.message, 'zh-CN': issue.message };
  }
}

function parseLocalized(message: string): Localized | null {
  if (!message.startsWith('{')) return null;
  try {
    const v: unknown = JSON.parse(message);
    if (v && typeof v === 'object' && 'en' in v && 'zh-CN' in v) {
      const o = v as Record<string, unknown>;
      if (typeof o.en === 'string' && typeof o['zh-CN'] === 'string') return { en: o.en, 'zh-CN': o['zh-CN'] };
    }
  } catch {
    // not one of ours: fall through to the generic message
  }
  return null;
}

/** A zod `error` option that carries a message in both languages. */
export function localizedError(message: Localized): { error: string } {
  return { error: JSON.stringify(message) };
}

/**
 * One issue per field, the first zod found: a field's checks run in order from the most basic ("enter a host") to the
 * finer ("not a valid host name"), and an empty field fails them all; the operator needs the first to act on.
 */
export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  const byPath = new Map<string, FieldIssue>();
  for (const issue of error.issues) {
    const path = pathToString(issue.path);
    if (!byPath.has(path)) byPath.set(path, { path, message: issueMessage(issue) });
  }
  return [...byPath.values()];
}
