/**
 * The value policy against Harbor's real prepare and the real readers, both ways. For every secret a profile hands
 * Harbor and every generation, a corpus — each printable ASCII character at the start, middle and end, YAML-typed
 * words and numbers, spaces at the edges, non-ASCII — is rendered by the app's own renderer (harbor.yml; harbor.cfg and
 * config_ha.yml), run through Harbor's real prepare, and every place the value lands (shared/profile/destinations.ts)
 * is read back as Harbor's components read it (test/truth/destination-readers.ts). Then:
 *   - a value the policy accepts arrives exactly, in every place, for every reader;
 *   - a value the policy refuses really breaks in at least one place (the app refuses only what breaks);
 *   - the value appears in no file prepare wrote that the destinations do not list.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderV1Config } from '../../electron/core/harbor/v1/config';
import { renderHarborYml } from '../../electron/core/harbor/v2/config';
import { profileShape, type ProfileInput } from '../../shared/profile';
import {
  destinationsOf,
  redisAuthValue,
  type DestinationContext,
  type Generation,
  type PolicedSecret,
} from '../../shared/profile/destinations';
import { checkPolicedValue, destinationContext } from '../../shared/profile/value-policy';
import { releaseDir } from '../lab/harbor-release';
import { v1Profile, v2Profile } from '../helpers/profiles';
import { composeV1Batch, ENV_FILES, pyYamlValues, READERS, type CaseFiles } from './destination-readers';
import { runPrepareV1, runPrepareV2, type PrepareResult } from './prepare';
import { GoReaders } from './readback';

/** The secrets each generation hands Harbor, with a tag that makes each field's values distinctive. */
const FIELDS: Record<Generation, Array<[PolicedSecret, string]>> = {
  v2: [
    ['harbor.adminPassword', 'Ad'],
    ['database.harbor.password', 'Db'],
    ['redis.password', 'Rd'],
    ['oss.accessKeySecret', 'Os'],
  ],
  v1: [
    ['harbor.adminPassword', 'Ad'],
    ['database.harbor.password', 'Db'],
    ['redis.password', 'Rd'],
    ['oss.accessKeySecret', 'Os'],
    ['clair.password', 'Cl'],
  ],
};

const core = (tag: string) => `Xy7${tag}Kq9`;

/** The corpus of one field: every printable ASCII character in three positions, YAML words and numbers, spaces, non-ASCII. */
function corpus(tag: string): string[] {
  const c = core(tag);
  const out = new Set<string>();
  for (let code = 0x20; code <= 0x7e; code++) {
    const ch = String.fromCharCode(code);
    out
      .add(`${ch}${c}`)
      .add(`${c.slice(0, 4)}${ch}${c.slice(4)}`)
      .add(`${c}${ch}`);
  }
  for (const w of [
    'null',
    'Null',
    '~',
    'true',
    'True',
    'yes',
    'on',
    'Off',
    'y',
    'N',
    '.inf',
    '.NaN',
    '0777',
    '08',
    '0x1F',
    '0o17',
    '0b101',
    '1e3',
    '1_000',
    '.5',
    '-0',
    '+5',
    '12:30',
    '2001-12-14',
    '123456789012345678901234567890',
    '1234567',
    '<<',
    '=',
    '-',
    '?x',
    ':x',
  ])
    out.add(w);
  for (const w of ['yes', '0777', '1e3', 'null']) out.add(`${w}${c}`);
  for (const s of [
    `${c.slice(0, 4)}: ${c.slice(4)}`,
    `${c.slice(0, 4)} #${c.slice(4)}`,
    `${c.slice(0, 4)}$HOME${c.slice(4)}`,
    `${c.slice(0, 4)}\${HOME}${c.slice(4)}`,
    `${c.slice(0, 4)}%41${c.slice(4)}`,
    `${c}\\`,
    `\\\\${c}`,
    `${c.slice(0, 4)}\\'${c.slice(4)}`,
    `;${c}`,
    `${c} ;x`,
    `""`,
  ])
    out.add(s);
  for (const s of [
    `${c}密码`,
    `é${c}`,
    `${c}ß`,
    `${c}\u00a0`,
    `\u00a0${c}`,
    `\u3000${c}`,
    `${c}\u3000`,
    `${c.slice(0, 4)}\u3000${c.slice(4)}`,
    `${c}😀`,
    `${c.slice(0, 4)}\u2028${c.slice(4)}`,
    `${c}\u0085`,
    `${c}\t`,
    `${c.slice(0, 4)}\t${c.slice(4)}`,
  ])
    out.add(s);
  return [...out];
}

