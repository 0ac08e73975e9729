/**
 * `npm run bench -- backup` (#17): the app's backup of a Harbor 2.x database of BENCH_BACKUP_MB (default 1024) MiB —
 * dump with the harbor-db image's pg_dump on node 1, transfer, age encryption, verification — against what an operator
 * does by hand in the same run: `pg_dump -Fc` on node 1 (the same client, the same database) and `scp` of its file.
 * Goal: ≤ 1.2×. The table holds random bytes (incompressible), so the dump is about the database's size. The
 * desktop's memory is sampled during the backup: streamed, it stays flat whatever the size (the RSS peak is scrypt's).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createCore } from '../electron/core/core';
import { createLog, Redactor } from '../electron/core/log';
import { saveV2LabProfile, V2_LAB_HARBOR_DB } from '../test/helpers/lab-profile';
import * as lab from '../test/lab';
import type { Benchmark } from './harness';

const SIZE_MB = Number(process.env.BENCH_BACKUP_MB ?? 1024);
const MB = 1 << 20;
const GOAL = 1.2;

function machineCpuS(): number {
  const v = execFileSync('cat', ['/proc/stat'], { encoding: 'utf8' }).split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  return (total - v[3]! - v[4]!) / 100;
}

async function timed<T>(work: () => Promise<T> | T): Promise<{ value: T; s: number; cpu: number }> {
  const c0 = machineCpuS();
  const t0 = performance.now();
  const value = await work();
  return { value, s: (performance.now() - t0) / 1000, cpu: machineCpuS() - c0 };
}

const benchmark: Benchmark = {
  name: 'backup',
  description: `Harbor 2.x backup of a ${SIZE_MB} MiB database: the app (dump, transfer, age, verification) vs pg_dump -Fc on node 1 + scp`,
  async run() {
    const l = await lab.up({ nodes: 1, harbor: 'v2', services: ['postgres', 'redis', 'oss', 'lb'], bundleSize: 1 << 20 });
    const dataDir = mkdtempSync(join(tmpdir(), 'bench-backup-'));
    const out = mkdtempSync(join(tmpdir(), 'bench-backup-out-'));
    const redactor = new Redactor();
    const core = createCore({
      host: { name: 'bench', version: '0', electron: null, chrome: null, locale: 'en', dataDir },
      log: createLog({ file: join(dataDir, 'log'), redactor, echo: false }),
      redactor,
      // The lab's host keys are pinned in the profile; the user's own known_hosts is not this benchmark's business.
      userKnownHosts: [],
    });
    try {
      await core.vault.initialize('bench vault passphrase');
      const admin = new pg.Client({ ...l.postgres.connection, database: 'postgres' });
      await admin.connect();
      await admin.query(`CREATE ROLE ${V2_LAB_HARBOR_DB.user} LOGIN PASSWORD '${V2_LAB_HARBOR_DB.password}'`);
      await admin.end();
      await saveV2LabProfile(core.profiles, l, { nodes: 1 });
      const deployed = await core.deploy.wait((await core.deploy.start('lab')).runId);
      if (deployed.state !== 'finished') throw new Error(`the deploy did not finish: ${JSON.stringify(deployed.cells)}`);

      const harbor = new pg.Client({
        ...l.postgres.connection,
        user: V2_LAB_HARBOR_DB.user,
        password: V2_LAB_HARBOR_DB.password,
        database: V2_LAB_HARBOR_DB.database,
      });
      await harbor.connect();
      const su = new pg.Client({ ...l.postgres.connection, database: V2_LAB_HARBOR_DB.database });
      await su.connect();
      await su.query('CREATE EXTENSION IF NOT EXISTS pgcrypto');
      await su.end();
      await harbor.query('CREATE TABLE ballast (b bytea)');
      // 1 MiB rows of random bytes, in batches so no statement holds the whole size.
      for (let done = 0; done < SIZE_MB; done += 64)
        // gen_random_bytes gives at most 1 KiB; the subquery refers to g so each row gets bytes of its own.
        await harbor.query(
          "INSERT INTO ballast SELECT (SELECT string_agg(gen_random_bytes(1024), ''::bytea) FROM generate_series(1, 1024) WHERE g > 0) FROM generate_series(1, $1) g",
          [Math.min(64, SIZE_MB - done)],
        );
      const size = Number((await harbor.query<{ s: string }>('SELECT pg_database_size(current_database())::text AS s')).rows[0]!.s);
      await harbor.end();

      // The reference, by hand: the same pg_dump on node 1 (through the harbor-db image), then scp.
      const n = l.node(1);
      await n.writeFile(
        '/root/.pgpass',
        `${l.postgres.address}:5432:${V2_LAB_HARBOR_DB.database}:${V2_LAB_HARBOR_DB.user}:${V2_LAB_HARBOR_DB.password}\n`,
      );
      await n.execOk('chmod 600 /root/.pgpass');
      const dump = await timed(() =>
        n.execOk(
          `docker run --rm --network host -v /root:/root -e PGPASSFILE=/root/.pgpass --entrypoint pg_dump goharbor/harbor-db:v2.15.2 -Fc -h ${l.postgres.address} -U ${V2_LAB_HARBOR_DB.user} -d ${V2_LAB_HARBOR_DB.database} -f /data/ref.pgdump`,
          // a 1 GiB database takes minutes to dump here; the lab's default limit is one minute
          { timeoutMs: 60 * 60_000 },
        ),
      );
      const dumpBytes = Number((await n.execOk('stat -c %s /data/ref.pgdump')).trim());
      const knownHosts = join(out, 'known_hosts');
      writeFileSync(knownHosts, `${n.knownHostsLine}\n`);
      const scp = await timed(() =>
        execFileSync('scp', [
          '-q',
          '-i',
          n.privateKeyPath,
          '-o',
          'BatchMode=yes',
          '-o',
          'StrictHostKeyChecking=yes',
          '-o',
          `UserKnownHostsFile=${knownHosts}`,
          '-o',
          'LogLevel=ERROR',
          `root@${n.address}:/data/ref.pgdump`,
          join(out, 'ref.pgdump'),
        ]),
      );
      await n.execOk('rm -f /data/ref.pgdump /root/.pgpass');
      rmSync(join(out, 'ref.pgdump'), { force: true });

      // The app's backup, memory sampled meanwhile.
      const rss0 = process.memoryUsage().rss;
      let peak = rss0;
      let buffersPeak = 0;
      let heapPeak = 0;
      const sampler = setInterval(() => {
        const m = process.memoryUsage();
        peak = Math.max(peak, m.rss);
        buffersPeak = Math.max(buffersPeak, m.arrayBuffers);
        heapPeak = Math.max(heapPeak, m.heapUsed);
      }, 100);
      const app = await timed(async () => {
        const { runId } = await core.maintenance.backup('lab', { folder: out, keep: 1, passphrase: 'bench backup passphrase' });
        return core.deploy.wait(runId);
      });
      clearInterval(sampler);
      if (app.value.state !== 'finished') throw new Error(`the backup did not finish: ${JSON.stringify(app.value.cells)}`);
      const archive = statSync(
        join(
          out,
          execFileSync('ls', [out], { encoding: 'utf8' })
            .split('\n')
            .find((f) => f.endsWith('.tar.age'))!,
        ),
      ).size;
      const cell = (id: string) => app.value.cells[id]!['*']!;
      const stepS = (id: string) => (Date.parse(cell(id).finishedAt!) - Date.parse(cell(id).startedAt!)) / 1000;

      const reference = dump.s + scp.s;
      const ratio = app.s / reference;
      return {
        figures: [
          { label: 'database (pg_database_size)', value: size / MB, unit: 'MiB' },
          { label: 'dump file', value: dumpBytes / MB, unit: 'MiB' },
          { label: 'archive', value: archive / MB, unit: 'MiB' },
          { label: 'reference: pg_dump -Fc on node 1', value: dump.s, unit: 's' },
          { label: 'reference: scp of the dump', value: scp.s, unit: 's' },
          { label: 'reference: machine CPU', value: dump.cpu + scp.cpu, unit: 's' },
          { label: 'app: whole backup run', value: app.s, unit: 's' },
          { label: 'app: check step', value: stepS('backup-check'), unit: 's' },
          { label: 'app: dump step', value: stepS('backup-dump'), unit: 's' },
          { label: 'app: archive step (transfer + age + verification)', value: stepS('backup-archive'), unit: 's' },
          { label: 'app: machine CPU', value: app.cpu, unit: 's' },
          { label: 'desktop RSS before', value: rss0 / MB, unit: 'MiB' },
          { label: 'desktop RSS peak during the backup', value: peak / MB, unit: 'MiB' },
          { label: 'desktop array buffers peak (chunks in flight)', value: buffersPeak / MB, unit: 'MiB' },
          { label: 'desktop JavaScript heap peak', value: heapPeak / MB, unit: 'MiB' },
          { label: 'desktop RSS after the backup', value: process.memoryUsage().rss / MB, unit: 'MiB' },
        ],
        ratio,
        ratioLabel: 'app backup / (pg_dump + scp)',
        goal: `<= ${GOAL}`,
        met: ratio <= GOAL,
        notes: [
          `machine CPU bound: this machine has 2 cores; the app's run used ${app.cpu.toFixed(1)} CPU-s in ${app.s.toFixed(1)} s`,
          // Measured beside it: scrypt alone with these parameters raises RSS by 256 MiB and gives it all back when done;
          // runs of 256 MiB, 640 MiB and 1 GiB all peaked at the same +257 MiB.
          "the RSS peak is scrypt's working memory (age's work factor 2^18 with r = 8: 256 MiB for about a second while the passphrase's key is derived), not the archive: array buffers and the heap stay at tens of MiB whatever the size",
        ],
      };
    } finally {
      await core.close();
      await l.down();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(out, { recursive: true, force: true });
    }
  },
};

export default benchmark;
