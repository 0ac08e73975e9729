// Stand-ins for the commands a Harbor host has but the lab cannot run for real: docker, docker-compose (v1 binary)
// and the `docker compose` plugin, yum/rpm, apt-get/dpkg, python (2), pip, systemctl, iptables/iptables-save.
// Runs on a lab node (inside the node's mount namespace) as `node standin.mjs <command> [args…]`.
// State lives in the node's filesystem under /var/lib/harbor-lab; every invocation is appended to invocations.jsonl.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const STATE = '/var/lib/harbor-lab';
const SRC = `${STATE}/src`;
const require = createRequire(`${SRC}/package.json`);
/**
 * A module loaded on first use. Every call is a fresh process and most never need these: loading
 * zlib, crypto and child_process at start was most of what a call cost above a bare Node start
 * (`npm run bench -- lab-standin`).
 */
function onFirstUse(name) {
  let loaded;
  return new Proxy({}, { get: (_, key) => (loaded ??= require(name))[key] });
}
const YAML = onFirstUse('yaml');
const zlib = onFirstUse('node:zlib');
const crypto = onFirstUse('node:crypto');
const childProcess = onFirstUse('node:child_process');
const spawn = (...a) => childProcess.spawn(...a);
const spawnSync = (...a) => childProcess.spawnSync(...a);
const SIM = `${SRC}/test/lab/node/harbor-sim.mjs`;
const PYTHON27 = `${STATE}/python2.7`;
const CONTAINER = `${SRC}/test/lab/node/container.sh`;

const cmd = process.argv[2];
const args = process.argv.slice(3);
const cfg = readJson(`${STATE}/config.json`, {});

function readJson(p, dflt) {
  try {
    return JSON.parse(fs.readFileSync(p, 'utf8'));
  } catch {
    return dflt;
  }
}
function writeJson(p, v) {
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, JSON.stringify(v, null, 2));
}
function setCfg(patch) {
  const cur = readJson(`${STATE}/config.json`, {});
  Object.assign(cur, patch);
  writeJson(`${STATE}/config.json`, cur);
  Object.assign(cfg, patch);
}
const out = (s) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`);
const err = (s) => process.stderr.write(s.endsWith('\n') ? s : `${s}\n`);

function finish(code) {
  try {
    fs.appendFileSync(
      `${STATE}/invocations.jsonl`,
      `${JSON.stringify({ t: new Date().toISOString(), cmd, args, cwd: process.cwd(), exit: code })}\n`,
    );
  } catch {
    /* state dir missing: not on a lab node */
  }
  process.exitCode = code;
}

function alive(pid) {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    const st = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\S+ \(.*\) [ZX]/.test(st);
  } catch {
    return false;
  }
}

function cmpVer(a, b) {
  const pa = String(a)
    .replace(/^v/, '')
    .split(/[.-]/)
    .map((x) => parseInt(x, 10) || 0);
  const pb = String(b)
    .replace(/^v/, '')
    .split(/[.-]/)
    .map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

function writeWrapper(name, target, dir = '/usr/bin') {
  fs.writeFileSync(path.join(dir, name), `#!/bin/sh\nexec ${process.execPath} ${SRC}/test/lab/node/standin.mjs ${target} "$@"\n`, {
    mode: 0o755,
  });
}

// ───────────────────────────── time formatting (docker's units.HumanDuration) ─────────────────────────────
function human(ms) {
  const s = Math.floor(ms / 1000);
  if (s < 1) return 'Less than a second';
  if (s === 1) return '1 second';
  if (s < 60) return `${s} seconds`;
  const m = Math.floor(s / 60);
  if (m === 1) return 'About a minute';
  if (m < 60) return `${m} minutes`;
  const h = Math.round(m / 60);
  if (h === 1) return 'About an hour';
  if (h < 48) return `${h} hours`;
  return `${Math.floor(h / 24)} days`;
}

// ───────────────────────────── tabwriter (text/tabwriter with padding 3) ─────────────────────────────
function table(rows, minwidth) {
  const w = [];
  for (const r of rows) r.forEach((c, i) => (w[i] = Math.max(w[i] ?? 0, String(c).length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? String(c) : String(c).padEnd(Math.max(w[i] + 3, minwidth))))
        .join('')
        .trimEnd(),
    )
    .join('\n');
}

// Go-template subset: {{.Field}}, {{.A.B}}, {{json .}}, {{json .X}}, \t and a leading `table`
function goTemplate(tpl, obj) {
  return tpl
    .replace(/\\t/g, '\t')
    .replace(/\\n/g, '\n')
    .replace(/\{\{\s*json\s+\.([\w.]*)\s*\}\}/g, (_, p) => JSON.stringify(p ? dig(obj, p) : obj))
    .replace(/\{\{\s*\.([\w.]+)\s*\}\}/g, (_, p) => {
      const v = dig(obj, p);
      return v === undefined ? '<no value>' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    });
}
function dig(o, p) {
  return p.split('.').reduce((a, k) => (a == null ? undefined : a[k]), o);
}
function formatRows(fmt, objs, headers) {
  if (fmt.startsWith('table')) {
    const body = fmt.slice(5).trim();
    const head = goTemplate(body, headers);
    const lines = [head, ...objs.map((o) => goTemplate(body, o))];
    return table(
      lines.map((l) => l.split('\t')),
      0,
    );
  }
  return objs.map((o) => goTemplate(fmt, o)).join('\n');
}

// ───────────────────────────── docker state ─────────────────────────────
const DSTATE = `${STATE}/docker`;
const images = () => readJson(`${DSTATE}/images.json`, []);
const containers = () => readJson(`${DSTATE}/containers.json`, []);
const saveContainers = (c) => writeJson(`${DSTATE}/containers.json`, c);
const sims = () => readJson(`${DSTATE}/sims.json`, {});
const saveSims = (s) => writeJson(`${DSTATE}/sims.json`, s);

function dockerRunning() {
  const svc = readJson(`${STATE}/services.json`, {});
  if (svc.docker) return svc.docker.active;
  return cfg.dockerRunning !== false;
}

function containerView(c) {
  const sim = sims()[c.project];
  const up = c.state === 'running' && (!c.sim || (sim && alive(sim.pid)));
  const now = Date.now();
  const status = up
    ? `Up ${human(now - c.started)}${c.health ? ' (healthy)' : ''}`
    : `Exited (${c.exitCode ?? (c.state === 'running' ? 1 : 0)}) ${human(now - (c.finished ?? c.started))} ago`;
  const cmdq = c.command.length > 20 ? `"${c.command.slice(0, 19)}…"` : `"${c.command}"`;
  return {
    ID: c.id.slice(0, 12),
    Image: c.image,
    Command: cmdq,
    CreatedAt: new Date(c.created)
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, ' +0000 UTC'),
    RunningFor: `${human(now - c.created)} ago`,
    Ports: up ? (c.ports ?? '') : '',
    State: up ? 'running' : 'exited',
    Status: status,
    Names: c.name,
    Service: c.service,
    Labels: `com.docker.compose.project=${c.project},com.docker.compose.service=${c.service}`,
    Mounts: '',
    Networks: `${c.project}_harbor`,
    Size: '0B',
    LocalVolumes: '0',
  };
}

