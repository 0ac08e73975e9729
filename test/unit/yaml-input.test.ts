/**
 * YAML from outside (electron/core/yaml-input.ts): what would end the process or hold it for
 * minutes is refused with the bound and the line, in both languages and without the text; real
 * files read exactly as yaml reads them. The inputs that killed the process are run in a child
 * process by yaml-input-process.test.ts; these are the ones a test process survives either way.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isCollection, isPair, parse, parseDocument } from 'yaml';
import { renderHarborYml } from '../../electron/core/harbor/v2/config';
import { draftFromHarborConfig } from '../../electron/core/profiles/import-harbor-config';
import { parseYaml, TextSyntaxError, yamlDocument } from '../../electron/core/text-syntax';
import { parseYamlInput, YAML_INPUT_LIMITS, YamlLimitError, type YamlLimit } from '../../electron/core/yaml-input';
import { MAX_FILE_BYTES } from '../../shared/api/limits';
import { ApiError } from '../../shared/errors';
import { profileSchema } from '../../shared/profile';
import { v2Profile } from '../helpers/profiles';
import { releaseDir } from '../lab/harbor-release';
import { prng } from '../helpers/prng';

const template = readFileSync(join(releaseDir('v2.15.2'), 'make', 'harbor.yml.tmpl'), 'utf8');
/** How the importer reads harbor.yml. */
const HARBOR_YML = { version: '1.1', uniqueKeys: false } as const;
/** Random-looking, so none of its 4-character pieces occurs in an ordinary message. */
const SECRET = 'Xq7Zk9Wv3Jp5Rt8M';

function refusal(run: () => unknown): YamlLimitError {
  try {
    run();
  } catch (error) {
    if (error instanceof YamlLimitError) return error;
    throw error;
  }
  throw new Error('not refused');
}

function expectRefused(run: () => unknown, limit: YamlLimit, line?: number): YamlLimitError {
  const error = refusal(run);
  expect(error.limit).toBe(limit);
  if (line !== undefined) expect(error.line).toBe(line);
  return error;
}

function expectNoPartOfSecret(text: string): void {
  for (let i = 0; i + 4 <= SECRET.length; i++) expect(text, `"${SECRET.slice(i, i + 4)}" shown`).not.toContain(SECRET.slice(i, i + 4));
}

/** How many collections deep a document goes, keys included. */
function depthOf(node: unknown): number {
  if (isPair(node)) return Math.max(depthOf(node.key), depthOf(node.value));
  if (!isCollection(node)) return 0;
  return 1 + Math.max(0, ...node.items.map(depthOf));
}

/**
 * Text of one shape nesting `depth` collections, `top:` being the first, the innermost holding
 * `v`; and the line the deepest collection starts on.
 */
const SHAPES: Record<string, (depth: number) => [text: string, line: number]> = {
  'flow sequences': (n) => [`top: ${'['.repeat(n - 1)}v${']'.repeat(n - 1)}\n`, 1],
  'flow mappings': (n) => [`top: ${'{k: '.repeat(n - 1)}v${'}'.repeat(n - 1)}\n`, 1],
  'compact block sequences': (n) => [`top:\n  ${'- '.repeat(n - 1)}v\n`, 2],
  'explicit keys': (n) => [`top:\n  ${'? '.repeat(n - 1)}v\n`, 2],
  'indented block mappings': (n) => [
    `top:\n${Array.from({ length: n - 1 }, (_, i) => `${'  '.repeat(i + 1)}k:\n`).join('')}${'  '.repeat(n)}v\n`,
    n,
  ],
  'indented block sequences': (n) => [
    `top:\n${Array.from({ length: n - 1 }, (_, i) => `${'  '.repeat(i + 1)}-\n`).join('')}${'  '.repeat(n)}v\n`,
    n,
  ],
  'block mappings and sequences in turn': (n) => [
    `top:\n${Array.from({ length: n - 1 }, (_, i) => `${'  '.repeat(i + 1)}${i % 2 ? '-' : 'k:'}\n`).join('')}${'  '.repeat(n)}v\n`,
    n,
  ],
};