let go: GoReaders;
beforeAll(async () => {
  go = await GoReaders.start();
}, 300_000);
afterAll(() => go?.close());

interface Failure {
  readonly field: PolicedSecret;
  readonly value: string;
  readonly problem: string;
}

/** The places of `field` that are files prepare writes (the others are connection strings components build). */
const declaredFiles = (field: PolicedSecret, gen: Generation) =>
  new Set((destinationsOf(field, gen) ?? []).map((d) => d.place).filter((p) => p.includes('/')));

/**
 * Reads every run back and checks the three properties for the fields it tests. A run whose prepare failed counts as
 * "breaks" for a refused value and as a failure for an accepted one.
 */
async function check(
  gen: Generation,
  ctx: DestinationContext,
  runs: readonly Case[],
  cases: readonly CaseFiles[],
  results: readonly PrepareResult[],
  appYaml: (i: number, field: PolicedSecret) => string | null,
): Promise<Failure[]> {
  const failures: Failure[] = [];
  const v1Env = await composeV1Batch(cases, ENV_FILES);
  for (const [i, c] of cases.entries()) {
    for (const field of runs[i]!.tested) {
      const value = runs[i]!.values[field];
      const refused = checkPolicedValue(field, gen, value, ctx);
      const expected = field === 'redis.password' ? redisAuthValue(value, ctx) : value;
      const wrong: string[] = [];
      if (results[i]!.code !== 0) wrong.push(`prepare exited ${results[i]!.code}: ${results[i]!.output.slice(-300)}`);
      for (const d of destinationsOf(field, gen) ?? []) {
        const read = READERS[d.id];
        if (!read) {
          failures.push({ field, value, problem: `no reader for ${d.id}` });
          continue;
        }
        const readings =
          d.format === 'app-yaml' && d.place === 'harbor.yml'
            ? [{ reader: 'PyYAML', value: appYaml(i, field) }]
            : await read(go, c, v1Env[i]!, ctx);
        for (const r of readings) if (r.value !== expected) wrong.push(`${d.id} via ${r.reader}: ${JSON.stringify(r.value)}`);
      }
      if (!refused && wrong.length) failures.push({ field, value, problem: `accepted, but does not arrive: ${wrong.join('; ')}` });
      if (refused && !wrong.length) failures.push({ field, value, problem: `refused (${refused.en}), yet it arrives exactly everywhere` });
      // no place the destinations do not list
      const tag = FIELDS[gen].find(([f]) => f === field)![1];
      if (value.includes(core(tag))) {
        const declared = declaredFiles(field, gen);
        for (const [file, text] of Object.entries(results[i]!.files))
          if (text.includes(core(tag)) && !declared.has(file))
            failures.push({ field, value, problem: `lands in ${file}, which destinations.ts does not list` });
      }
    }
  }
  return failures;
}

/** One prepare run: a value for every field, and which of them the run tests (the others hold a plain value). */
interface Case {
  readonly values: Record<PolicedSecret, string>;
  readonly tested: readonly PolicedSecret[];
}

/**
 * The runs: accepted values packed together (case i carries the i-th accepted value of every field), then each refused
 * value alone among plain ones, so that a value breaking a file another field shares cannot blame that field.
 */
function casesOf(gen: Generation, ctx: DestinationContext): Case[] {
  const fields = FIELDS[gen];
  const plain = Object.fromEntries(fields.map(([f, tag]) => [f, core(tag)])) as Record<PolicedSecret, string>;
  const accepted = fields.map(([f, tag]) => [f, corpus(tag).filter((v) => !checkPolicedValue(f, gen, v, ctx))] as const);
  const refused = fields.flatMap(([f, tag]) =>
    corpus(tag)
      .filter((v) => checkPolicedValue(f, gen, v, ctx))
      .map((v) => [f, v] as const),
  );
  const n = Math.max(...accepted.map(([, c]) => c.length));
  const packed = Array.from({ length: n }, (_, i) => {
    const values = { ...plain };
    const tested: PolicedSecret[] = [];
    for (const [f, c] of accepted) {
      if (i < c.length) {
        values[f] = c[i]!;
        tested.push(f);
      }
    }
    return { values, tested };
  });
  return [...packed, ...refused.map(([f, v]) => ({ values: { ...plain, [f]: v }, tested: [f] }))];
}

