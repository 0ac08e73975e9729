/**
 * The topology of a Harbor 1.x cluster compares the same key files as the deployment's keys step (one definition in
 * electron/core/harbor/node.ts): a node whose token signing key differs is named, though its secret key is the same.
 * No Harbor runs on the nodes; the sweep's node command reads the files where 1.5's prepare --ha puts them.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TopologySnapshot } from '../../shared/api/contracts/topology';
import { testCore } from '../helpers/core';
import { saveV1LabProfile } from '../helpers/lab-profile';
import { up, type Lab } from '../lab';

let l: Lab;
const core = testCore();
const FILES = {
  key: '/opt/harbor/common/config/ui/private_key.pem',
  crt: '/opt/harbor/common/config/registry/root.crt',
  secret: '/data/secretkey',
};

beforeAll(async () => {
  l = await up({ nodes: 3, harbor: 'v1', services: ['mariadb', 'redis', 'oss', 'lb'], bundleSize: 1 << 20 });
  await core.vault.initialize('vault passphrase for the 1.x topology test');
  await saveV1LabProfile(core.profiles, l, { clair: false });
  for (const n of l.nodes) {
    await n.writeFile(FILES.key, Buffer.from('node 1 key\n'), 0o600);
    await n.writeFile(FILES.crt, Buffer.from('node 1 certificate\n'), 0o600);
    await n.writeFile(FILES.secret, Buffer.from('0123456789abcdef'), 0o600);
  }
}, 120_000);

afterAll(async () => {
  await core.close();
  await l?.down();
});

it('names the 1.x node whose token signing key differs, with the ha/ fix', async () => {
  const keysProblem = async () => {
    const e = await core.dispatcher.call('topology.sweep', { profileId: 'lab' }, { transport: 'ipc' });
    if (!e.ok) throw new Error(e.error.message.en);
    return (e.value as TopologySnapshot).problems.find((p) => p.id === 'keys:differ');
  };
  expect(await keysProblem()).toBeUndefined();
  await l.node(3).writeFile(FILES.key, Buffer.from('a key of its own\n'), 0o600);
  const p = await keysProblem();
  expect(p).toMatchObject({ nodes: ['n3'] });
  expect(p!.title.en).toContain(FILES.key);
  expect(p!.title.en).not.toContain(FILES.secret);
  expect(p!.fix.en).toContain('ha/');
}, 60_000);
