/**
 * The database dump of a backup, made on node 1 with the client in Harbor's own harbor-db image (so its version is the
 * one Harbor ships, and the dump connects from the node the database's whitelist admits): `pg_dump -Fc` of the 2.x
 * database, `mysqldump --single-transaction` of 1.5's `registry`. Both read one consistent snapshot while Harbor
 * serves. The password reaches the tool in a credentials file of mode 600 in the run's private folder, mounted into
 * the container, never on a command line; the file is removed as soon as the dump ends.
 */
import { posix } from 'node:path';
import type { Profile } from '../../../../shared/profile';

/** Node 1 keeps the run's dump here (under the data volume: the disk Harbor's data already has) until it is archived. */
export function stagingRoot(p: Profile): string {
  return posix.join(p.options.dataVolume.replace(/\/+$/, '') || '/', 'harbor-ha-backup');
}

export function stagingDir(p: Profile, runId: string): string {
  return posix.join(stagingRoot(p), runId);
}

export interface DumpSpec {
  /** Harbor's harbor-db image of the installed version. */
  readonly image: string;
  /** The dump, complete (written under `<file>.part`, renamed when the tool succeeded). */
  readonly file: string;
  /** Its name in the archive. */
  readonly member: string;
  readonly format: 'pg_dump-custom' | 'mysqldump-sql';
  readonly tool: 'pg_dump' | 'mysqldump';
  readonly database: string;
  /** The credentials file and its content (secret). */
  readonly credentials: { readonly path: string; readonly content: string };
  /** `docker run …` on node 1. */
  readonly argv: readonly string[];
}

/** A .pgpass field: `:` and `\` escaped (PostgreSQL's rule). */
const pgpassField = (s: string) => s.replace(/[\\:]/g, (c) => `\\${c}`);
/** A value of a MySQL option file, double-quoted with `\` and `"` escaped. */
const optionValue = (s: string) => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

/** The repository of Harbor's database image: 1.5 was published under vmware/, 2.x under goharbor/. */
export const harborDbRepository = (p: Profile) => (p.database.engine === 'postgresql' ? 'goharbor/harbor-db' : 'vmware/harbor-db');

/**
 * The harbor-db image to dump with, of those node 1 has loaded (`repository:tag`): the profile's version, else the
 * newest tag there (the installer the profile names may be a patch release apart); null when there is none.
 */
export function chooseHarborDbImage(p: Profile, loaded: Iterable<string>): string | null {
  const repo = harborDbRepository(p);
  const tags = [...loaded].filter((i) => i.startsWith(`${repo}:`)).map((i) => i.slice(repo.length + 1));
  if (tags.includes(`v${p.harbor.version}`)) return `${repo}:v${p.harbor.version}`;
  const parts = (t: string) =>
    t
      .replace(/^v/, '')
      .split(/[.-]/)
      .map((x) => Number.parseInt(x, 10) || 0);
  const newest = tags.sort((a, b) => {
    const [x, y] = [parts(a), parts(b)];
    for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (y[i] ?? 0) - (x[i] ?? 0);
    return 0;
  })[0];
  return newest ? `${repo}:${newest}` : null;
}

/** `docker run` of a database client of Harbor's harbor-db image on node 1, with the run's folder `dir` mounted. */
function clientRun(image: string, dir: string, tool: string, env: readonly string[], args: readonly string[]): string[] {
  return [
    'docker',
    'run',
    '--rm',
    // The database's whitelist admits the node's address: the container uses the node's network.
    '--network',
    'host',
    // harbor-db runs as the postgres/mysql user by default; the run's folder is root's alone (mode 700).
    '--user',
    '0:0',
    '-v',
    `${dir}:${dir}`,
    ...env.flatMap((e) => ['-e', e]),
    '--entrypoint',
    tool,
    image,
    ...args,
  ];
}

type PgDatabase = Extract<Profile['database'], { engine: 'postgresql' }>;

/** The Harbor account's .pgpass line for the profile's database, in `dir`. */
function pgpass(db: PgDatabase, dir: string, password: string): { path: string; content: string } {
  return {
    path: `${dir}/pgpass`,
    content: `${[db.host, String(db.port), db.harbor.database, db.harbor.user, password].map(pgpassField).join(':')}\n`,
  };
}

/** `repository:tag` of each image `docker images` lists (its table: the first two columns of each row). */
export function parseDockerImages(table: string): Set<string> {
  const images = new Set<string>();
  for (const line of table.split('\n').slice(1)) {
    const [repo, tag] = line.trim().split(/\s+/);
    if (repo && tag && tag !== '<none>') images.add(`${repo}:${tag}`);
  }
  return images;
}

/** The version of Harbor's images bundle from its name (the offline installer's harbor.vX.Y.Z.tar.gz), null when not one. */
export const bundleVersion = (path: string) => /harbor\.v(\d+\.\d+\.\d+)\.tar\.gz$/.exec(path)?.[1] ?? null;

