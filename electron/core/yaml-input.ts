/**
 * YAML from outside the app (an imported harbor.yml, a profile file given to harbor-ha, a node's
 * harbor.yml.tmpl), handed to the yaml library only within bounds that every real file keeps.
 * Without them one input could end the process or hold it for minutes:
 *
 * - Nesting. yaml composes collections recursively and turns a stack overflow into an error
 *   (RESOURCE_EXHAUSTION). But V8 cannot always recover: `'['.repeat(20000)`, then `'- '.repeat(1000)`
 *   ended Node with "FATAL ERROR: RegExpCompiler Allocation failed" (a regular expression compiled
 *   with the stack nearly gone), which no catch sees. Building the whole syntax tree first is no way
 *   to measure either (1 MiB of `[` took 900 MB of heap), so the depth is watched while the parser
 *   runs, and it stops at the first collection too deep.
 * - Aliases. Each `*alias` may stand for a whole collection, so a small file can describe an
 *   enormous value ("billion laughs"), or one that contains itself. yaml's own guard
 *   (`maxAliasCount`) costs a walk of the whole document per alias inside an aliased collection:
 *   180 KB took 87 s. It is switched off and replaced by one linear count of the values the
 *   document has with every alias expanded, which bounds toJS (merge keys copy) and whatever walks
 *   the result.
 * - yaml finds each alias's anchor by going through every anchor and alias before it: 100,000
 *   aliases took 137 s. Those steps are counted in the same pass and bounded.
 * - yaml compares each new map key with every earlier one (8000 keys: 13 s; 1 MiB: minutes), and
 *   each `!!omap` entry with every earlier one. Keys are checked here in linear time instead;
 *   an `!!omap` has a bounded number of entries.
 * - Errors. A broken file may give several errors per line, each an Error with a captured stack
 *   (1 MiB: 780,000 of them, 850 MB of heap, 20 s). Only the first is ever reported, so they are
 *   made without stacks: 175 MB, twice the time a valid file of that size takes.
 */
import {
  Composer,
  CST,
  isAlias,
  isCollection,
  isMap,
  isNode,
  isPair,
  isScalar,
  Lexer,
  LineCounter,
  Parser,
  Schema,
  YAMLParseError,
  type CollectionTag,
  type Document,
  type DocumentOptions,
  type ParseOptions,
  type SchemaOptions,
  type Tags,
  type ToJSOptions,
} from 'yaml';
import { MAX_FILE_BYTES, sizeOverLimit, utf8Bytes } from '../../shared/api/limits';
import { fill, type Localized } from '../../shared/i18n/localized';

export const YAML_INPUT_LIMITS = {
  /** UTF-8 bytes: the limit of every file the operator hands over. */
  bytes: MAX_FILE_BYTES,
  /**
   * Collections inside collections. harbor.yml and a profile nest at most 6 deep; the stack gave
   * out after about 800 levels in tests, and less is left deep inside a call.
   */
  depth: 64,
  /**
   * Values (scalars and collections), each alias counted as the values it stands for. A file at
   * the size limit spells out at most 1.5 per byte without aliases (`[:,:,…]`), so twice the byte
   * limit refuses none of those, and aliases never make a document much larger than a file.
   */
  values: 2 * MAX_FILE_BYTES,
  /**
   * yaml finds an alias's anchor by going through every anchor and alias before it (100,000
   * aliases of one anchor: 137 s). Steps in all; ten million take well under a second.
   */
  aliasSteps: 10_000_000,
  /** Entries of one `!!omap`, which yaml checks for duplicate keys pairwise. */
  omapEntries: 1000,
} as const;

export type YamlLimit = keyof typeof YAML_INPUT_LIMITS | 'cycle';

const NOT_SHOWN: Localized = { en: 'The text there is not shown: it may hold a secret.', 'zh-CN': '为免泄露密钥，不显示该处内容。' };

