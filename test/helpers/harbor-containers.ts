/**
 * A lab node that runs a profile's Harbor containers, as the lab's docker stand-in keeps them (its own state file,
 * /var/lib/harbor-lab/docker/containers.json), without installing Harbor: for tests that read containers, not Harbor.
 * `docker stop NAME` on the node then stops one as real docker would.
 */
import { harborNodes } from '../../electron/core/harbor/adapter';
import type { Profile } from '../../shared/profile';
import type { LabNode } from '../lab';
import { NODE_STATE_DIR } from '../lab/nodes';

/** Every container a node of `profile` runs, up and healthy; `restarts` sets the engine's restart count of some. */
export async function seedHarborContainers(n: LabNode, profile: Profile, restarts: Readonly<Record<string, number>> = {}): Promise<void> {
  const now = Date.now();
  const list = harborNodes.containers(profile).map((name, i) => ({
    id: `${(i + 1).toString(16).padStart(4, '0')}${'ab'.repeat(30)}`,
    name,
    image: `goharbor/${name}:v2.9.0`,
    command: '/entrypoint.sh',
    created: now - 60_000,
    started: now - 30_000,
    project: 'harbor',
    service: name,
    state: 'running',
    health: true,
    ...(restarts[name] !== undefined ? { restartCount: restarts[name] } : {}),
  }));
  await n.execOk(`mkdir -p /data /var/log/harbor ${NODE_STATE_DIR}/docker`);
  await n.writeFile(`${NODE_STATE_DIR}/docker/containers.json`, JSON.stringify(list));
}