describe('nesting', () => {
  it.each(Object.entries(SHAPES))(
    '%s: 64 deep is read as yaml reads it, 65 deep is refused on the line the 65th starts',
    (_shape, shape) => {
      const limit = YAML_INPUT_LIMITS.depth;
      expect(limit).toBe(64);
      const [ok] = shape(limit);
      expect(parseYaml(ok)).toEqual(parse(ok));
      expect(depthOf(parseYamlInput(ok).contents)).toBe(limit);
      const [tooDeep, line] = shape(limit + 1);
      const error = expectRefused(() => parseYaml(tooDeep), 'depth', line);
      const described = error.describe('profile.yaml');
      expect(described.en).toBe(
        `profile.yaml line ${line}: collections are nested more than 64 deep there; at most 64 levels are read (a harbor.yml or a profile has fewer than 10). The text there is not shown: it may hold a secret.`,
      );
      expect(described['zh-CN']).toBe(
        `profile.yaml 第 ${line} 行：该处集合嵌套超过 64 层；最多读取 64 层（harbor.yml 或集群配置不超过 10 层）。为免泄露密钥，不显示该处内容。`,
      );
    },
  );

  it('refuses the inputs that killed the process, and 1 MiB of them, without building them', () => {
    expectRefused(() => parseYaml('['.repeat(20_000)), 'depth', 1);
    expectRefused(() => parseYaml('- '.repeat(1000) + 'x'), 'depth', 1);
    expectRefused(() => parseYaml('['.repeat(MAX_FILE_BYTES)), 'depth', 1);
    expectRefused(() => parseYaml('{a: '.repeat(MAX_FILE_BYTES / 4)), 'depth', 1);
    expectRefused(() => parseYaml(`a: 1\nb:\n${'  - '.repeat(5000)}x`), 'depth', 3);
  });

  it('never lets yaml run out of stack: random shapes up to 3000 deep are read or refused, never RESOURCE_EXHAUSTION', () => {
    const r = prng(20_515);
    const value = (depth: number, indent: number, inFlow: boolean): string => {
      if (depth === 0) return r.pick(['x', '1', '"q"', "'s'", '~', '!!str t', '&a y']);
      const pad = ' '.repeat(indent + 2);
      switch (r.pick(inFlow ? ['fseq', 'fmap'] : ['fseq', 'fmap', 'bseq', 'bmap', 'qkey'])) {
        case 'fseq':
          return `[${value(depth - 1, indent + 2, true)}${r.int(2) ? ', z' : ''}]`;
        case 'fmap':
          return `{k: ${value(depth - 1, indent + 2, true)}}`;
        case 'bseq':
          return `\n${pad}- ${value(depth - 1, indent + 2, false)}`;
        case 'qkey':
          return `\n${pad}? ${value(depth - 1, indent + 2, false)}\n${pad}: v`;
        default:
          return `\n${pad}k: ${value(depth - 1, indent + 2, false)}`;
      }
    };
    const seen = { read: 0, refused: 0 };
    for (let i = 0; i < 300; i++) {
      // Collections below `top:`, which is one more.
      const depth = r.int(2) ? 1 + r.int(70) : 1 + r.int(3000);
      const text = `top: ${value(depth, 0, false)}\n`;
      try {
        const doc = parseYamlInput(text);
        expect(doc.errors.map((e) => e.code)).not.toContain('RESOURCE_EXHAUSTION');
        expect(depth + 1).toBeLessThanOrEqual(YAML_INPUT_LIMITS.depth);
        seen.read += 1;
      } catch (error) {
        if (!(error instanceof YamlLimitError)) throw error;
        expect(['depth', 'bytes']).toContain(error.limit);
        expect(depth + 1).toBeGreaterThan(YAML_INPUT_LIMITS.depth);
        seen.refused += 1;
      }
    }
    expect(seen.read).toBeGreaterThan(50);
    expect(seen.refused).toBeGreaterThan(50);
  });
});

