/**
 * The value policy's verdicts, fast: for every secret Harbor carries, both generations and a corpus of hostile values
 * (each printable ASCII character at the start, middle and end, YAML words and number shapes, edge whitespace,
 * non-ASCII), the first place a value breaks and why — and what Go's yaml.v2 makes of number- and word-shaped text.
 * The table was recorded from the policy that test/truth/value-policy.test.ts and yaml-resolve.test.ts check against
 * Harbor's real prepare, the real readers and yaml.v2 itself; those need Harbor's release and Go, so this table is what
 * the unit suite (and `npm run mutate`) holds the policy to. After a deliberate change of the policy, rerun the truth
 * tests, then record again: HARBOR_HA_RECORD_POLICY=1 with this file.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { POLICED_SECRETS, type Generation } from '../../shared/profile/destinations';
import { checkPolicedValue, firstBreak } from '../../shared/profile/value-policy';
import { FORMAT_DESCRIPTIONS, goFormatFloat, goYamlSprint } from '../../shared/profile/value-formats';

const RECORDED = new URL('../fixtures/value-policy/verdicts.json', import.meta.url);

function corpus(): string[] {
  const c = 'Xy7Kq9';
  const out = new Set<string>();
  for (let code = 0x20; code <= 0x7e; code++) {
    const ch = String.fromCharCode(code);
    out
      .add(`${ch}${c}`)
      .add(`${c.slice(0, 3)}${ch}${c.slice(3)}`)
      .add(`${c}${ch}`);
  }
  for (const w of ['', 'null', 'Null', '~', 'true', 'yes', 'on', 'Off', 'y', 'N', '.inf', '-.Inf', '.NaN', '0777', '08', '0x1F', '0o17'])
    out.add(w);
  for (const w of [
    '0b101',
    '1e3',
    '1_000',
    '.5',
    '-0',
    '+5',
    '12:30',
    '2001-12-14',
    '123456789012345678901234567890',
    '<<',
    '=',
    '-',
    '?x',
    ':x',
    '""',
  ])
    out.add(w);
  for (const s of [
    `${c}: x`,
    `${c} #x`,
    `${c}$HOME`,
    `${c}\${HOME}`,
    `${c}$$`,
    `${c}$1`,
    `${c}%41`,
    `${c}\\`,
    `\\\\${c}`,
    `${c}\\'x`,
    `;${c}`,
    `${c} ;x`,
  ])
    out.add(s);
  for (const s of [
    `${c}密码`,
    `é${c}`,
    `${c}\u00a0`,
    `\u3000${c}`,
    `${c}\u2028x`,
    `${c}\u0085`,
    `${c}\t`,
    `${c}\tx`,
    `${c}\nx`,
    `${c}\u007f`,
    `${c}\ufeff`,
  ])
    out.add(s);
  return [...out];
}

/** Number-, word- and date-shaped texts, as an AccessKey secret can be. */
function shapes(): string[] {
  const out = new Set<string>([
    '0',
    '-0',
    '+0',
    '00',
    '0.0',
    '1.',
    '.5',
    '-.5',
    '+.5',
    '1e3',
    '1E3',
    '1e+3',
    '1e-3',
    '-1e-7',
    '1.5e300',
    '1e400',
    '-1e400',
  ]);
  for (const s of [
    '0x1f',
    '0X1F',
    '-0x1f',
    '0o17',
    '0O17',
    '017',
    '08',
    '0b101',
    '0B11',
    '-0b1',
    '1_000',
    '1__0',
    '_1',
    '1_',
    '0x_1',
    '9223372036854775807',
  ])
    out.add(s);
  for (const s of [
    '9223372036854775808',
    '-9223372036854775808',
    '-9223372036854775809',
    '18446744073709551615',
    '18446744073709551616',
    '123456789012345678901234567890',
  ])
    out.add(s);
  for (const s of [
    '100000',
    '1000000',
    '0.0001',
    '0.00001',
    '123456.5',
    '1234567.5',
    '3.14',
    '-2.5e-5',
    '5e-324',
    '1.7976931348623157e308',
    '+1',
    '-',
    '+',
    '.',
    '1.2.3',
  ])
    out.add(s);
  for (const s of [
    '2001-12-14',
    '2001-12-14t21:59:43.10-05:00',
    '2001-1-1',
    '2001-12-14 21:59',
    '12:30',
    '1:20:30',
    'abc',
    '1a',
    '0x',
    '0b2',
    '0o8',
    'y',
    'Y',
    'n',
    'NO',
    'nil',
    '~',
    'NULL',
  ])
    out.add(s);
  for (const s of [
    '.inf',
    '.Inf',
    '.INF',
    '+.inf',
    '-.inf',
    '.nan',
    '.NAN',
    '.nAn',
    'True',
    'tRUE',
    'on',
    'OFF',
    '1e',
    '1e+',
    'e3',
    '-0.0',
    '+0.0',
    '0e0',
  ])
    out.add(s);
  return [...out];
}