function dockerPs(argv) {
  let all = false;
  let quiet = false;
  let fmt;
  const filters = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-a' || a === '--all') all = true;
    else if (a === '-q' || a === '--quiet') quiet = true;
    else if (a === '-aq' || a === '-qa') all = quiet = true;
    else if (a === '--format') fmt = argv[++i];
    else if (a.startsWith('--format=')) fmt = a.slice(9);
    else if (a === '-f' || a === '--filter') filters.push(argv[++i]);
    else if (a === '--no-trunc') {
      /* ignore */
    } else {
      err(`unknown flag: ${a}\nSee 'docker ps --help'.`);
      return 125;
    }
  }
  let list = containers().map(containerView);
  if (!all) list = list.filter((c) => c.State === 'running');
  for (const f of filters) {
    const [k, v] = f.split('=');
    if (k === 'name') list = list.filter((c) => c.Names.includes(v));
    else if (k === 'status') list = list.filter((c) => c.State === v);
    else if (k === 'label') list = list.filter((c) => c.Labels.includes(v));
  }
  if (quiet) {
    if (list.length) out(list.map((c) => c.ID).join('\n'));
    return 0;
  }
  if (fmt) {
    const s = formatRows(fmt, list, {
      ID: 'CONTAINER ID',
      Image: 'IMAGE',
      Command: 'COMMAND',
      CreatedAt: 'CREATED AT',
      RunningFor: 'CREATED',
      Ports: 'PORTS',
      State: 'STATE',
      Status: 'STATUS',
      Names: 'NAMES',
      Labels: 'LABELS',
      Size: 'SIZE',
      Networks: 'NETWORKS',
      Mounts: 'MOUNTS',
    });
    if (s) out(s);
    return 0;
  }
  const rows = [['CONTAINER ID', 'IMAGE', 'COMMAND', 'CREATED', 'STATUS', 'PORTS', 'NAMES']];
  for (const c of list) rows.push([c.ID, c.Image, c.Command, c.RunningFor, c.Status, c.Ports, c.Names]);
  out(table(rows, cmpVer(cfg.docker, '17.06') < 0 ? 20 : 10));
  return 0;
}

async function dockerLoad(argv) {
  let file;
  let quiet = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '-i' || argv[i] === '--input') file = argv[++i];
    else if (argv[i].startsWith('--input=')) file = argv[i].slice(8);
    else if (argv[i] === '-q' || argv[i] === '--quiet') quiet = true;
  }
  let input;
  if (file) {
    if (!fs.existsSync(file)) {
      err(`open ${file}: no such file or directory`);
      return 1;
    }
    input = fs.createReadStream(file);
  } else {
    if (process.stdin.isTTY) {
      err('requested load from stdin, but stdin is empty');
      return 1;
    }
    input = process.stdin;
  }
  // The bundle is a (gzipped) `docker save` tar. Read it completely (truncation must fail like the real thing),
  // and take the image names from manifest.json.
  let manifest;
  try {
    manifest = await readTarMember(input, 'manifest.json');
  } catch (e) {
    err(`Error processing tar file(exit status 1): ${e.message}`);
    return 1;
  }
  if (!manifest) {
    err('open /var/lib/docker/tmp/docker-import-123456789/repositories: no such file or directory');
    return 1;
  }
  const imgs = images();
  for (const m of JSON.parse(manifest)) {
    for (const tag of m.RepoTags ?? []) {
      const [repo, t] = [tag.slice(0, tag.lastIndexOf(':')), tag.slice(tag.lastIndexOf(':') + 1)];
      const id = crypto.createHash('sha256').update(tag).digest('hex');
      const known = imgs.find((x) => x.repo === repo && x.tag === t);
      // LabRoot: the folder the lab runs this image from (the prepare image's app, the core image's /harbor)
      if (known) known.root = m.LabRoot;
      else imgs.push({ repo, tag: t, id, created: Date.now(), size: m.Size ?? '150MB', ...(m.LabRoot ? { root: m.LabRoot } : {}) });
      if (!quiet) out(`Loaded image: ${tag}`);
    }
  }
  writeJson(`${DSTATE}/images.json`, imgs);
  return 0;
}

/** Stream a (possibly gzipped) tar; return the named member's text (the whole stream is consumed). */
function readTarMember(stream, name) {
  return new Promise((resolve, reject) => {
    let found;
    let buf = Buffer.alloc(0);
    let skip = 0;
    let want = null;
    let ended = false;
    let first = true;
    const onData = (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        if (ended) return;
        if (skip > 0) {
          const n = Math.min(skip, buf.length);
          if (want) want.parts.push(buf.subarray(0, n));
          buf = buf.subarray(n);
          skip -= n;
          if (skip > 0) return;
          if (want) {
            found = Buffer.concat(want.parts).subarray(0, want.size).toString('utf8');
            want = null;
          }
        }
        if (buf.length < 512) return;
        const h = buf.subarray(0, 512);
        buf = buf.subarray(512);
        if (h.every((b) => b === 0)) {
          ended = true;
          return;
        }
        const nm = h.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
        const size = parseInt(h.subarray(124, 136).toString('utf8').replace(/\0.*$/s, '').trim() || '0', 8);
        skip = Math.ceil(size / 512) * 512;
        if (nm === name) want = { size, parts: [] };
      }
    };
    stream.once('data', (c) => {
      if (first && c[0] === 0x1f && c[1] === 0x8b) {
        const gz = zlib.createGunzip();
        gz.on('data', onData);
        gz.on('error', (e) => reject(new Error(e.code === 'Z_BUF_ERROR' ? 'unexpected EOF' : e.message)));
        gz.on('end', () => (ended || found !== undefined ? resolve(found) : reject(new Error('unexpected EOF'))));
        stream.pipe(gz);
        gz.write(c);
      } else {
        stream.on('data', onData);
        stream.on('end', () => (ended || found !== undefined ? resolve(found) : reject(new Error('unexpected EOF'))));
        onData(c);
      }
      first = false;
    });
    stream.on('error', reject);
  });
}

function dockerVersionText() {
  const v = cfg.docker;
  const build = crypto.createHash('md5').update(v).digest('hex').slice(0, 7);
  return { v, build };
}

function daemonDown() {
  err('Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?');
  return 1;
}