describe('aliases', () => {
  it('refuses a billion laughs, naming the line and the bound, not the anchors', () => {
    let text = `a0: &${SECRET}0 [x, x, x, x, x, x, x, x, x, x]\n`;
    for (let i = 1; i < 10; i++)
      text += `a${i}: &${SECRET}${i} [${Array(10)
        .fill(`*${SECRET}${i - 1}`)
        .join(', ')}]\n`;
    // 10^7 values with the aliases expanded; the first line past 2 Mi values is the 7th (10^6 each).
    const error = expectRefused(() => parseYaml(text), 'values', 7);
    const described = error.describe('profile.yaml');
    expect(described.en).toBe(
      `profile.yaml line 7: the document would hold more than ${2 * MAX_FILE_BYTES} values there, each alias (*name) counted as the values it stands for; at most ${2 * MAX_FILE_BYTES} are read. The text there is not shown: it may hold a secret.`,
    );
    expect(described['zh-CN']).toContain(`profile.yaml 第 7 行`);
    expect(described['zh-CN']).toContain(`${2 * MAX_FILE_BYTES}`);
    expectNoPartOfSecret(JSON.stringify(described) + error.message);
  });

  it('refuses merge keys that copy a large map over and over (YAML 1.1, as harbor.yml is read)', () => {
    let text = `base: &b {${Array.from({ length: 10_000 }, (_, i) => `k${i}: 1`).join(', ')}}\n`;
    for (let i = 0; i < 300; i++) text += `m${i}: {<<: *b}\n`;
    expectRefused(() => parseYaml(text, HARBOR_YML), 'values');
    // A few merges are what merge keys are for.
    expect(parseYaml('base: &b {a: 1, b: 2}\nm: {<<: *b, b: 3}\n', HARBOR_YML)).toEqual({ base: { a: 1, b: 2 }, m: { a: 1, b: 3 } });
    expect(() => parseYaml('a: 1\nm:\n  <<: [1]\n', HARBOR_YML)).toThrow(/^not valid YAML \(BAD_MERGE\)$/);
  });

  it('refuses an alias inside the collection it names, which would never end', () => {
    expectRefused(() => parseYaml('a: 1\nb: &x [1, *x]\n'), 'cycle', 2);
    expectRefused(() => parseYaml('b: &x\n  k:\n    - *x\n'), 'cycle', 3);
    expectRefused(() => parseYaml('m: &m {<<: *m}\n', HARBOR_YML), 'cycle', 1);
    // The anchor that counts is the last before the alias (yaml's rule), even over an earlier one of the same name.
    expectRefused(() => parseYaml('a: &x 1\nb: &x [*x]\n'), 'cycle', 2);
    expect(parseYaml('a: &x [1]\nb: &x [2]\nc: *x\n')).toEqual({ a: [1], b: [2], c: [2] });
  });

  it("reads many aliases of small values, which yaml's own count refused", () => {
    const text = `port: &p 22\nnodes:\n${Array.from({ length: 1000 }, (_, i) => `  - { host: n${i}, port: *p }`).join('\n')}\n`;
    const value = parseYaml(text) as { nodes: { port: number }[] };
    expect(value.nodes).toHaveLength(1000);
    expect(value.nodes.every((n) => n.port === 22)).toBe(true);
  });

  it('refuses 100,000 aliases, which yaml would look up one by one among all before them (minutes)', () => {
    const text = `a: &a 1\nx: [${Array(100_000).fill('*a').join(', ')}]\n`;
    const error = expectRefused(() => parseYaml(text), 'aliasSteps', 2);
    expect(error.describe('harbor.yml').en).toContain(`more than ${YAML_INPUT_LIMITS.aliasSteps} such steps`);
  });
});

describe('keys', () => {
  it('still refuses a duplicate key where keys must be unique, at the same place yaml did', () => {
    const error = (() => {
      try {
        parseYaml(`a: 1\nb:\n  c: 2\n  c: ${SECRET}\nd: [1, {e: 1, e: 2}]\n`);
      } catch (e) {
        return e as TextSyntaxError;
      }
      throw new Error('parsed');
    })();
    expect(error).toBeInstanceOf(TextSyntaxError);
    expect(error.message).toBe('not valid YAML at line 4, column 3 (DUPLICATE_KEY)');
    expect(() => parseYaml('{a: 1, a: 2}')).toThrow(/^not valid YAML at line 1, column 8 \(DUPLICATE_KEY\)$/);
    // An error before the duplicate is the one reported, as before.
    expect(() => parseYaml('a: @x\nb: 1\nb: 2\n')).toThrow(/^not valid YAML at line 1, column 4 \(BAD_SCALAR_START\)$/);
    // harbor.yml: the later one wins, as in PyYAML.
    expect(parseYaml('a: 1\na: 2\n', HARBOR_YML)).toEqual({ a: 2 });
  });

  it('reads 100,000 distinct keys (yaml compared each with every earlier one: minutes)', () => {
    const text = Array.from({ length: 100_000 }, (_, i) => `k${i}: 1`).join('\n');
    const value = parseYaml(text) as Record<string, number>;
    expect(Object.keys(value)).toHaveLength(100_000);
    expect(value.k99999).toBe(1);
  });

  it('reads an !!omap of up to 1000 entries and refuses a larger one (yaml compares its keys pairwise)', () => {
    const omap = (n: number) => `a: 1\nm: !!omap\n${Array.from({ length: n }, (_, i) => `  - k${i}: ${i}`).join('\n')}\n`;
    const value = parseYaml(omap(YAML_INPUT_LIMITS.omapEntries), HARBOR_YML) as { m: Map<string, number> };
    expect(value.m).toBeInstanceOf(Map);
    expect(value.m.size).toBe(1000);
    expectRefused(() => parseYaml(omap(50_000), HARBOR_YML), 'omapEntries', 3);
    // YAML 1.2 (a profile file) resolves an explicit !!omap too.
    expectRefused(() => parseYaml(omap(50_000)), 'omapEntries', 3);
    expectRefused(
      () => parseYaml(`m: !<tag:yaml.org,2002:omap>\n${Array.from({ length: 1001 }, (_, i) => `  - k${i}: ${i}`).join('\n')}\n`),
      'omapEntries',
      2,
    );
    expect(() => parseYaml('m: !!omap\n  - a: 1\n  - a: 2\n', HARBOR_YML)).toThrow(TextSyntaxError);
  });
});

