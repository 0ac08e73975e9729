/**
 * Parsing text that may hold secrets (a profile file given to harbor-ha, an imported harbor.yml)
 * with errors that say where, never what. Parsers quote the text they stopped at: V8's JSON.parse
 * (`Unexpected token 'h', ..."assword": hunter2sec"... is not valid JSON`), yaml's errors (the line
 * with a caret under it; messages that name a tag, alias or directive: `Unresolved tag: !S3cret`),
 * and yaml's parse() prints warnings to stderr itself. Those messages would reach the terminal, CI
 * logs and the renderer before any secret of the file is known to the redactor, so only a line, a
 * column and yaml's fixed error code leave here.
 */
import { isAlias, visit, type Document } from 'yaml';
import type { Localized } from '../../shared/i18n/localized';
import { parseYamlInput, YAML_INPUT_TO_JS, YamlLimitError, type YamlInputOptions } from './yaml-input';

export interface TextPosition {
  /** 1-based */
  readonly line: number;
  /** 1-based, in UTF-16 code units */
  readonly column: number;
}

export class TextSyntaxError extends Error {
  constructor(
    readonly format: 'JSON' | 'YAML',
    readonly at: TextPosition | undefined,
    /** yaml's error code, e.g. BAD_INDENT: a fixed name, never text from the input. */
    readonly code?: string,
  ) {
    super(`not valid ${format}${at ? ` at line ${at.line}, column ${at.column}` : ''}${code ? ` (${code})` : ''}`);
    this.name = 'TextSyntaxError';
  }

  /** "<subject> is not valid YAML at line 3, column 11 (BAD_INDENT)…", saying why the text is not shown. */
  describe(subject: string): Localized {
    return {
      en: `${subject} is not valid ${this.format}${this.at ? ` at line ${this.at.line}, column ${this.at.column}` : ''}${this.code ? ` (${this.code})` : ''}. The text there is not shown: it may hold a secret.`,
      'zh-CN': `${subject} 不是有效的 ${this.format}${this.at ? `：第 ${this.at.line} 行第 ${this.at.column} 列有误` : ''}${this.code ? `（${this.code}）` : ''}。为免泄露密钥，不显示该处内容。`,
    };
  }
}

/** Line and column of a character offset. */
export function positionAt(text: string, offset: number): TextPosition {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lineStart = before.lastIndexOf('\n') + 1;
  let line = 1;
  for (let i = before.indexOf('\n'); i !== -1; i = before.indexOf('\n', i + 1)) line++;
  return { line, column: before.length - lineStart + 1 };
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;
const ESCAPES = '"\\/bfnrt';

/**
 * Offset of the first character at which `text` stops being JSON (RFC 8259, as JSON.parse reads it),
 * or -1 when it is JSON. Iterative, so deep nesting cannot overflow the stack.
 */
export function jsonErrorOffset(text: string): number {
  const n = text.length;
  /** The closing bracket of each open container, innermost last. */
  const closers: string[] = [];
  let i = 0;
  let expect: 'value' | 'value-or-end' | 'key' | 'key-or-end' | 'after' = 'value';
  const skipSpace = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const token = (re: RegExp): boolean => {
    re.lastIndex = i;
    if (!re.test(text)) return false;
    i = re.lastIndex;
    return true;
  };
  /** At an opening quote: moves past the closing one, or answers false with i at the fault. */
  const string = (): boolean => {
    for (i++; i < n;) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return true;
      }
      if (c < 0x20) return false;
      if (c !== 0x5c) i++;
      else if (text[i + 1] === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
      else if (i + 1 < n && ESCAPES.includes(text[i + 1]!)) i += 2;
      else return false;
    }
    return false;
  };
  for (;;) {
    skipSpace();
    if (i === n) return expect === 'after' && closers.length === 0 ? -1 : n;
    const c = text[i]!;
    switch (expect) {
      case 'value-or-end':
      case 'key-or-end':
        if (c === closers.at(-1)) {
          closers.pop();
          i++;
          expect = 'after';
        } else expect = expect === 'value-or-end' ? 'value' : 'key';
        break;
      case 'value':
        if (c === '{' || c === '[') {
          closers.push(c === '{' ? '}' : ']');
          i++;
          expect = c === '{' ? 'key-or-end' : 'value-or-end';
        } else if (c === '"' ? string() : token(c === '-' || (c >= '0' && c <= '9') ? NUMBER : LITERAL)) expect = 'after';
        else return i;
        break;
      case 'key':
        if (c !== '"' || !string()) return i;
        skipSpace();
        if (text[i] !== ':') return i;
        i++;
        expect = 'value';
        break;
      case 'after':
        if (closers.length === 0) return i;
        if (c === ',') {
          i++;
          expect = closers.at(-1) === '}' ? 'key' : 'value';
        } else if (c === closers.at(-1)) {
          closers.pop();
          i++;
        } else return i;
        break;
    }
  }
}

/** JSON.parse, failing with the position only. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const offset = jsonErrorOffset(text);
    throw new TextSyntaxError('JSON', offset >= 0 ? positionAt(text, offset) : undefined);
  }
}

export type YamlOptions = YamlInputOptions;

/**
 * A YAML document whose first error or warning (an unresolved tag, an unknown directive: the value
 * read would not be what the file says) or alias without an anchor is a TextSyntaxError. Text
 * beyond the bounds of yaml-input.ts is a YamlLimitError.
 */
export function yamlDocument(text: string, options: YamlOptions = {}): Document.Parsed {
  let doc: Document.Parsed;
  try {
    doc = parseYamlInput(text, options);
  } catch (error) {
    if (error instanceof YamlLimitError) throw error;
    throw new TextSyntaxError('YAML', undefined);
  }
  const first = doc.errors[0] ?? doc.warnings[0];
  if (first) throw new TextSyntaxError('YAML', positionAt(text, first.pos[0]), first.code);
  // yaml resolves aliases only in toJS(), and its error there names the alias.
  const anchors = new Set<string>();
  let unresolved: number | undefined;
  visit(doc, {
    Node(_key, node) {
      if (isAlias(node)) {
        if (anchors.has(node.source)) return undefined;
        unresolved = node.range?.[0] ?? 0;
        return visit.BREAK;
      }
      if (node.anchor) anchors.add(node.anchor);
      return undefined;
    },
  });
  if (unresolved !== undefined) throw new TextSyntaxError('YAML', positionAt(text, unresolved), 'BAD_ALIAS');
  return doc;
}

/**
 * The value of a document from `yamlDocument`. A failure there is a TextSyntaxError too: aliases
 * are bounded already, what is left is a merge key (`<<`) whose value is no map.
 */
export function yamlValue(doc: Document): unknown {
  try {
    return doc.toJS(YAML_INPUT_TO_JS) as unknown;
  } catch {
    throw new TextSyntaxError('YAML', undefined, 'BAD_MERGE');
  }
}

/** YAML's value, failing with the position only. */
export function parseYaml(text: string, options: YamlOptions = {}): unknown {
  return yamlValue(yamlDocument(text, options));
}
