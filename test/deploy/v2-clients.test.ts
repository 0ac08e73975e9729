/**
 * A real client agrees with the app. skopeo (containers/image) against a Harbor 2.x cluster the app deployed on two
 * lab nodes, whose registries are distribution run with the config Harbor's prepare wrote: a three-layer OCI image is
 * pushed through the load balancer, pulled back through it and from each node; a token from node 1 opens node 2. When
 * node 2 gets a token key pair of its own, skopeo and the app's verify step both refuse, and the install step makes
 * both pass again.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Journal } from '../../electron/core/deploy/journal';
import { testCore } from '../helpers/core';
import { failures, statuses } from '../helpers/deploy';
import { saveV2LabProfile } from '../helpers/lab-profile';
import { createV2HarborRole } from '../helpers/lab-sql';
import * as lab from '../lab';
import { request } from '../lab/registry-client';
import { inspect, makeOciImage, skopeo, skopeoOk, type OciImage } from '../lab/skopeo';

let l: lab.Lab;
let work: string;
let image: OciImage;
const core = testCore();
const ADMIN = 'Harbor-Lab-12345';
const CREDS = `admin:${ADMIN}`;
const REPO = 'library/multi';

const ALL_NODES = ['n1', 'n2', 'n3', 'n4'];

async function deploy(request: Parameters<typeof core.deploy.start>[1] = {}): Promise<Journal> {
  // reconfiguring the serving cluster is what these tests do: the operator consents to every node's reinstall
  const { runId } = await core.deploy.start('lab', { confirmDisruption: ALL_NODES, ...request });
  return core.deploy.wait(runId);
}

/** A pull token for REPO from `n`'s own token service, as a client logging in on that node gets it. */
async function tokenFrom(n: lab.LabNode): Promise<string> {
  const r = await request(`http://${n.address}/service/token?service=harbor-registry&scope=repository:${REPO}:pull`, {
    headers: { Authorization: `Basic ${Buffer.from(CREDS).toString('base64')}` },
  });
  expect(r.status).toBe(200);
  return (JSON.parse(r.body.toString()) as { token: string }).token;
}

beforeAll(async () => {
  l = await lab.up({ nodes: 2, harbor: 'v2', services: ['postgres', 'redis', 'oss', 'lb'], bundleSize: 1 << 20 });
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'v2-clients-'));
  image = makeOciImage(path.join(work, 'image'), 'v1');
  await core.vault.initialize('vault passphrase for the client tests');
  await createV2HarborRole(l);
  await saveV2LabProfile(core.profiles, l, { nodes: 2 });
  const j = await deploy();
  expect(j.state, failures(j)).toBe('finished');
}, 180_000);

afterAll(async () => {
  await core.close();
  await l?.down();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('skopeo and the app on a cluster the app deployed', () => {
  it('pushes a three-layer image through the load balancer, pulls it back and from each node; a token from node 1 opens node 2', async () => {
    const lb = `docker://${l.lb.address}/${REPO}:v1`;
    await skopeoOk(['copy', '--dest-tls-verify=false', '--dest-creds', CREDS, `oci:${image.dir}:v1`, lb]);
    const back = path.join(work, 'back');
    await skopeoOk(['copy', '--src-tls-verify=false', '--src-creds', CREDS, lb, `oci:${back}:v1`]);
    const index = JSON.parse(fs.readFileSync(path.join(back, 'index.json'), 'utf8')) as { manifests: Array<{ digest: string }> };
    expect(index.manifests.map((m) => m.digest)).toEqual([image.manifestDigest]);
    for (const d of [...image.layerDigests, image.configDigest])
      expect(fs.existsSync(path.join(back, 'blobs/sha256', d.slice(7))), d).toBe(true);
    for (const n of l.nodes)
      expect(await inspect(`docker://${n.address}/${REPO}:v1`, ['--creds', CREDS]), n.name).toEqual({
        digest: image.manifestDigest,
        layers: image.layerDigests,
      });
    // the token is node 1's; node 2 takes it because both cores hold the same key pair
    expect((await inspect(`docker://${l.node(2).address}/${REPO}:v1`, ['--registry-token', await tokenFrom(l.node(1))])).digest).toBe(
      image.manifestDigest,
    );
    // each node's distribution served some of it
    for (const n of l.nodes) expect(await n.readText('/var/log/harbor/registry.log'), n.name).toContain(`vars.name=${REPO}`);
  }, 120_000);

  it("refuses node 1's token on a node with a key pair of its own, like the app's verify step; the install step makes both pass again", async () => {
    const [n1, n2] = [l.node(1), l.node(2)];
    const own = '/tmp/own-key';
    await n2.execOk(
      `mkdir -p ${own} && openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=harbor-token-ca -keyout ${own}/private_key.pem -out ${own}/root.crt 2>/dev/null`,
    );
    const restartCore = () => n2.execOk('docker restart harbor-core');
    // 2.x core checks tokens with its private key; the registry's root.crt alone plays no part
    await n2.execOk(`install -m 600 -o 10000 -g 10000 ${own}/root.crt /data/secret/registry/root.crt`);
    await restartCore();
    expect((await inspect(`docker://${n2.address}/${REPO}:v1`, ['--registry-token', await tokenFrom(n1)])).digest).toBe(
      image.manifestDigest,
    );

    await n2.execOk(`install -m 600 -o 10000 -g 10000 ${own}/private_key.pem /data/secret/core/private_key.pem`);
    await restartCore();
    const refused = await skopeo([
      'inspect',
      '--tls-verify=false',
      '--registry-token',
      await tokenFrom(n1),
      `docker://${n2.address}/${REPO}:v1`,
    ]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/unauthorized|authentication required/i);
    // node 2 still serves clients that log in on node 2
    expect((await inspect(`docker://${n2.address}/${REPO}:v1`, ['--creds', CREDS])).digest).toBe(image.manifestDigest);

    const verify = await deploy({ only: ['verify'] });
    expect(verify.state).toBe('failed');
    expect(failures(verify)).toMatch(/node-2.*refuses a token issued by .*node-1/);

    const again = await deploy();
    expect(again.state, failures(again)).toBe('finished');
    // the files were right again, but node 2's running core still held its own key: the install step recreated it
    expect(statuses(again).secrets).toEqual({ n1: 'unchanged', n2: 'succeeded' });
    expect(statuses(again).install).toEqual({ n1: 'unchanged', n2: 'succeeded' });
    expect(statuses(again).verify).toEqual({ '*': 'passed' });
    expect(await n2.readText('/data/secret/core/private_key.pem')).toBe(await n1.readText('/data/secret/core/private_key.pem'));
    expect((await inspect(`docker://${n2.address}/${REPO}:v1`, ['--registry-token', await tokenFrom(n1)])).digest).toBe(
      image.manifestDigest,
    );
  }, 240_000);
});