const FLOATS = [
  0,
  -0,
  1,
  -1,
  0.1,
  1e-5,
  1e-4,
  123456,
  1234567,
  1e21,
  1.5e300,
  5e-324,
  Number.MAX_VALUE,
  NaN,
  Infinity,
  -Infinity,
  2.5,
  -1234.5678,
];

function record() {
  const verdicts: Record<string, string | null> = {};
  const whys: string[] = [];
  for (const generation of ['v1', 'v2'] as Generation[])
    for (const field of POLICED_SECRETS)
      for (const value of corpus()) {
        const hit = firstBreak(field, generation, value);
        let why = -1;
        if (hit) {
          const text = `${hit.found.why.en} | ${hit.found.why['zh-CN']}`;
          why = whys.indexOf(text);
          if (why < 0) why = whys.push(text) - 1;
        }
        verdicts[`${generation} ${field} ${JSON.stringify(value)}`] = hit
          ? `${hit.destination.id} ${JSON.stringify(hit.found.what)} #${why}`
          : null;
      }
  return {
    verdicts,
    whys,
    yaml: Object.fromEntries(shapes().map((s) => [s, goYamlSprint(s)])),
    floats: FLOATS.map((f) => [String(f), goFormatFloat(f)]),
    formats: Object.fromEntries(Object.entries(FORMAT_DESCRIPTIONS).map(([k, v]) => [k, `${v.en} | ${v['zh-CN']}`])),
  };
}

describe('the value policy against its recorded verdicts', () => {
  // Computed inside each test, so that a mutation run counts these tests as covering the policy.
  const current = () => {
    const now = record();
    if (process.env.HARBOR_HA_RECORD_POLICY === '1' || !existsSync(RECORDED)) writeFileSync(RECORDED, `${JSON.stringify(now, null, 1)}\n`);
    return { now, recorded: JSON.parse(readFileSync(RECORDED, 'utf8')) as ReturnType<typeof record> };
  };

  it('finds the same first break, character and reason for every field, generation and value', () => {
    const { now, recorded } = current();
    const differing = Object.keys({ ...recorded.verdicts, ...now.verdicts }).filter((k) => recorded.verdicts[k] !== now.verdicts[k]);
    expect(differing.slice(0, 20).map((k) => `${k}: recorded ${recorded.verdicts[k]}, now ${now.verdicts[k]}`)).toEqual([]);
    expect(now.whys).toEqual(recorded.whys);
    expect(now.formats).toEqual(recorded.formats);
  });

  it("reads number- and word-shaped text as Go's yaml.v2 and fmt.Sprint do", () => {
    const { now, recorded } = current();
    expect(now.yaml).toEqual(recorded.yaml);
    expect(now.floats).toEqual(recorded.floats);
    // a few that anyone can check by hand
    expect(goYamlSprint('0777')).toBe('511');
    expect(goYamlSprint('0x1F')).toBe('31');
    expect(goYamlSprint('1_000')).toBe('1000');
    expect(goYamlSprint('yes')).toBe('true');
    expect(goYamlSprint('y')).toBe('true');
    expect(goYamlSprint('~')).toBe('<nil>');
    expect(goYamlSprint('abc')).toBeNull();
    expect(goFormatFloat(1e21)).toBe('1e+21');
  });

  it('words every refusal with the place, its format and the reason, in both languages', () => {
    const { now } = current();
    for (const [k, v] of Object.entries(now.verdicts)
      .filter(([, v]) => v !== null)
      .slice(0, 400)) {
      const [generation, field, ...rest] = k.split(' ');
      const value = JSON.parse(rest.join(' ')) as string;
      const m = checkPolicedValue(field as (typeof POLICED_SECRETS)[number], generation as Generation, value);
      const [, why] = /#(\d+)$/.exec(v!)!;
      const [en, zh] = now.whys[Number(why)]!.split(' | ');
      expect(m!.en, k).toContain(en);
      expect(m!['zh-CN'], k).toContain(zh);
    }
  });
});