const TEXT = {
  bytes: {
    en: '{subject} is {size}; at most {limit} of YAML is read.',
    'zh-CN': '{subject} 大小为 {size}；YAML 最多读取 {limit}。',
  },
  depth: {
    en: '{subject} line {line}: collections are nested more than {limit} deep there; at most {limit} levels are read (a harbor.yml or a profile has fewer than 10).',
    'zh-CN': '{subject} 第 {line} 行：该处集合嵌套超过 {limit} 层；最多读取 {limit} 层（harbor.yml 或集群配置不超过 10 层）。',
  },
  values: {
    en: '{subject} line {line}: the document would hold more than {limit} values there, each alias (*name) counted as the values it stands for; at most {limit} are read.',
    'zh-CN': '{subject} 第 {line} 行：文档到此将包含超过 {limit} 个值（每个别名 *名称 按其代表的值计数）；最多读取 {limit} 个。',
  },
  aliasSteps: {
    en: "{subject} line {line}: too many anchors (&name) and aliases (*name) before this alias. Finding an alias's anchor means going through every anchor and alias before it, and this document would take more than {limit} such steps; at most {limit} are taken.",
    'zh-CN':
      '{subject} 第 {line} 行：该别名之前的锚点（&名称）和别名（*名称）过多。查找别名的锚点需要逐一经过它之前的所有锚点和别名，此文档将需要超过 {limit} 步；最多执行 {limit} 步。',
  },
  omapEntries: {
    en: '{subject} line {line}: an ordered map (!!omap) has more than {limit} entries; at most {limit} are read.',
    'zh-CN': '{subject} 第 {line} 行：有序映射（!!omap）超过 {limit} 项；最多读取 {limit} 项。',
  },
  cycle: {
    en: '{subject} line {line}: an alias (*name) stands for a collection that contains the alias itself, so the value would never end.',
    'zh-CN': '{subject} 第 {line} 行：别名（*名称）指向包含该别名自身的集合，其值将无穷无尽。',
  },
} as const satisfies Record<YamlLimit, Localized>;

/** YAML refused for a bound it exceeds: names the bound and the line, never the text. */
export class YamlLimitError extends Error {
  constructor(
    readonly limit: YamlLimit,
    /** 1-based; none for the size of the whole text. */
    readonly line: number | undefined,
    /** The size in UTF-8 bytes, for `bytes`. */
    readonly size?: number,
  ) {
    super(
      `YAML refused: ${limit === 'cycle' ? 'an alias inside its own anchor' : `over the ${limit} limit of ${YAML_INPUT_LIMITS[limit]}`}${line ? ` at line ${line}` : ''}`,
    );
    this.name = 'YamlLimitError';
  }

  /** The reason for people, `subject` being the file's name. */
  describe(subject: string): Localized {
    const params =
      this.limit === 'bytes'
        ? sizeOverLimit(this.size ?? 0, YAML_INPUT_LIMITS.bytes)
        : { line: this.line ?? 1, limit: this.limit === 'cycle' ? '' : YAML_INPUT_LIMITS[this.limit] };
    const text = fill(TEXT[this.limit], { subject, ...params });
    return this.limit === 'bytes' ? text : { en: `${text.en} ${NOT_SHOWN.en}`, 'zh-CN': `${text['zh-CN']}${NOT_SHOWN['zh-CN']}` };
  }
}

/** parseDocument's options, but `uniqueKeys` only on or off (a comparison function would be pairwise again). */
export type YamlInputOptions = Omit<ParseOptions & DocumentOptions & SchemaOptions, 'prettyErrors' | 'uniqueKeys'> & {
  readonly uniqueKeys?: boolean;
};

/**
 * For toJS of a document `parseYamlInput` returned: its aliases are counted already, and yaml's
 * count would cost more than all the rest.
 */
export const YAML_INPUT_TO_JS: ToJSOptions = { maxAliasCount: -1 };

const COLLECTIONS = new Set(['block-map', 'block-seq', 'flow-collection']);
const OMAP = 'tag:yaml.org,2002:omap';
/** yaml's own !!omap, which every schema resolves an explicit `!!omap` with. */
const OMAP_TAG = new Schema({ schema: 'yaml-1.1' }).tags.find((t): t is CollectionTag => t.tag === OMAP && 'collection' in t)!;

/**
 * parseDocument for text from outside: the same document (errors in `errors`, the first document
 * only), or a YamlLimitError before yaml does anything the bounds above are for.
 */