async function docker(argv) {
  const { v, build } = dockerVersionText();
  const a0 = argv[0];
  if (a0 === '--version' || a0 === '-v') {
    out(`Docker version ${v}, build ${build}`);
    return 0;
  }
  if (a0 === 'compose') {
    if (!cfg.composePlugin) {
      err(`docker: 'compose' is not a docker command.\nSee 'docker --help'`);
      return 1;
    }
    return compose(argv.slice(1), 'plugin');
  }
  if (a0 === 'version') {
    const fmtI = argv.indexOf('--format');
    const fmtI2 = argv.indexOf('-f');
    const fmt = fmtI >= 0 ? argv[fmtI + 1] : fmtI2 >= 0 ? argv[fmtI2 + 1] : undefined;
    const running = dockerRunning();
    const info = {
      Client: { Version: v, APIVersion: '1.41', GoVersion: 'go1.20.10', Os: 'linux', Arch: 'amd64' },
      Server: running ? { Version: v, APIVersion: '1.41', Os: 'linux', Arch: 'amd64' } : null,
    };
    if (fmt) {
      out(goTemplate(fmt, info));
      if (!running) return daemonDown();
      return 0;
    }
    out(
      `Client:\n Version:           ${v}\n API version:       1.41\n Go version:        go1.20.10\n Git commit:        ${build}\n OS/Arch:           linux/amd64\n`,
    );
    if (!running) return daemonDown();
    out(
      `Server:\n Engine:\n  Version:          ${v}\n  API version:      1.41 (minimum version 1.12)\n  Git commit:       ${build}\n  OS/Arch:          linux/amd64`,
    );
    return 0;
  }
  if (!a0 || a0 === '--help' || a0 === 'help') {
    out(
      'Usage:  docker [OPTIONS] COMMAND\n\nA self-sufficient runtime for containers\n\nCommands:\n  images  load  logs  ps  restart  run  stop  start  version  info  inspect  compose',
    );
    return 0;
  }
  if (!dockerRunning()) return daemonDown();
  switch (a0) {
    case 'info':
      out(
        `Containers: ${containers().length}\nImages: ${images().length}\nServer Version: ${v}\nStorage Driver: overlay2\nCgroup Driver: cgroupfs\nDocker Root Dir: /var/lib/docker`,
      );
      return 0;
    case 'ps':
      return dockerPs(argv.slice(1));
    case 'container':
      if (argv[1] === 'ls') return dockerPs(argv.slice(2));
      break;
    case 'load':
      return dockerLoad(argv.slice(1));
    case 'images':
    case 'image': {
      const rows = [['REPOSITORY', 'TAG', 'IMAGE ID', 'CREATED', 'SIZE']];
      for (const i of images()) rows.push([i.repo, i.tag, i.id.slice(0, 12), `${human(Date.now() - i.created)} ago`, i.size]);
      if (argv.includes('-q'))
        out(
          images()
            .map((i) => i.id.slice(0, 12))
            .join('\n'),
        );
      else out(table(rows, cmpVer(v, '17.06') < 0 ? 20 : 10));
      return 0;
    }
    case 'logs': {
      const name = argv.filter((x) => !x.startsWith('-')).pop();
      const c = containers().find((x) => x.name === name || x.id.startsWith(name ?? '\0'));
      if (!c) {
        err(`Error: No such container: ${name}`);
        return 1;
      }
      // Harbor's containers log through syslog into /var/log/harbor/<service>.log; the Harbor-like service
      // (which stands for all of them) writes /var/log/harbor/sim.log
      for (const f of [
        `/var/log/harbor/${c.service}.log`,
        `/var/log/harbor/${c.name}.log`,
        ...(c.sim ? ['/var/log/harbor/sim.log'] : []),
      ]) {
        if (fs.existsSync(f)) {
          process.stdout.write(fs.readFileSync(f));
          return 0;
        }
      }
      return 0;
    }
    case 'restart':
    case 'stop':
    case 'start': {
      const names = argv.slice(1).filter((x) => !x.startsWith('-') && !/^\d+$/.test(x));
      const all = containers();
      let rc = 0;
      for (const n of names) {
        const c = all.find((x) => x.name === n || x.id.startsWith(n));
        if (!c) {
          err(`Error response from daemon: No such container: ${n}`);
          rc = 1;
          continue;
        }
        if (a0 === 'stop') {
          c.state = 'exited';
          c.exitCode = 0;
          c.finished = Date.now();
          if (c.sim) stopSim(c.project);
        } else {
          c.state = 'running';
          c.started = Date.now();
          delete c.exitCode;
          if (c.sim) {
            if (a0 === 'restart') stopSim(c.project);
            if (!alive(sims()[c.project]?.pid)) startSim(c.project, c.projectDir, c.files ?? ['docker-compose.yml']);
          }
        }
        out(n);
      }
      saveContainers(all);
      return rc;
    }
    case 'inspect': {
      let fmt;
      const names = [];
      for (let i = 1; i < argv.length; i++) {
        if (argv[i] === '-f' || argv[i] === '--format') fmt = argv[++i];
        else names.push(argv[i]);
      }
      const res = [];
      for (const n of names) {
        const c = containers().find((x) => x.name === n || x.id.startsWith(n));
        if (!c) {
          err(`Error: No such object: ${n}`);
          return 1;
        }
        const view = containerView(c);
        res.push({
          Id: c.id,
          Name: `/${c.name}`,
          Created: new Date(c.created).toISOString(),
          State: {
            Status: view.State,
            Running: view.State === 'running',
            ExitCode: c.exitCode ?? 0,
            StartedAt: new Date(c.started).toISOString(),
            Health: c.health ? { Status: view.State === 'running' ? 'healthy' : 'unhealthy' } : undefined,
          },
          // Restarts by the engine (a restart policy); `docker restart` does not count, as with real docker.
          RestartCount: c.restartCount ?? 0,
          Config: { Image: c.image },
          Image: `sha256:${crypto.createHash('sha256').update(c.image).digest('hex')}`,
        });
      }
      out(fmt ? res.map((r) => goTemplate(fmt, r)).join('\n') : JSON.stringify(res, null, 4));
      return 0;
    }
    case 'run':
      return dockerRun(argv.slice(1));
  }
  err(`docker: '${a0}' is not a docker command.\nSee 'docker --help'`);
  return 1;
}

function imageRecord(ref) {
  const i = ref.lastIndexOf(':');
  const repo = i > 0 && !ref.slice(i).includes('/') ? ref.slice(0, i) : ref;
  const tag = i > 0 && !ref.slice(i).includes('/') ? ref.slice(i + 1) : 'latest';
  return images().find((x) => x.repo === repo && x.tag === tag);
}
const imageLoaded = (ref) => !!imageRecord(ref);

/**
 * `docker run goharbor/prepare:<v> …`: Harbor's real prepare (its Python code, from the release files) in the lab's
 * container (node/container.sh): the image's /usr/src/app and the run's bind mounts, then `python3 main.py` (the
 * image's entrypoint). Debian's python3 with its jinja2, yaml, click and packaging packages stands in for the image's
 * pipenv environment.
 */
function runPrepareImage(appDir, volumes, args) {
  const mounts = [];
  for (const v of volumes) {
    const [host, container, ...opts] = v.split(':');
    if (!host || !container || !container.startsWith('/')) {
      err(`docker: invalid volume specification: '${v}'`);
      return 125;
    }
    // docker takes a source that is no absolute path for a volume name, and refuses one it cannot be
    if (!host.startsWith('/')) {
      err(
        /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.test(host)
          ? `docker: lab stand-in has no named volumes ("${host}")`
          : `docker: Error response from daemon: create ${host}: ${JSON.stringify(host)} includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path.`,
      );
      return 125;
    }
    if (!fs.existsSync(host)) fs.mkdirSync(host, { recursive: true }); // docker creates a missing bind source
    mounts.push(host, container, opts.includes('ro') ? 'ro' : 'rw');
  }
  const r = spawnSync(
    'unshare',
    ['--mount', '--propagation', 'private', 'sh', CONTAINER, appDir, ...mounts, '--', 'python3', 'main.py', ...args],
    { stdio: 'inherit' },
  );
  return r.status ?? 1;
}

