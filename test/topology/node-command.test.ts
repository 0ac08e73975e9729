/**
 * The sweep's node command, run for real by sh on this machine with the Harbor node kind's facts: the container
 * listing it quotes in reaches docker argument for argument, the data volume and log folder are measured, the shared
 * files digested, and the CSRF key line found by its prefix as text (not a comment that mentions it, also without a
 * final newline). What it prints is read back by parseNodeReport, as the monitor reads it.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { harborNodes } from '../../electron/core/harbor/adapter';
import { nodeArgv, parseNodeReport } from '../../electron/core/health/checks';
import type { NodeKind } from '../../electron/core/health/kind';
import { profileSchema } from '../../shared/profile';
import { v1Profile, v2Profile } from '../helpers/profiles';

const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

/** A folder with a data volume, a log folder, core's env and a `docker` that records its arguments. */
function node(makeProfile: typeof v2Profile = v2Profile) {
  const root = mkdtempSync(join(tmpdir(), 'node-command-'));
  const dataVolume = join(root, 'data');
  const logs = join(root, 'logs');
  const env = join(root, 'core', 'env');
  const bin = join(root, 'bin');
  for (const d of [dataVolume, logs, dirname(env), bin]) mkdirSync(d, { recursive: true });
  writeFileSync(
    join(bin, 'docker'),
    `#!/bin/sh\nfor a in "$@"; do printf '%s\\n--\\n' "$a"; done > ${JSON.stringify(join(root, 'docker-args'))}\nprintf 'nginx\\tgoharbor/nginx-photon:v2.15.2\\tUp 3 hours (healthy)\\n'\n`,
  );
  chmodSync(join(bin, 'docker'), 0o755);
  const profile = profileSchema.parse(makeProfile((p) => (p.options = { ...p.options, dataVolume })));
  // Harbor's facts, but the log folder and core's env in this folder: the test may not write /var/log or /opt.
  const csrfKey = harborNodes.csrfKey(profile);
  const kind: NodeKind = { ...harborNodes, logFolder: logs, csrfKey: () => (csrfKey ? { ...csrfKey, path: env } : undefined) };
  const run = () => {
    const [file, ...args] = nodeArgv(kind, profile);
    return parseNodeReport(
      execFileSync(file!, args, { encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` } }),
    );
  };
  const dockerArgs = () => readFileSync(join(root, 'docker-args'), 'utf8').split('\n--\n').slice(0, -1);
  return { dataVolume, logs, env, profile, run, dockerArgs };
}

describe('the node command', () => {
  it('lists containers with the kind’s command, measures both folders and digests the shared files and the CSRF key line', () => {
    const n = node();
    const files = harborNodes.sharedFiles(n.profile).map((f) => f.path);
    mkdirSync(dirname(files[0]!), { recursive: true });
    writeFileSync(files[0]!, 'the secret key\n');
    writeFileSync(n.env, '# CSRF_KEY=mentioned in a comment\nPORT=8080\nCSRF_KEY=0123456789abcdef0123456789abcdef\nLOG_LEVEL=info\n');
    const r = n.run();
    expect(n.dockerArgs()).toEqual([...harborNodes.containerList.argv.slice(1)]);
    expect(r.docker.rc).toBe(0);
    expect(harborNodes.containerList.parse(r.docker.text).map((c) => [c.name, c.state])).toEqual([['nginx', 'running']]);
    expect(r.df.map((d) => [d.path, d.rc])).toEqual([
      [n.dataVolume, 0],
      [n.logs, 0],
    ]);
    expect(r.keys).toEqual([
      { path: files[0], digest: sha256('the secret key\n') },
      ...files.slice(1).map((path) => ({ path, problem: 'missing' })),
    ]);
    expect(r.csrf).toEqual({ path: n.env, digest: sha256('CSRF_KEY=0123456789abcdef0123456789abcdef') });
    expect(r.epochSeconds).toBeGreaterThan(0);
  });

  it('reads a CSRF key line without a final newline, and says when the line or the file is missing', () => {
    const n = node();
    writeFileSync(n.env, 'PORT=8080\nCSRF_KEY=last line');
    expect(n.run().csrf).toEqual({ path: n.env, digest: sha256('CSRF_KEY=last line') });
    writeFileSync(n.env, 'PORT=8080\nXCSRF_KEY=not it\n');
    expect(n.run().csrf).toEqual({ path: n.env, problem: 'unset' });
    writeFileSync(n.env, '');
    expect(n.run().csrf).toEqual({ path: n.env, problem: 'unset' });
    rmSync(n.env);
    expect(n.run().csrf).toEqual({ path: n.env, problem: 'missing' });
  });

  it('digests no CSRF key where the kind has none (Harbor 1.x), and the 1.x shared files', () => {
    const n = node(v1Profile);
    writeFileSync(n.env, 'CSRF_KEY=0123456789abcdef0123456789abcdef\n');
    const r = n.run();
    expect(r.csrf).toBeUndefined();
    expect(r.keys.map((k) => k.path)).toEqual(harborNodes.sharedFiles(n.profile).map((f) => f.path));
  });
});