const summary = (failures: readonly Failure[]) => failures.map((f) => `${f.field} ${JSON.stringify(f.value)}: ${f.problem}`).join('\n');

describe('Harbor 2.15 carries exactly what the policy accepts, and breaks what it refuses', () => {
  it('for every secret, through the real prepare, as core, jobservice, trivy, distribution and docker compose read it', async () => {
    const profile = profileShape.parse(
      v2Profile((p: ProfileInput) => (p.access = { domain: 'registry.example.com', protocol: 'http', privateKey: { set: false } })),
    );
    const ctx = destinationContext(profile);
    const template = fs.readFileSync(path.join(releaseDir('v2.15.2'), 'make', 'harbor.yml.tmpl'), 'utf8');
    const runs = casesOf('v2', ctx);
    const inputs = runs.map(({ values: v }) =>
      renderHarborYml(template, profile, {
        adminPassword: v['harbor.adminPassword'],
        dbPassword: v['database.harbor.password'],
        redisPassword: v['redis.password'],
        ossSecret: v['oss.accessKeySecret'],
      }),
    );
    const results = await runPrepareV2('v2.15.2', inputs, ['--with-trivy']);
    const keys: Array<[PolicedSecret, string[]]> = [
      ['harbor.adminPassword', ['harbor_admin_password']],
      ['database.harbor.password', ['external_database', 'harbor', 'password']],
      ['redis.password', ['external_redis', 'password']],
      ['oss.accessKeySecret', ['storage_service', 'oss', 'accesskeysecret']],
    ];
    const yml = await pyYamlValues(
      inputs,
      keys.map(([, k]) => k),
    );
    const failures = await check(
      'v2',
      ctx,
      runs,
      inputs.map((input, i) => ({ input, files: results[i]!.files })),
      results,
      (i, field) => yml[i]![keys.findIndex(([f]) => f === field)] ?? null,
    );
    expect(summary(failures)).toBe('');
  }, 900_000);
});

describe('Harbor 1.5 carries exactly what the policy accepts, and breaks what it refuses', () => {
  it('for every secret, through the real Python 2 prepare --ha --with-clair, as the adminserver, UI, jobservice, Clair, distribution and docker compose read it', async () => {
    {
      const profile = profileShape.parse(v1Profile());
      const ctx = destinationContext(profile);
      const make = path.join(releaseDir('v1.5.0'), 'make');
      const runs = casesOf('v1', ctx);
      const cases = await Promise.all(
        runs.map(async ({ values: v }) => {
          const files = await renderV1Config(
            profile,
            {
              adminPassword: v['harbor.adminPassword'],
              dbPassword: v['database.harbor.password'],
              redisPassword: v['redis.password'],
              ossSecret: v['oss.accessKeySecret'],
              clairPassword: v['clair.password'],
            },
            async (rel) => fs.readFileSync(path.join(make, rel), 'utf8'),
          );
          // a new token key pair per run only costs time here (RSA 4096); the shipped pair is used instead
          const map = Object.fromEntries(
            files.map((f) => [
              f.relative,
              f.relative === 'harbor.cfg' ? f.text.replace(/^customize_crt = on$/m, 'customize_crt = off') : f.text,
            ]),
          );
          return { files: map, args: ['--ha', '--with-clair'] };
        }),
      );
      const results = await runPrepareV1('v1.5.0', cases);
      const failures = await check(
        'v1',
        ctx,
        runs,
        cases.map((c, i) => ({ input: c.files['harbor.cfg']!, files: results[i]!.files })),
        results,
        () => null,
      );
      expect(summary(failures)).toBe('');
    }
  }, 900_000);
});