function pullFails(ref) {
  err(`Unable to find image '${ref}' locally`);
  err(
    'docker: Error response from daemon: Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 127.0.0.53:53: no such host.',
  );
  err("See 'docker run --help'.");
  return 125;
}

/** The database tools Harbor's harbor-db images (PostgreSQL 2.x, MariaDB 1.5) carry, by entrypoint: the host's stand in. */
const DATABASE_CLIENTS = {
  mysql: 'mysql',
  mariadb: 'mysql',
  mysqldump: 'mysqldump',
  psql: 'psql',
  pg_dump: 'pg_dump',
  pg_restore: 'pg_restore',
};

function dockerRun(argv) {
  const volumes = [];
  let entrypoint;
  let i = 0;
  const env = {};
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-v' || a === '--volume') volumes.push(argv[++i]);
    else if (a === '--entrypoint') entrypoint = argv[++i];
    else if (a === '-e' || a === '--env') {
      const [k, ...r] = argv[++i].split('=');
      env[k] = r.join('=');
    } else if (['--name', '-w', '--workdir', '--network', '--net', '-u', '--user'].includes(a)) i++;
    else if (a.startsWith('-')) continue;
    else break;
  }
  const image = argv[i];
  const rest = argv.slice(i + 1);
  if (!image) {
    err('"docker run" requires at least 1 argument.');
    return 125;
  }
  if (!imageLoaded(image)) return pullFails(image);
  if (/\/prepare:/.test(image)) {
    const root = imageRecord(image)?.root;
    if (!root || !fs.existsSync(root)) {
      err(`docker: lab stand-in has no application folder for ${image} (was it loaded from a lab installer?)`);
      return 125;
    }
    return runPrepareImage(root, volumes, rest);
  }
  const client = Object.hasOwn(DATABASE_CLIENTS, entrypoint ?? '') ? DATABASE_CLIENTS[entrypoint] : undefined;
  if (client) {
    // the harbor-db images carry database clients (and their dump/restore tools); use the host's
    const r = spawnSync(client, rest, { stdio: 'inherit', env: { ...process.env, ...env } });
    return r.status ?? 1;
  }
  err(`docker: lab stand-in cannot run image ${image}`);
  return 125;
}

// ───────────────────────────── docker-compose / docker compose ─────────────────────────────
function importError() {
  err(`Traceback (most recent call last):
  File "/usr/bin/docker-compose", line 7, in <module>
    from compose.cli.main import main
  File "/usr/lib/python2.7/site-packages/compose/cli/main.py", line 20, in <module>
    from ..bundle import get_image_digests
  File "/usr/lib/python2.7/site-packages/compose/bundle.py", line 12, in <module>
    from .config.serialize import denormalize_config
  File "/usr/lib/python2.7/site-packages/compose/config/__init__.py", line 6, in <module>
    from .config import ConfigurationError
  File "/usr/lib/python2.7/site-packages/compose/config/config.py", line 15, in <module>
    from . import types
  File "/usr/lib/python2.7/site-packages/compose/config/types.py", line 17, in <module>
    from compose.utils import splitdrive
  File "/usr/lib/python2.7/site-packages/compose/utils.py", line 13, in <module>
    from .errors import StreamParseError
  File "/usr/lib/python2.7/site-packages/compose/errors.py", line 4, in <module>
    from requests.packages.urllib3 import exceptions
ImportError: No module named 'requests.packages.urllib3'`);
  return 1;
}

function startSim(project, dir, files) {
  fs.mkdirSync('/var/log/harbor', { recursive: true });
  const fd = fs.openSync('/var/log/harbor/sim.log', 'a');
  const child = spawn(process.execPath, [SIM, '--dir', dir, '--files', files.join(','), '--address', cfg.address], {
    detached: true,
    stdio: ['ignore', fd, fd],
    cwd: dir,
  });
  child.unref();
  const s = sims();
  s[project] = { pid: child.pid, dir, files };
  saveSims(s);
  // wait until its first start has succeeded or failed (it writes the ready file), or it died, so that `up -d`
  // returns with the service reachable or visibly down, like `docker-compose up -d`
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (fs.existsSync(`${DSTATE}/sim-${child.pid}.ready`) || !alive(child.pid)) break;
    spawnSync('sleep', ['0.02']);
  }
}

/** Whether any process of process group `pgid` is still there (not a zombie). */
function groupAlive(pgid) {
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid pgrp …"; comm may hold spaces and parentheses
      const st = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      if (Number(f[2]) === pgid && f[0] !== 'Z') return true;
    } catch {
      /* gone meanwhile */
    }
  }
  return false;
}

function stopSim(project) {
  const s = sims();
  const pid = s[project]?.pid;
  if (pid && alive(pid)) {
    // the whole process group: the service and the containers it started (the registry)
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* gone */
    }
    const deadline = Date.now() + 5000;
    while ((alive(pid) || groupAlive(pid)) && Date.now() < deadline) spawnSync('sleep', ['0.01']);
  }
  delete s[project];
  saveSims(s);
}

