/**
 * harbor.yml read as YAML 1.1 like PyYAML, with typed lookups by key path whose errors name the
 * path and its line, never the text there (it may hold a secret).
 */
import { isMap, LineCounter, type Document } from 'yaml';
import { TextSyntaxError, yamlDocument, yamlValue } from '../../text-syntax';

/** Lookups by key path; plain functions (no `this`), so callers take them apart. */
export interface HarborYml {
  readonly at: (path: string[]) => unknown;
  readonly fail: (path: string[], what: string) => never;
  readonly map: (path: string[]) => Record<string, unknown> | undefined;
  readonly str: (path: string[]) => string | undefined;
  readonly int: (path: string[], max?: number, min?: number) => number | undefined;
}

/** A YAML value as the text it stands for: a scalar as read, anything else as JSON (never "[object Object]"). */
export function scalarText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v) ?? '';
}

export function readHarborYml(text: string, fileName: string): HarborYml {
  const lineCounter = new LineCounter();
  let doc: Document;
  let root: unknown;
  try {
    // PyYAML reads YAML 1.1 (yes/no/on/off are booleans); later duplicate keys win there too.
    doc = yamlDocument(text, { lineCounter, version: '1.1', uniqueKeys: false });
    root = yamlValue(doc);
  } catch (error) {
    // yaml's messages quote the file (a password that starts with * or ! is read as an alias or a tag): position only.
    if (!(error instanceof TextSyntaxError)) throw error;
    throw new Error(
      `${fileName}${error.at ? ` line ${error.at.line}, column ${error.at.column}` : ''}: not valid YAML${error.code ? ` (${error.code})` : ''}; the text there is not shown, as it may hold a secret`,
    );
  }
  if (!isMap(doc.contents)) throw new Error(`${fileName} line 1: harbor.yml must be a mapping of keys such as hostname: …`);

  const lineOf = (path: string[]): number => {
    for (let k = path.length; k > 0; k--) {
      const node = doc.getIn(path.slice(0, k), true) as { range?: [number, number, number] } | undefined;
      if (node?.range) return lineCounter.linePos(node.range[0]).line;
      const parent = k > 1 ? doc.getIn(path.slice(0, k - 1), true) : doc.contents;
      if (isMap(parent)) {
        const pair = parent.items.find((p) => (p.key as { value?: unknown } | null)?.value === path[k - 1]);
        const keyRange = (pair?.key as { range?: [number, number, number] } | null)?.range;
        if (keyRange) return lineCounter.linePos(keyRange[0]).line;
      }
    }
    return 1;
  };
  const at = (path: string[]): unknown => {
    let v: unknown = root;
    for (const k of path) {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
      v = (v as Record<string, unknown>)[k];
    }
    return v;
  };
  const fail = (path: string[], what: string): never => {
    throw new Error(`${fileName} line ${lineOf(path)}: ${path.join('.')} ${what}`);
  };
  const map = (path: string[]): Record<string, unknown> | undefined => {
    const v = at(path);
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'object' || Array.isArray(v)) return fail(path, 'must be a section of keys');
    return v as Record<string, unknown>;
  };
  const str = (path: string[]): string | undefined => {
    const v = at(path);
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'object') return fail(path, 'must be a single value');
    return scalarText(v).trim();
  };
  const int = (path: string[], max = Number.MAX_SAFE_INTEGER, min = 0): number | undefined => {
    const v = at(path);
    if (v === undefined || v === null || v === '') return undefined;
    const n = typeof v === 'number' ? v : /^\d+$/.test(scalarText(v).trim()) ? Number(scalarText(v).trim()) : NaN;
    if (!Number.isInteger(n) || n < min || n > max)
      return fail(path, `must be a whole number${max < Number.MAX_SAFE_INTEGER ? ` from ${min} to ${max}` : ''}, found "${scalarText(v)}"`);
    return n;
  };
  return { at, fail, map, str, int };
}
