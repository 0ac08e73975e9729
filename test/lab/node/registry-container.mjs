// Harbor's registry container on a lab node: distribution itself (Debian's docker-registry, distribution 2.8.2, the
// code Harbor's registry-photon image builds on), run with the registry config.yml Harbor's prepare wrote on this node.
// It sees what the container sees: the compose file's volumes for `registry` at their container paths (container.sh),
// and an /etc/hosts that resolves the compose project's service names, as Docker's DNS does.
//
// Two things differ from the container, and only these (each is logged when it applies):
//   * the listen addresses: lab nodes share one network namespace, so `:5000` (and the debug `localhost:5001`) become
//     <node address>:port through distribution's own environment overrides (REGISTRY_HTTP_ADDR, …_DEBUG_ADDR);
//   * the storage driver, when the config names one Debian's build does not have (`oss`): that driver's section is
//     replaced by `filesystem` on the directory every node of the lab shares, so that nodes see each other's uploads
//     as they would in one bucket; `cache`, `maintenance`, `delete` and `redirect` stay as written.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { spawn } from 'node:child_process';

const SRC = '/var/lib/harbor-lab/src';
const CONTAINER = `${SRC}/test/lab/node/container.sh`;
const STATE = '/var/lib/harbor-lab';
const SHARED_STORAGE = `${STATE}/shared-storage`;
/** Where the shared directory appears inside the registry container. */
const SHARED_IN_CONTAINER = '/lab-shared-storage';
const LOG = '/var/log/harbor/registry.log';
/** Storage drivers Debian's docker-registry 2.8.2 has (strings of /usr/bin/docker-registry). */
const DRIVERS_BUILT_IN = ['filesystem', 's3', 'inmemory'];
const STORAGE_SETTINGS = ['cache', 'maintenance', 'delete', 'redirect'];

/** The storage driver a registry config names (distribution allows exactly one). */
export function storageDriver(config) {
  return Object.keys(config.storage ?? {}).find((k) => !STORAGE_SETTINGS.includes(k)) ?? 'filesystem';
}

/** `host:port` → port, for distribution's `addr` values (`:5000`, `localhost:5001`, `0.0.0.0:9090`). */
function portOf(addr) {
  const m = /:(\d+)$/.exec(String(addr ?? ''));
  return m ? Number(m[1]) : undefined;
}

/** The registry service's volumes as [hostPath, containerPath, ro|rw], shallowest container path first, as Docker mounts them. */
function volumesOf(service, projectDir) {
  const out = [];
  for (const v of service?.volumes ?? []) {
    const [src, dst, opts] = typeof v === 'object' ? [String(v.source), String(v.target), v.read_only ? 'ro' : ''] : String(v).split(':');
    const host = path.resolve(projectDir, src);
    if (!fs.existsSync(host)) fs.mkdirSync(host, { recursive: true }); // docker creates a missing bind source
    out.push([
      host,
      dst.replace(/\/$/, '') || '/',
      String(opts ?? '')
        .split(',')
        .includes('ro')
        ? 'ro'
        : 'rw',
    ]);
  }
  return out.sort((a, b) => a[1].split('/').length - b[1].split('/').length);
}

/**
 * The config distribution reads: Harbor's file as written, or, when its driver is missing from Debian's build, a copy
 * whose driver section is `filesystem` on the shared directory (keyed by the bucket and root directory it named).
 * Returns the extra mounts that need.
 */
function effectiveConfig(YAML, configPath, log) {
  const text = fs.readFileSync(configPath, 'utf8');
  const config = YAML.parse(text);
  const driver = storageDriver(config);
  if (DRIVERS_BUILT_IN.includes(driver)) return { mounts: [], config };
  const params = config.storage[driver] ?? {};
  const where = [String(params.bucket ?? driver), String(params.rootdirectory ?? '')]
    .map((s) => s.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/');
  const doc = YAML.parseDocument(text);
  doc.deleteIn(['storage', driver]);
  doc.setIn(['storage', 'filesystem'], doc.createNode({ rootdirectory: `${SHARED_IN_CONTAINER}/${where}` }));
  const derived = `${STATE}/registry/config.yml`;
  fs.mkdirSync(path.dirname(derived), { recursive: true });
  fs.writeFileSync(derived, doc.toString());
  fs.mkdirSync(SHARED_STORAGE, { recursive: true });
  log(
    `registry: storage driver "${driver}" is not in Debian's distribution build; it keeps data on the lab's shared filesystem instead (${where}), everything else as prepare wrote it`,
  );
  return {
    config: YAML.parse(doc.toString()),
    mounts: [
      [derived, '/etc/registry/config.yml', 'ro'],
      [SHARED_STORAGE, SHARED_IN_CONTAINER, 'rw'],
    ],
  };
}

/**
 * Start the node's registry and keep it running as Docker's `restart: always` would (100 ms, doubling, at most a
 * minute between starts). Resolves once the first start listens or has exited.
 * @returns {{ port: number, config: object, ready: Promise<void> }}
 */
export function startRegistry({ YAML, compose, projectDir, address, configPath, log }) {
  const { config, mounts } = effectiveConfig(YAML, configPath, log);
  const port = portOf(config.http?.addr) ?? 5000;
  const env = [`REGISTRY_HTTP_ADDR=${address}:${port}`];
  if (config.http?.debug?.addr) env.push(`REGISTRY_HTTP_DEBUG_ADDR=${address}:${portOf(config.http.debug.addr) ?? 5001}`);
  log(`registry: listens on ${address}:${port} instead of "${config.http?.addr ?? ':5000'}" (lab nodes share one network namespace)`);
  // Docker's DNS answers the project's service and container names with the container's address; here every one of
  // them is this node (the Harbor-like service answers as core, ui, nginx …; distribution as registry)
  const names = new Set();
  for (const [name, svc] of Object.entries(compose)) {
    names.add(name);
    if (svc.container_name) names.add(String(svc.container_name));
  }
  const hosts = `${address}\t${[...names].join(' ')}`;
  const volumes = [...volumesOf(compose.registry, projectDir), ...mounts].flat();

  let delay = 100;
  let firstSettled;
  const ready = new Promise((resolve) => (firstSettled = resolve));
  const run = () => {
    const out = fs.openSync(LOG, 'a');
    const started = Date.now();
    const child = spawn(
      'unshare',
      [
        '--mount',
        '--propagation',
        'private',
        'sh',
        CONTAINER,
        '-',
        ...volumes,
        '--',
        'env',
        ...env,
        'docker-registry',
        'serve',
        '/etc/registry/config.yml',
      ],
      {
        stdio: ['ignore', out, out],
        env: { ...process.env, LAB_CONTAINER_HOSTS: hosts },
      },
    );
    fs.closeSync(out);
    void listening(address, port, child).then(() => firstSettled());
    child.on('exit', (code, signal) => {
      firstSettled();
      // a run that lasted a while starts over at the shortest delay, like Docker's restart policy
      if (Date.now() - started > 10_000) delay = 100;
      log(`registry exited (${signal ?? code}); restarting in ${delay} ms`);
      setTimeout(run, delay).unref();
      delay = Math.min(delay * 2, 60_000);
    });
  };
  run();
  return { port, config, ready };
}

/** Resolves when something accepts connections on address:port, or the child has exited. */
function listening(address, port, child) {
  return new Promise((resolve) => {
    const attempt = () => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const s = net.connect({ host: address, port });
      s.once('connect', () => {
        s.destroy();
        resolve();
      });
      s.once('error', () => setTimeout(attempt, 20));
    };
    attempt();
  });
}