/** What dumps the Harbor database of this profile on node 1 into `dir`, with the client of `image`. */
export function dumpSpec(p: Profile, dir: string, password: string, image: string): DumpSpec {
  const db = p.database;
  const run = (image: string, tool: string, env: readonly string[], args: readonly string[]) => clientRun(image, dir, tool, env, args);
  if (db.engine === 'postgresql') {
    const file = `${dir}/registry.pgdump`;
    const credentials = pgpass(db, dir, password);
    return {
      image,
      file,
      member: 'database/registry.pgdump',
      format: 'pg_dump-custom',
      tool: 'pg_dump',
      database: db.harbor.database,
      credentials,
      argv: run(
        image,
        'pg_dump',
        [`PGPASSFILE=${credentials.path}`, `PGSSLMODE=${db.harbor.sslMode}`],
        [
          '--format=custom',
          `--host=${db.host}`,
          `--port=${db.port}`,
          `--username=${db.harbor.user}`,
          `--dbname=${db.harbor.database}`,
          '--no-password',
          `--file=${file}.part`,
        ],
      ),
    };
  }
  const file = `${dir}/registry.sql`;
  const credentials = {
    path: `${dir}/my.cnf`,
    content: `[client]\nhost=${optionValue(db.host)}\nport=${db.port}\nuser=${optionValue(db.harbor.user)}\npassword=${optionValue(password)}\n`,
  };
  return {
    image,
    file,
    member: 'database/registry.sql',
    format: 'mysqldump-sql',
    tool: 'mysqldump',
    database: 'registry',
    credentials,
    // --defaults-extra-file must come first; --single-transaction reads one snapshot of the InnoDB tables without
    // locking Harbor out; --no-tablespaces needs no PROCESS privilege, which Harbor's account does not have.
    argv: run(
      image,
      'mysqldump',
      [],
      [
        `--defaults-extra-file=${credentials.path}`,
        '--single-transaction',
        '--no-tablespaces',
        '--databases',
        'registry',
        `--result-file=${file}.part`,
      ],
    ),
  };
}

export interface RestoreSpec {
  /** Where the dump is put on node 1 before the client reads it. */
  readonly file: string;
  readonly credentials: { readonly path: string; readonly content: string };
  /** `docker run …` on node 1; the credentials file is removed when it ends, whatever its exit code. */
  readonly argv: readonly string[];
}

/**
 * What loads a 2.x dump into the profile's (new, empty) database on node 1 with `image`'s pg_restore, as Harbor's own
 * account so that everything restored is Harbor's (--no-owner, --no-privileges: the source cluster's roles need not
 * exist here), in one transaction: a restore that fails leaves the database empty, never half-filled.
 */
export function restoreSpec(p: Profile, dir: string, password: string, image: string): RestoreSpec {
  const db = p.database;
  if (db.engine !== 'postgresql') throw new Error('restoreSpec: a 2.x (PostgreSQL) profile');
  const file = `${dir}/registry.pgdump`;
  const credentials = pgpass(db, dir, password);
  const restore = clientRun(
    image,
    dir,
    'pg_restore',
    [`PGPASSFILE=${credentials.path}`, `PGSSLMODE=${db.harbor.sslMode}`],
    [
      '--no-owner',
      '--no-privileges',
      '--single-transaction',
      '--exit-on-error',
      `--host=${db.host}`,
      `--port=${db.port}`,
      `--username=${db.harbor.user}`,
      `--dbname=${db.harbor.database}`,
      '--no-password',
      file,
    ],
  );
  // The credentials file goes whatever pg_restore answers; its exit code is the command's.
  return { file, credentials, argv: ['sh', '-c', 'f=$1; shift; "$@"; rc=$?; rm -f -- "$f"; exit $rc', 'sh', credentials.path, ...restore] };
}

/**
 * What loads a 1.5 dump (mysqldump's SQL: it creates `registry` and uses it) on node 1 with `image`'s mysql client, as
 * the admin account (creating a database needs it), the SQL on the client's stdin; the credentials file is removed
 * whatever the client answers.
 */
export function mysqlRestoreSpec(p: Profile, dir: string, admin: { user: string; password: string }, image: string): RestoreSpec {
  const db = p.database;
  const file = `${dir}/registry.sql`;
  const credentials = {
    path: `${dir}/my.cnf`,
    content: `[client]\nhost=${optionValue(db.host)}\nport=${db.port}\nuser=${optionValue(admin.user)}\npassword=${optionValue(admin.password)}\n`,
  };
  const client = clientRun(image, dir, 'mysql', [], [`--defaults-extra-file=${credentials.path}`]);
  // `-i`: the SQL comes on stdin, redirected from the dump by the shell of node 1 (paths as arguments, never in the script).
  const interactive = [...client.slice(0, 2), '-i', ...client.slice(2)];
  return {
    file,
    credentials,
    argv: ['sh', '-c', 'f=$1; c=$2; shift 2; "$@" < "$f"; rc=$?; rm -f -- "$c"; exit $rc', 'sh', file, credentials.path, ...interactive],
  };
}