describe('size and errors', () => {
  it('reads up to the file limit in UTF-8 bytes and refuses more, naming both sizes', () => {
    const base = `a: "${'é'.repeat((MAX_FILE_BYTES - 8) / 2)}"\n`;
    const atLimit = `${base}#\n`;
    expect(Buffer.byteLength(atLimit)).toBe(MAX_FILE_BYTES);
    expect((parseYaml(atLimit) as { a: string }).a).toHaveLength((MAX_FILE_BYTES - 8) / 2);
    const error = expectRefused(() => parseYaml(`${base}b: 1\n`), 'bytes');
    expect(error.describe('harbor.yml')).toEqual({
      en: `harbor.yml is ${MAX_FILE_BYTES + 3} B; at most 1 MiB (${MAX_FILE_BYTES} B) of YAML is read.`,
      'zh-CN': `harbor.yml 大小为 ${MAX_FILE_BYTES + 3} B；YAML 最多读取 1 MiB (${MAX_FILE_BYTES} B)。`,
    });
  });

  it("reports the first of very many errors, and leaves the process's stack trace limit as it was", () => {
    const before = Error.stackTraceLimit;
    expect(() => parseYaml(`a: 1\n${'- x\n'.repeat(200_000)}`)).toThrow(/^not valid YAML at line 2, column 1 \(/);
    expect(Error.stackTraceLimit).toBe(before);
  });
});

describe('real files', () => {
  it("reads Harbor 2.15.2's harbor.yml.tmpl exactly as yaml does, as harbor.yml and as a profile file is read", () => {
    expect(parseYaml(template, HARBOR_YML)).toEqual(parse(template, HARBOR_YML));
    expect(parseYaml(template)).toEqual(parse(template));
    expect(yamlDocument(template, HARBOR_YML).toString()).toBe(parseDocument(template, HARBOR_YML).toString());
  });

  it('imports it as before', () => {
    const r = draftFromHarborConfig('harbor.yml', template);
    expect(r.generation).toBe('v2');
    expect(r.draft.harbor).toEqual({ generation: 'v2', version: '2.15.0' });
    expect(r.draft.options).toMatchObject({ jobWorkers: 10, dataVolume: '/data' });
  });
});

describe("a node's harbor.yml.tmpl (read from the node by the config step)", () => {
  it('is refused with the bound and the line when it nests too deep, as an API error in both languages', () => {
    const p = profileSchema.parse(v2Profile());
    const secrets = { adminPassword: 'AdminPw9Zq', dbPassword: 'PgHarborPw-Vw4', redisPassword: 'RedisPw-Ty5', ossSecret: 'OssSecret-Rs6' };
    const line = template.split('\n').length;
    const error = (() => {
      try {
        renderHarborYml(`${template}\nextra: ${'['.repeat(20_000)}\n`, p, secrets);
      } catch (e) {
        return e as ApiError;
      }
      throw new Error('rendered');
    })();
    expect(error).toBeInstanceOf(ApiError);
    expect(error.code).toBe('invalid_input');
    expect(error.localized.en).toMatch(new RegExp(`^harbor\\.yml\\.tmpl line ${line + 1}: collections are nested more than 64 deep there`));
    expect(error.localized['zh-CN']).toMatch(new RegExp(`^harbor\\.yml\\.tmpl 第 ${line + 1} 行：该处集合嵌套超过 64 层`));
  });
});
