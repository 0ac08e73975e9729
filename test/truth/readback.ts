/**
 * Reading back what Harbor's prepare wrote the way Harbor's components read it: the Go readers of test/readback
 * (yaml.v2, net/url, pgconn, lib/pq, go-sql-driver/mysql, godotenv — Debian's packages), built once into the lab's
 * cache, and docker compose v1's own env-file reader (Debian's docker-compose 1.29, Python).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { CACHE_DIR, REPO_ROOT, runOk } from '../lab/util';

export type GoReader =
  'registry-config' | 'jobservice-config' | 'clair-config' | 'harbor1-redis-url' | 'url' | 'pg-dsn' | 'pq-dsn' | 'mysql-dsn' | 'dotenv';

export interface ReadBack {
  /** What the reader found, by key (null: present but not a value, e.g. YAML null in a parameter map). */
  readonly values?: Readonly<Record<string, string | null>>;
  /** The reader refused the text (the component would fail to start). */
  readonly error?: string;
}

const SOURCE = path.join(REPO_ROOT, 'test', 'readback', 'readback.go');

/** Builds the Go readers (GOPATH mode against Debian's Go library packages) unless the cache has this source's build. */
async function build(): Promise<string> {
  const key = createHash('sha256').update(fs.readFileSync(SOURCE)).digest('hex').slice(0, 16);
  const bin = path.join(CACHE_DIR, `readback-${key}`);
  if (fs.existsSync(bin)) return bin;
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const tmp = `${bin}.${process.pid}.tmp`;
  await runOk('go', ['build', '-o', tmp, SOURCE], {
    env: { ...process.env, GO111MODULE: 'off', GOPATH: '/usr/share/gocode', GOCACHE: path.join(CACHE_DIR, 'go-build'), GOFLAGS: '' },
    timeoutMs: 300_000,
  });
  fs.renameSync(tmp, bin);
  return bin;
}

/** One long-lived reader process; requests are answered in order. */
export class GoReaders {
  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly answers: AsyncIterator<string>,
  ) {}

  static async start(): Promise<GoReaders> {
    const child = spawn(await build(), [], { stdio: ['pipe', 'pipe', 'pipe'] });
    return new GoReaders(child, createInterface({ input: child.stdout })[Symbol.asyncIterator]());
  }

  async read(kind: GoReader, text: string): Promise<ReadBack> {
    this.child.stdin.write(`${JSON.stringify({ kind, text })}\n`);
    const line = await this.answers.next();
    if (line.done) throw new Error('the Go readers exited');
    return JSON.parse(line.value) as ReadBack;
  }

  close(): void {
    this.child.stdin.end();
  }
}

/**
 * docker compose 1.26+ (Python): `compose.config.environment.env_vars_from_file`, python-dotenv underneath — Debian's
 * docker-compose 1.29 itself. Answers one map per file text, in order.
 */
export async function composeV1EnvFiles(texts: readonly string[]): Promise<Array<Record<string, string | null> | { error: string }>> {
  const program = [
    'import json, sys, tempfile, os',
    'from compose.config.environment import env_vars_from_file',
    'out = []',
    'for text in json.load(sys.stdin):',
    '    fd, name = tempfile.mkstemp()',
    '    os.write(fd, text.encode("utf-8")); os.close(fd)',
    '    try: out.append(env_vars_from_file(name))',
    '    except Exception as e: out.append({"error": str(e)})',
    '    finally: os.unlink(name)',
    'json.dump(out, sys.stdout)',
  ].join('\n');
  return pythonJson(program, texts, "docker compose's env reader");
}

/** Runs a Python 3 program (Debian's, with its packages) on JSON input and answers its JSON output. */
export async function pythonJson<T>(program: string, input: unknown, what: string): Promise<T> {
  const child = spawn('/usr/bin/python3', ['-c', program], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  child.stdin.end(JSON.stringify(input));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`${what} failed: ${err}`);
  return JSON.parse(out) as T;
}

/**
 * docker-compose before 1.26 (CentOS 7's EPEL package is 1.18): each line stripped, `#` lines skipped, split at the
 * first `=` (compose/config/environment.py `env_vars_from_file` and `split_env` of those versions). No quotes, no
 * comments after a value, no interpolation.
 */
export function composeV1LegacyEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const raw of text.replace(/^\uFEFF/, '').split(PY_LINE_BREAKS)) {
    const line = pyStrip(raw);
    if (!line || line.startsWith('#')) continue;
    const i = line.indexOf('=');
    if (i < 0) env[line] = '';
    else env[line.slice(0, i)] = line.slice(i + 1);
  }
  return env;
}

/** What Python's unicode `splitlines` (codecs readers iterate by it) takes for a line break. */
// eslint-disable-next-line no-control-regex -- Python breaks lines at \x1c-\x1e too
const PY_LINE_BREAKS = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;
/** Python's `str.strip()`: the characters `str.isspace` is true for, at both ends. */
const pyStrip = (s: string) =>
  s.replace(
    // eslint-disable-next-line no-control-regex -- Python counts \x1c-\x1f as whitespace
    /^[\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g,
    '',
  );

/** Go's unicode.IsSpace. */
const GO_SPACE = /[\t\n\v\f\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u;
/** compose-go dotenv's isSpace (a space, but not a line break). */
const COMPOSE_GO_SPACE = /[\t\v\f\r \x85\xa0]/u;
/** compose-go template's interpolation pattern: `$$`, `$name`, `${name[:-?+]…}`, or an invalid `${`. */
const COMPOSE_GO_INTERPOLATION = /\$(?:(\$)|([_a-z][_a-z0-9]*)|\{(?:([_a-z][_a-z0-9]*(?::?[-+?].*)?)\}|()))/gi;

/**
 * docker compose v2 reads env files with compose-go's dotenv parser, which no Debian package carries, so this is a
 * port of its rules for the unquoted `KEY=value` lines prepare writes (compose-go dotenv/parser.go: the value starts
 * after compose's own isSpace characters, a leading `'` or `"` quotes it, it ends at the line end or at ` #`, trailing
 * unicode.IsSpace is trimmed, then template.Substitute interpolates `$$`, `$name` and `${…}`, an invalid `${` being an
 * error). Unset variables are empty, as compose makes them. A key whose value is quoted reads as null here.
 */
export function composeV2EnvFile(text: string): Record<string, string | null> | { error: string } {
  const env: Record<string, string | null> = {};
  for (const raw of text.split('\n')) {
    const line = raw.replace(/^[\s]+/u, '');
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([^=:\s]+)\s*[=:](.*)$/su.exec(line);
    if (!m) return { error: `unexpected line ${JSON.stringify(raw)}` };
    let value = m[2]!;
    while (value && COMPOSE_GO_SPACE.test(value[0]!)) value = value.slice(1);
    if (value.startsWith("'") || value.startsWith('"')) {
      env[m[1]!] = null;
      continue;
    }
    const comment = value.indexOf(' #');
    if (comment >= 0) value = value.slice(0, comment);
    while (value && GO_SPACE.test(value.at(-1)!)) value = value.slice(0, -1);
    let invalid = false;
    value = value.replace(
      COMPOSE_GO_INTERPOLATION,
      (_all, escaped: string | undefined, named: string | undefined, braced: string | undefined) => {
        if (escaped) return '$';
        if (named) return env[named] ?? '';
        if (braced) return env[braced.replace(/:?[-+?].*$/, '')] ?? '';
        invalid = true;
        return '';
      },
    );
    if (invalid) return { error: `invalid interpolation in ${m[1]}` };
    env[m[1]!] = value;
  }
  return env;
}