function compose(argv, flavour) {
  const v1 = flavour === 'v1';
  const files = [];
  let project;
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-f' || a === '--file') files.push(argv[++i]);
    else if (a === '-p' || a === '--project-name') project = argv[++i];
    else if (a === '--version' || a === '-v') {
      if (v1)
        out(
          `docker-compose version ${cfg.compose}, build ${crypto.createHash('md5').update(String(cfg.compose)).digest('hex').slice(0, 8)}`,
        );
      else out(`Docker Compose version ${cfg.composePlugin}`);
      return 0;
    } else break;
  }
  const sub = argv[i];
  const rest = argv.slice(i + 1);
  if (sub === 'version') {
    if (v1) {
      if (rest.includes('--short')) out(cfg.compose);
      else
        out(
          `docker-compose version ${cfg.compose}, build ${crypto.createHash('md5').update(String(cfg.compose)).digest('hex').slice(0, 8)}\ndocker-py version: 2.7.0\nCPython version: 2.7.5\nOpenSSL version: OpenSSL 1.0.2k-fips  26 Jan 2017`,
        );
    } else out(rest.includes('--short') ? String(cfg.composePlugin).replace(/^v/, '') : `Docker Compose version ${cfg.composePlugin}`);
    return 0;
  }
  if (!sub) {
    err('Define and run multi-container applications with Docker.\n\nUsage:\n  docker-compose [-f <arg>...] [options] [COMMAND] [ARGS...]');
    return 1;
  }
  if (!files.length) {
    for (const f of ['docker-compose.yml', 'docker-compose.yaml', 'compose.yaml'])
      if (fs.existsSync(f)) {
        files.push(f);
        break;
      }
  }
  if (!files.length) {
    if (v1)
      err(
        "ERROR: \n        Can't find a suitable configuration file in this directory or any\n        parent. Are you in the right directory?\n\n        Supported filenames: docker-compose.yml, docker-compose.yaml\n        ",
      );
    else err('no configuration file provided: not found');
    return 1;
  }
  const services = {};
  for (const f of files) {
    if (!fs.existsSync(f)) {
      err(
        v1
          ? `ERROR: .IOError: [Errno 2] No such file or directory: u'${path.resolve(f)}'`
          : `open ${path.resolve(f)}: no such file or directory`,
      );
      return 1;
    }
    let doc;
    try {
      doc = YAML.parse(fs.readFileSync(f, 'utf8'));
    } catch (e) {
      err(v1 ? `ERROR: yaml.scanner.ScannerError: ${e.message}` : `yaml: ${e.message}`);
      return 1;
    }
    if (v1 && !doc.version && cmpVer(cfg.compose, '1.27.0') < 0) {
      err(`ERROR: The Compose file '${f}' is invalid because:\nUnsupported config option for services: 'log'`);
      return 1;
    }
    for (const [name, svc] of Object.entries(doc.services ?? {})) services[name] = { ...(services[name] ?? {}), ...svc };
  }
  const projectDir = path.resolve(path.dirname(files[0]));
  project =
    project ??
    path
      .basename(projectDir)
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '');
  if (!dockerRunning()) {
    if (v1)
      err(
        "ERROR: Couldn't connect to Docker daemon at http+docker://localunixsocket - is it running?\n\nIf it's at a non-standard location, specify the URL with the DOCKER_HOST environment variable.",
      );
    else err('Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?');
    return 1;
  }
  let all = containers();
  const mine = all.filter((c) => c.project === project);
  const say = (verb, name) =>
    v1
      ? err(`${verb} ${name} ... done`)
      : err(
          ` ✔ Container ${name}  ${verb
            .replace(/ing$/, 'ed')
            .replace(/^Stopped$/, 'Stopped')
            .replace(/^Creat/, 'Start')}`,
        );
  switch (sub) {
    case 'ps': {
      const q = rest.includes('-q') || rest.includes('--quiet');
      const views = mine.map((c) => ({ c, v: containerView(c) }));
      if (q) {
        if (views.length) out(views.map(({ c }) => c.id).join('\n'));
        return 0;
      }
      if (v1) {
        const rows = [['Name', 'Command', 'State', 'Ports']];
        for (const { c, v } of views) rows.push([c.name, c.command, v.State === 'running' ? 'Up' : `Exit ${c.exitCode ?? 1}`, v.Ports]);
        const t = table(rows, 0).split('\n');
        out([t[0], '-'.repeat(Math.max(...t.map((l) => l.length))), ...t.slice(1)].join('\n'));
      } else {
        const fmtI = rest.indexOf('--format');
        if (fmtI >= 0 && rest[fmtI + 1] === 'json') {
          out(
            views
              .map(({ c, v }) =>
                JSON.stringify({
                  ID: v.ID,
                  Name: c.name,
                  Image: c.image,
                  Command: c.command,
                  Project: project,
                  Service: c.service,
                  State: v.State,
                  Status: v.Status,
                  Health: c.health ? 'healthy' : '',
                  ExitCode: c.exitCode ?? 0,
                  Publishers: [],
                }),
              )
              .join('\n'),
          );
          return 0;
        }
        const rows = [['NAME', 'IMAGE', 'COMMAND', 'SERVICE', 'CREATED', 'STATUS', 'PORTS']];
        for (const { c, v } of views) rows.push([c.name, c.image, v.Command, c.service, v.RunningFor, v.Status, v.Ports]);
        out(table(rows, 0));
      }
      return 0;
    }
    case 'down': {
      if (v1) for (const c of mine) err(`Stopping ${c.name} ... done`);
      stopSim(project);
      for (const c of mine) say('Removing', c.name);
      if (mine.length) {
        if (v1) err(`Removing network ${project}_harbor`);
        else err(` ✔ Network ${project}_harbor  Removed`);
      }
      saveContainers(all.filter((c) => c.project !== project));
      return 0;
    }
    case 'stop': {
      for (const c of mine) {
        c.state = 'exited';
        c.exitCode = 0;
        c.finished = Date.now();
        if (v1) err(`Stopping ${c.name} ... done`);
      }
      stopSim(project);
      saveContainers(all);
      return 0;
    }
    case 'start':
    case 'restart':
    case 'up': {
      if (sub === 'up' && !rest.includes('-d') && !rest.includes('--detach')) {
        err('lab stand-in: only `up -d` is supported');
        return 1;
      }
      // images must be present (no registry access from the lab)
      for (const [name, s] of Object.entries(services)) {
        if (!imageLoaded(s.image)) {
          if (v1) {
            err(`Pulling ${name} (${s.image})...`);
            err('ERROR: Get https://registry-1.docker.io/v2/: dial tcp: lookup registry-1.docker.io on 127.0.0.53:53: no such host');
          } else
            err(`Error response from daemon: Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host`);
          return 1;
        }
      }
      if (sub === 'restart' || sub === 'up') stopSim(project);
      if (sub === 'up') {
        if (!mine.length)
          err(v1 ? `Creating network "${project}_harbor" with the default driver` : ` ✔ Network ${project}_harbor  Created`);
        all = all.filter((c) => c.project !== project);
        const now = Date.now();
        for (const [svc, s] of Object.entries(services)) {
          const name = s.container_name ?? `${project}_${svc}_1`;
          const ports = (s.ports ?? []).map((p) => `0.0.0.0:${String(p).split(':').slice(-2).join('->')}/tcp`).join(', ');
          all.push({
            id: crypto.randomBytes(32).toString('hex'),
            name,
            service: svc,
            project,
            projectDir,
            image: s.image,
            command:
              svc === 'proxy'
                ? 'nginx -g daemon off;'
                : svc === 'log'
                  ? '/bin/sh -c /usr/local/bin/start.sh'
                  : svc === 'registry'
                    ? '/entrypoint.sh /etc/registry/config.yml'
                    : '/harbor/entrypoint.sh',
            created: now,
            started: now,
            state: 'running',
            ports,
            health: cmpVer(s.image.split(':').pop(), 'v1.6') >= 0,
            sim: true,
          });
          say('Creating', name);
        }
      } else {
        for (const c of all)
          if (c.project === project) {
            c.state = 'running';
            c.started = Date.now();
            delete c.exitCode;
            say(sub === 'start' ? 'Starting' : 'Restarting', c.name);
          }
      }
      for (const c of all) if (c.project === project) c.files = files.map((f) => path.resolve(f));
      saveContainers(all);
      startSim(
        project,
        projectDir,
        files.map((f) => path.resolve(f)),
      );
      return 0;
    }
    case 'logs': {
      if (fs.existsSync('/var/log/harbor/sim.log')) process.stdout.write(fs.readFileSync('/var/log/harbor/sim.log'));
      return 0;
    }
    case 'config':
      out(YAML.stringify({ services }));
      return 0;
  }
  err(v1 ? `No such command: ${sub}` : `unknown docker command: "compose ${sub}"`);
  return 1;
}