export function parseYamlInput(text: string, options: YamlInputOptions = {}): Document.Parsed {
  const size = utf8Bytes(text);
  if (size > YAML_INPUT_LIMITS.bytes) throw new YamlLimitError('bytes', undefined, size);
  const lineCounter = options.lineCounter ?? new LineCounter();
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;

  const tokens = syntaxTree(text, lineCounter);
  let omapAt: number | undefined;
  const boundOmap = (omap: CollectionTag): CollectionTag => ({
    ...omap,
    default: false,
    resolve(seq, onError, parseOptions) {
      if (seq.items.length <= YAML_INPUT_LIMITS.omapEntries) return omap.resolve!(seq, onError, parseOptions);
      omapAt ??= seq.range[0];
      onError(`more than ${YAML_INPUT_LIMITS.omapEntries} entries`);
      return seq;
    },
  });
  const callerTags = options.customTags;
  const composer = new Composer({
    ...options,
    uniqueKeys: false,
    customTags: (tags: Tags): Tags => {
      const all = typeof callerTags === 'function' ? callerTags(tags) : Array.isArray(callerTags) ? tags.concat(callerTags) : tags;
      const isOmap = (t: Tags[number]) => t === 'omap' || (typeof t === 'object' && t.tag === OMAP);
      const bounded = boundOmap(OMAP_TAG);
      // YAML 1.1 lists !!omap. Other schemas know it for an explicit `!!omap` only: there it has no
      // `identify`, so a Map given to createNode stays a plain map, as without this tag.
      const { identify: _, ...explicitOnly } = bounded;
      return [...all.filter((t) => !isOmap(t)), all.some(isOmap) ? bounded : explicitOnly];
    },
  });
  let doc: Document.Parsed | undefined;
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    for (const next of composer.compose(tokens, true, text.length)) {
      if (!doc) doc = next;
      else {
        doc.errors.push(new YAMLParseError([next.range[0], next.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents'));
        break;
      }
    }
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  if (omapAt !== undefined) throw new YamlLimitError('omapEntries', lineAt(omapAt));
  // compose(…, true) always gives a document, an empty one at the least.
  const parsed = doc!;
  walk(parsed, options.uniqueKeys !== false, lineAt);
  return parsed;
}

/**
 * The parser's top-level tokens, lexed and parsed step by step so the nesting is seen as it grows:
 * the parser's stack holds every collection still open.
 */
function syntaxTree(text: string, lineCounter: LineCounter): CST.Token[] {
  const parser = new Parser(lineCounter.addNewLine);
  // As parser.parse() does: the first line starts at 0.
  lineCounter.addNewLine(0);
  const tokens: CST.Token[] = [];
  for (const lexeme of new Lexer().lex(text)) {
    for (const token of parser.next(lexeme)) tokens.push(token);
    if (parser.stack.length > YAML_INPUT_LIMITS.depth) {
      const open = parser.stack.filter((t) => COLLECTIONS.has(t.type));
      if (open.length > YAML_INPUT_LIMITS.depth)
        throw new YamlLimitError('depth', lineCounter.linePos(open[YAML_INPUT_LIMITS.depth]!.offset).line);
    }
  }
  for (const token of parser.end()) tokens.push(token);
  return tokens;
}

/**
 * One pass over the composed document, in document order: the first duplicate key (as yaml
 * reports it, when keys must be unique) and the values with every alias expanded. An alias means
 * the last node before it with that anchor (yaml's rule); when that node is still open, the alias
 * is inside it. Recursion is as deep as the nesting, which `syntaxTree` bounds.
 */
function walk(doc: Document.Parsed, uniqueKeys: boolean, lineAt: (offset: number) => number): void {
  const anchors = new Map<string, unknown>();
  /** Expanded values of each anchored node once it is complete. */
  const sizes = new Map<unknown, number>();
  let total = 0;
  /** Anchored nodes and aliases so far, and the steps yaml takes to resolve the aliases among them. */
  let marks = 0;
  let aliasSteps = 0;
  let duplicate: number | undefined;
  const count = (n: number, offset: number) => {
    total += n;
    if (total > YAML_INPUT_LIMITS.values) throw new YamlLimitError('values', lineAt(offset));
  };
  const expanded = (node: unknown): number => {
    if (!isNode(node)) return 0;
    const offset = node.range?.[0] ?? 0;
    if (isAlias(node)) {
      marks += 1;
      aliasSteps += marks;
      if (aliasSteps > YAML_INPUT_LIMITS.aliasSteps) throw new YamlLimitError('aliasSteps', lineAt(offset));
      const target = anchors.get(node.source);
      // An alias without anchor is the caller's to report (yaml resolves it in toJS only).
      if (target === undefined) {
        count(1, offset);
        return 1;
      }
      const n = sizes.get(target);
      if (n === undefined) throw new YamlLimitError('cycle', lineAt(offset));
      count(n, offset);
      return n;
    }
    if (node.anchor) {
      marks += 1;
      anchors.set(node.anchor, node);
    }
    count(1, offset);
    let n = 1;
    if (isCollection(node)) {
      const keys = uniqueKeys && isMap(node) ? new Set<unknown>() : undefined;
      for (const item of node.items) {
        if (!isPair(item)) {
          n += expanded(item);
          continue;
        }
        if (keys && isScalar(item.key) && !Number.isNaN(item.key.value)) {
          if (keys.has(item.key.value)) duplicate ??= item.key.range?.[0] ?? offset;
          keys.add(item.key.value);
        }
        n += expanded(item.key) + expanded(item.value);
      }
    }
    if (node.anchor) sizes.set(node, n);
    return n;
  };
  expanded(doc.contents);
  if (duplicate !== undefined) {
    // Where yaml would have put it: errors are in document order, and callers report the first.
    const at = doc.errors.findIndex((e) => e.pos[0] > duplicate!);
    doc.errors.splice(
      at === -1 ? doc.errors.length : at,
      0,
      new YAMLParseError([duplicate, duplicate + 1], 'DUPLICATE_KEY', 'Map keys must be unique'),
    );
  }
}
