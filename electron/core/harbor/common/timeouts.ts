/**
 * How long each kind of work on a Harbor node may take, in one place, each with the reason for its size. A limit that
 * is reached fails the cell with the command and the limit named (NodeShell), never hangs a run.
 */
const MINUTE = 60_000;

export const TIMEOUTS = {
  /** install.sh: docker load of a 600 MB+ image bundle, prepare, compose up; slow disks take many minutes. */
  installScript: 30 * MINUTE,
  /** tar xzf of the installer (the same bundle, unpacked once). */
  unpack: 30 * MINUTE,
  /** An installer downloaded by the node itself (curl/wget or an OSS signed URL) over a slow uplink. */
  download: 60 * MINUTE,
  /** yum/apt installing docker, compose or Python 2 from the node's mirrors. */
  runtimePackages: 15 * MINUTE,
  /** pip repairing the runbook's docker-compose ImportError. */
  pipRepair: 10 * MINUTE,
  /** `docker compose up -d core` recreating one container (pulls nothing: the images are loaded). */
  composeRecreate: 10 * MINUTE,
  /** The facts script (versions, locale, disks): a handful of quick commands. */
  facts: 30_000,
  /** One HTTP request to Harbor (ping, systeminfo, health) during verification. */
  harborRequest: 15_000,
  /** One health probe while waiting for Harbor: short, the wait repeats it. */
  healthProbe: 10_000,
  /** One registry request of the verification push and pull (tiny blobs). */
  registryRequest: 20_000,
  /** Harbor 2.x healthy after install: node 1's core runs every schema migration first. */
  healthyAfterInstall: 10 * MINUTE,
  /** A reinstalled node answering again before the next one goes down. */
  servingAfterReinstall: 5 * MINUTE,
  /** Core failing with the same fatal error this long means it will not start (docker restarts it once or twice). */
  coreFatalGrace: 20_000,
  /** Between two polls of a wait. */
  poll: 2000,
} as const;