// ───────────────────────────── package managers ─────────────────────────────
const PKGDB = `${STATE}/packages.json`;
const KNOWN = {
  docker: { version: '1.13.1', release: '209.git7d71120.el7.centos' },
  'docker-ce': { version: '20.10.24', release: '1.el7' },
  'docker-compose': { version: '1.18.0', release: '4.el7' },
  'docker-compose-plugin': { version: '2.27.1', release: '1.el7' },
  python: { version: '2.7.5', release: '94.el7_9' },
  python2: { version: '2.7.5', release: '94.el7_9' },
  'epel-release': { version: '7', release: '9' },
  openssl: { version: '1.0.2k', release: '26.el7_9' },
};

function installPackage(name) {
  const db = readJson(PKGDB, {});
  const k = KNOWN[name] ?? { version: '1.0', release: '1.el7' };
  db[name] = { ...k, installed: new Date().toISOString() };
  writeJson(PKGDB, db);
  // side effects of the packages a Harbor host cares about
  if ((name === 'docker' || name === 'docker-ce' || name === 'docker.io') && !cfg.docker) {
    setCfg({ docker: k.version === '1.0' ? '20.10.24' : k.version, dockerRunning: false });
    writeWrapper('docker', 'docker');
  }
  if (name === 'docker-compose' && !cfg.compose) {
    setCfg({ compose: k.version });
    writeWrapper('docker-compose', 'docker-compose');
  }
  if (name === 'docker-compose-plugin' && !cfg.composePlugin) setCfg({ composePlugin: `v${k.version}` });
  if ((name === 'python' || name === 'python2') && !cfg.python2) {
    setCfg({ python2: k.version });
    writeWrapper('python', 'python');
    writeWrapper('python2', 'python');
  }
  return { name, ...k };
}

function yum(argv) {
  const sub = argv.find((a) => !a.startsWith('-'));
  const pkgs = argv.slice(argv.indexOf(sub) + 1).filter((a) => !a.startsWith('-'));
  const db = readJson(PKGDB, {});
  if (sub === 'install') {
    const todo = pkgs.filter((p) => !db[p]);
    out('Loaded plugins: fastestmirror\nLoading mirror speeds from cached hostfile\nResolving Dependencies');
    for (const p of pkgs.filter((p) => db[p]))
      out(`Package ${p}-${db[p].version}-${db[p].release}.x86_64 already installed and latest version`);
    if (!todo.length) {
      out('Nothing to do');
      return 0;
    }
    const inst = todo.map(installPackage);
    out(`\nInstalled:\n${inst.map((p) => `  ${p.name}.x86_64 0:${p.version}-${p.release}`).join('\n')}\n\nComplete!`);
    return 0;
  }
  if (sub === 'remove' || sub === 'erase') {
    for (const p of pkgs) delete db[p];
    writeJson(PKGDB, db);
    out('Complete!');
    return 0;
  }
  if (sub === 'list') {
    out('Installed Packages');
    for (const [n, p] of Object.entries(db)) out(`${`${n}.x86_64`.padEnd(40)}${`${p.version}-${p.release}`.padEnd(30)}@base`);
    return 0;
  }
  if (sub === 'makecache' || sub === 'clean' || sub === 'repolist') {
    out('Loaded plugins: fastestmirror');
    return 0;
  }
  err(`No such command: ${sub}. Please use /usr/bin/yum --help`);
  return 1;
}

function rpm(argv) {
  const db = readJson(PKGDB, {});
  const flag = argv[0] ?? '';
  const names = argv.slice(1).filter((a) => !a.startsWith('-'));
  if (flag === '-q' || flag === '-qa') {
    if (flag === '-qa') {
      for (const [n, p] of Object.entries(db)) out(`${n}-${p.version}-${p.release}.x86_64`);
      return 0;
    }
    let rc = 0;
    for (const n of names) {
      if (db[n]) out(`${n}-${db[n].version}-${db[n].release}.x86_64`);
      else {
        out(`package ${n} is not installed`);
        rc = 1;
      }
    }
    return rc;
  }
  if (/^-[iU]/.test(flag)) {
    for (const n of names) {
      const base = path.basename(n).replace(/\.rpm$/, '');
      const m = /^(.+?)-(\d[^-]*)-([^-]+?)(?:\.noarch|\.x86_64)?$/.exec(base);
      installPackage(m ? m[1] : base);
      if (flag.includes('v'))
        out(
          `Preparing...                          ################################# [100%]\nUpdating / installing...\n   1:${base.padEnd(34)}################################# [100%]`,
        );
    }
    return 0;
  }
  err(`rpm: lab stand-in does not support ${flag}`);
  return 1;
}

function aptGet(argv) {
  const sub = argv.find((a) => !a.startsWith('-'));
  const pkgs = argv.slice(argv.indexOf(sub) + 1).filter((a) => !a.startsWith('-'));
  if (sub === 'update') {
    out('Hit:1 http://deb.debian.org/debian bookworm InRelease\nReading package lists... Done');
    return 0;
  }
  if (sub === 'install') {
    const db = readJson(PKGDB, {});
    out('Reading package lists... Done\nBuilding dependency tree... Done\nReading state information... Done');
    const todo = pkgs.filter((p) => !db[p]);
    for (const p of todo) {
      const i = installPackage(p);
      out(`Setting up ${p} (${i.version}) ...`);
    }
    out(`0 upgraded, ${todo.length} newly installed, 0 to remove and 0 not upgraded.`);
    return 0;
  }
  err(`E: Invalid operation ${sub}`);
  return 100;
}

function dpkg(argv) {
  const db = readJson(PKGDB, {});
  if (argv[0] === '-s' || argv[0] === '--status') {
    const n = argv[1];
    if (!db[n]) {
      err(`dpkg-query: package '${n}' is not installed and no information is available`);
      return 1;
    }
    out(`Package: ${n}\nStatus: install ok installed\nVersion: ${db[n].version}`);
    return 0;
  }
  if (argv[0] === '-l') {
    for (const [n, p] of Object.entries(db)) out(`ii  ${n.padEnd(30)} ${p.version.padEnd(20)} amd64`);
    return 0;
  }
  err('dpkg: lab stand-in supports -s and -l');
  return 2;
}

function pip(argv) {
  if (argv[0] === 'install') {
    const pk = argv.slice(1).filter((a) => !a.startsWith('-'));
    out(`Collecting ${pk.join('\nCollecting ')}\nInstalling collected packages: ${pk.join(', ')}\nSuccessfully installed ${pk.join(' ')}`);
    if (pk.includes('requests') && pk.includes('urllib3')) setCfg({ composeImportError: false });
    return 0;
  }
  if (argv[0] === '--version' || argv[0] === '-V') {
    out('pip 8.1.2 from /usr/lib/python2.7/site-packages (python 2.7)');
    return 0;
  }
  err(`ERROR: unknown command "${argv[0]}"`);
  return 1;
}

// ───────────────────────────── python (2) ─────────────────────────────
function python(argv) {
  const v = cfg.python2;
  if (argv[0] === '-V' || argv[0] === '--version') {
    err(`Python ${v}`);
    return 0;
  }
  if (argv[0] === '-c') {
    const code = argv[1] ?? '';
    if (/sys\.version_info/.test(code))
      out(`sys.version_info(major=${v.split('.')[0]}, minor=${v.split('.')[1]}, micro=${v.split('.')[2]}, releaselevel='final', serial=0)`);
    else if (/sys\.version/.test(code)) out(`${v} (default, Nov 14 2023, 16:14:06) \n[GCC 4.8.5 20150623 (Red Hat 4.8.5-44)]`);
    else if (/^\s*print\s*\(?\s*['"](.*)['"]\s*\)?\s*$/.test(code)) out(/['"](.*)['"]/.exec(code)[1]);
    else {
      err('lab python stand-in: only version queries and print are supported with -c');
      return 2;
    }
    return 0;
  }
  const script = argv[0];
  if (!script || !fs.existsSync(script)) {
    err(`python: can't open file '${script}': [Errno 2] No such file or directory`);
    return 2;
  }
  // Scripts (Harbor 1.5's prepare) run in a real Python 2.7, bound into the node by the lab, with the environment
  // the command was given: no UTF-8 locale means Python 2's ASCII default, as on a real host.
  const bin = `${PYTHON27}/bin/python2.7`;
  if (!fs.existsSync(bin)) {
    err(
      'lab python stand-in: no real Python 2.7 on this machine to run scripts with (the lab looks for pyenv 2.7.x: `pyenv install 2.7.18`)',
    );
    return 2;
  }
  const r = spawnSync(bin, argv, { stdio: 'inherit', env: { ...process.env, LD_LIBRARY_PATH: `${PYTHON27}/lib` } });
  return r.status ?? 1;
}

// ───────────────────────────── locale (a node without UTF-8 locales) ─────────────────────────────
function locale(argv) {
  if (argv.includes('-a') || argv.includes('--all-locales')) {
    out('C\nPOSIX');
    return 0;
  }
  const v = (k) => process.env[k] ?? '';
  const ctype = v('LC_ALL') || v('LC_CTYPE') || v('LANG') || 'POSIX';
  out(
    [
      `LANG=${v('LANG')}`,
      ...['LC_CTYPE', 'LC_NUMERIC', 'LC_TIME', 'LC_COLLATE', 'LC_MONETARY', 'LC_MESSAGES'].map(
        (k) => `${k}="${k === 'LC_CTYPE' ? ctype : v('LC_ALL') || v('LANG') || 'POSIX'}"`,
      ),
      `LC_ALL=${v('LC_ALL')}`,
    ].join('\n'),
  );
  return 0;
}

// ───────────────────────────── systemctl ─────────────────────────────
const UNITS = {
  docker: 'Docker Application Container Engine',
  sshd: 'OpenSSH server daemon',
  firewalld: 'firewalld - dynamic firewall daemon',
  iptables: 'IPv4 firewall with iptables',
  chronyd: 'NTP client/server',
  keepalived: 'LVS and VRRP High Availability Monitor',
  nginx: 'The nginx HTTP and reverse proxy server',
  haproxy: 'HAProxy Load Balancer',
};
function systemctl(argv) {
  const opts = argv.filter((a) => a.startsWith('-'));
  const pos = argv.filter((a) => !a.startsWith('-'));
  const verb = pos[0];
  const units = pos.slice(1).map((u) => u.replace(/\.service$/, ''));
  const svc = readJson(`${STATE}/services.json`, {});
  const exists = (u) => u in UNITS && (u !== 'docker' || !!cfg.docker);
  const get = (u) =>
    (svc[u] ??= {
      active: u === 'docker' ? cfg.dockerRunning !== false : u === 'sshd' || u === 'chronyd',
      enabled: u === 'sshd' || u === 'chronyd',
      since: Date.now(),
    });
  if (verb === 'daemon-reload') return 0;
  if (!verb) {
    for (const u of Object.keys(UNITS).filter(exists))
      out(`${`${u}.service`.padEnd(40)}loaded ${get(u).active ? 'active   running' : 'inactive dead   '} ${UNITS[u]}`);
    return 0;
  }
  let rc = 0;
  for (const u of units) {
    if (!exists(u)) {
      if (verb === 'is-active') {
        out('inactive');
        rc = 3;
      } else if (verb === 'is-enabled') {
        err(`Failed to get unit file state for ${u}.service: No such file or directory`);
        rc = 1;
      } else if (verb === 'status') {
        err(`Unit ${u}.service could not be found.`);
        rc = 4;
      } else {
        err(`Failed to ${verb} ${u}.service: Unit ${u}.service not found.`);
        rc = 5;
      }
      continue;
    }
    const s = get(u);
    switch (verb) {
      case 'start':
      case 'restart':
      case 'reload':
        s.active = true;
        s.since = Date.now();
        break;
      case 'stop':
        s.active = false;
        s.since = Date.now();
        break;
      case 'enable':
        s.enabled = true;
        if (opts.includes('--now')) s.active = true;
        err(`Created symlink from /etc/systemd/system/multi-user.target.wants/${u}.service to /usr/lib/systemd/system/${u}.service.`);
        break;
      case 'disable':
        s.enabled = false;
        break;
      case 'is-active':
        out(s.active ? 'active' : 'inactive');
        if (!s.active) rc = 3;
        break;
      case 'is-enabled':
        out(s.enabled ? 'enabled' : 'disabled');
        if (!s.enabled) rc = 1;
        break;
      case 'status':
        out(
          `● ${u}.service - ${UNITS[u]}\n   Loaded: loaded (/usr/lib/systemd/system/${u}.service; ${s.enabled ? 'enabled' : 'disabled'}; vendor preset: disabled)\n   Active: ${s.active ? 'active (running)' : 'inactive (dead)'} since ${new Date(s.since).toUTCString()}`,
        );
        if (!s.active) rc = 3;
        break;
      default:
        err(`Unknown operation '${verb}'.`);
        return 1;
    }
  }
  writeJson(`${STATE}/services.json`, svc);
  return rc;
}

// ───────────────────────────── iptables (recorder) ─────────────────────────────
const IPT = `${STATE}/iptables.json`;
const CHAINS = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  raw: ['PREROUTING', 'OUTPUT'],
};
function iptState() {
  const s = readJson(IPT, null);
  if (s) return s;
  const init = {};
  for (const [t, cs] of Object.entries(CHAINS)) init[t] = Object.fromEntries(cs.map((c) => [c, []]));
  return init;
}
/** iptables prints rules normalised: addresses get a /32, `-p tcp --dport` gains `-m tcp`. */
function normaliseRule(spec) {
  const a = [...spec];
  const opt = {};
  const order = [];
  const tail = [];
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const val = () => a[++i];
    if (x === '-s' || x === '--source') opt.s = val();
    else if (x === '-d' || x === '--destination') opt.d = val();
    else if (x === '-i' || x === '--in-interface') opt.i = val();
    else if (x === '-o' || x === '--out-interface') opt.o = val();
    else if (x === '-p' || x === '--protocol') opt.p = val();
    else if (x === '-j' || x === '--jump') opt.j = [val()];
    else if (opt.j) opt.j.push(x);
    else if (x === '-m' || x === '--match') order.push(['-m', val()]);
    else tail.push(x);
  }
  const addMask = (v) => (v && !v.includes('/') && /^[\d.]+$/.test(v) ? `${v}/32` : v);
  const res = [];
  if (opt.s) res.push('-s', addMask(opt.s));
  if (opt.d) res.push('-d', addMask(opt.d));
  if (opt.i) res.push('-i', opt.i);
  if (opt.o) res.push('-o', opt.o);
  if (opt.p) res.push('-p', opt.p);
  const hasPortMatch = order.some(([, m]) => m === opt.p);
  if (opt.p && (tail.includes('--dport') || tail.includes('--sport')) && !hasPortMatch) res.push('-m', opt.p);
  for (const [m, v] of order) res.push(m, v);
  res.push(...tail);
  if (opt.j) res.push('-j', ...opt.j);
  return res.join(' ');
}
function iptables(argv) {
  let table = 'filter';
  const a = [...argv];
  const ti = a.findIndex((x) => x === '-t' || x === '--table');
  if (ti >= 0) {
    table = a[ti + 1];
    a.splice(ti, 2);
  }
  for (const f of ['-w', '--wait', '-n', '--numeric', '-v', '--line-numbers']) {
    const k = a.indexOf(f);
    if (k >= 0) a.splice(k, 1);
  }
  const st = iptState();
  if (!st[table]) {
    err(
      `iptables v1.4.21: can't initialize iptables table \`${table}': Table does not exist (do you need to insmod?)\nPerhaps iptables or your kernel needs to be upgraded.`,
    );
    return 3;
  }
  const op = a[0];
  const chain = a[1];
  const bad = () => {
    err('iptables: Bad rule (does a matching rule exist in that chain?).');
    return 1;
  };
  const noChain = () => {
    err('iptables: No chain/target/match by that name.');
    return 1;
  };
  switch (op) {
    case '-A':
    case '--append':
    case '-I':
    case '--insert':
    case '-D':
    case '--delete':
    case '-C':
    case '--check': {
      if (!st[table][chain]) return noChain();
      const spec = a.slice(2);
      let pos;
      if ((op === '-I' || op === '--insert') && /^\d+$/.test(spec[0] ?? '')) pos = Number(spec.shift()) - 1;
      const rule = normaliseRule(spec);
      const rules = st[table][chain];
      if (op === '-A' || op === '--append') rules.push(rule);
      else if (op === '-I' || op === '--insert') rules.splice(pos ?? 0, 0, rule);
      else {
        const k = rules.indexOf(rule);
        if (k < 0) return bad();
        if (op === '-D' || op === '--delete') rules.splice(k, 1);
        else return 0;
      }
      writeJson(IPT, st);
      return 0;
    }
    case '-N':
    case '--new-chain':
      if (st[table][chain]) {
        err('iptables: Chain already exists.');
        return 1;
      }
      st[table][chain] = [];
      writeJson(IPT, st);
      return 0;
    case '-F':
    case '--flush':
      for (const c of chain ? [chain] : Object.keys(st[table])) if (st[table][c]) st[table][c] = [];
      writeJson(IPT, st);
      return 0;
    case '-S':
    case '--list-rules': {
      const lines = [];
      for (const c of Object.keys(st[table])) {
        if (chain && c !== chain) continue;
        lines.push(CHAINS[table].includes(c) ? `-P ${c} ACCEPT` : `-N ${c}`);
      }
      for (const [c, rules] of Object.entries(st[table])) {
        if (chain && c !== chain) continue;
        for (const r of rules) lines.push(`-A ${c} ${r}`);
      }
      out(lines.join('\n'));
      return 0;
    }
    case '-L':
    case '--list': {
      for (const [c, rules] of Object.entries(st[table])) {
        if (chain && c !== chain) continue;
        out(`Chain ${c} (policy ACCEPT)\ntarget     prot opt source               destination`);
        for (const r of rules) {
          const t = /-j (\S+)/.exec(r)?.[1] ?? '';
          const p = /-p (\S+)/.exec(r)?.[1] ?? 'all';
          const s = /-s (\S+)/.exec(r)?.[1]?.replace('/32', '') ?? 'anywhere';
          const d = /-d (\S+)/.exec(r)?.[1]?.replace('/32', '') ?? 'anywhere';
          const dp = /--dport (\S+)/.exec(r)?.[1];
          out(`${t.padEnd(11)}${p.padEnd(5)}--  ${s.padEnd(21)}${d.padEnd(21)}${dp ? `${p} dpt:${dp}` : ''}`.trimEnd());
        }
        out('');
      }
      return 0;
    }
    case '-V':
    case '--version':
      out('iptables v1.4.21');
      return 0;
  }
  err(`iptables v1.4.21: unknown option "${op}"\nTry \`iptables -h' or 'iptables --help' for more information.`);
  return 2;
}
function iptablesSave() {
  const st = iptState();
  out(`# Generated by iptables-save v1.4.21 on ${new Date().toUTCString()}`);
  for (const [t, chains] of Object.entries(st)) {
    out(`*${t}`);
    for (const c of Object.keys(chains)) out(CHAINS[t].includes(c) ? `:${c} ACCEPT [0:0]` : `:${c} - [0:0]`);
    for (const [c, rules] of Object.entries(chains)) for (const r of rules) out(`-A ${c} ${r}`);
    out('COMMIT');
  }
  out(`# Completed on ${new Date().toUTCString()}`);
  return 0;
}

// ───────────────────────────── dispatch ─────────────────────────────
async function main() {
  // A test holds a command (LabNode.hold) to act while a step is known to be in flight.
  while (/^[a-z-]+$/.test(cmd ?? '') && fs.existsSync(`${STATE}/hold-${cmd}`)) await new Promise((r) => setTimeout(r, 50));
  switch (cmd) {
    case 'docker':
      return docker(args);
    case 'docker-compose':
      if (cfg.composeImportError) return importError();
      return compose(args, 'v1');
    case 'yum':
      return yum(args);
    case 'rpm':
      return rpm(args);
    case 'apt-get':
      return aptGet(args);
    case 'dpkg':
      return dpkg(args);
    case 'pip':
      return pip(args);
    case 'python':
      return python(args);
    case 'locale':
      return locale(args);
    case 'systemctl':
      return systemctl(args);
    case 'iptables':
      return iptables(args);
    case 'iptables-save':
      return iptablesSave();
  }
  err(`lab stand-in: unknown command ${cmd}`);
  return 127;
}

main().then(
  (code) => finish(code ?? 0),
  (e) => {
    err(String(e?.stack ?? e));
    finish(1);
  },
);
