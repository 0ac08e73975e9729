/**
 * The preview is the plan, Harbor 1.5: the database step's SQL on MySQL (registry.sql, shown by name and hash) and the
 * install step's preview on each node (node 2: node 1's ha/ keys written, then
 * install.sh --ha, the stamp, the wait) is what its apply runs there, command for command, by the audit log.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testCore } from '../helpers/core';
import { failures } from '../helpers/deploy';
import { saveV1LabProfile } from '../helpers/lab-profile';
import { deployOnly, expectPlanRan, previewThenApply } from '../helpers/preview-plan';
import * as lab from '../lab';

let l: lab.Lab;
const core = testCore();

beforeAll(async () => {
  l = await lab.up({ nodes: 2, harbor: 'v1', services: ['mariadb', 'redis', 'oss', 'lb'], bundleSize: 1 << 20 });
  await core.vault.initialize('vault passphrase for the 1.x preview tests');
  await saveV1LabProfile(core.profiles, l, { clair: false });
  const j = await deployOnly(core, ['installer']);
  expect(j.state, failures(j)).toBe('finished');
}, 180_000);

afterAll(async () => {
  await core.close();
  await l?.down();
});

it('preflight, runtime, unpack and config: each run is its preview, node for node', async () => {
  for (const step of ['preflight', 'runtime', 'unpack', 'config']) {
    const r = await previewThenApply(core, step);
    expect(r.run.state, `${step}: ${failures(r.run)}`).toBe('finished');
    expectPlanRan(r);
    // unpack and config changed both nodes: the comparison was not of empty lists
    if (step === 'unpack' || step === 'config') expect(r.applied.size, step).toBe(2);
  }
}, 120_000);

it("database: the import of the installer's registry.sql it showed, on MySQL from node 1; then nothing", async () => {
  const r = await previewThenApply(core, 'database');
  expect(r.run.state, failures(r.run)).toBe('finished');
  const [first] = [...r.sql.keys()];
  const shown = r.sql.get(first!)!;
  expect(shown).toHaveLength(1);
  expect(shown[0]).toMatch(
    /^SET SESSION sql_mode='NO_ENGINE_SUBSTITUTION';\nSOURCE \/opt\/harbor\/ha\/registry\.sql; {2}-- \d+ statements, sha256 [0-9a-f]{12}…$/,
  );
  expect([...r.ran.entries()]).toEqual([[`MySQL ${l.mariadb.address}:${l.mariadb.port} (from ${first})`, shown]]);
  // the file was read under the read purpose, from node 1
  expect(r.read.get(first!)!.some((c) => c.includes('/opt/harbor/ha/registry.sql'))).toBe(true);
  const again = await previewThenApply(core, 'database');
  expect(again.applied.size).toBe(0);
  expect(again.sql.get(first!)).toEqual([]);
  expect(again.ran.size).toBe(0);
}, 120_000);

it('install: node 1, then node 2 with node 1 keys written first; a second run applies nothing', async () => {
  const r = await previewThenApply(core, 'install');
  expect(r.run.state, failures(r.run)).toBe('finished');
  expectPlanRan(r);
  const [n1, n2] = [...r.previewed.keys()];
  expect(r.applied).toEqual(new Set([n1, n2]));
  expect(r.previewed.get(n1!)).toHaveLength(2);
  // ha/private_key.pem, ha/root.crt, ha/secretkey, then install.sh and the stamp
  expect(r.previewed.get(n2!)).toHaveLength(5);
  expect(r.notes.get(n2!)).toContain('Then waits until /api/ping and /api/systeminfo answer on this node.');
  const again = await previewThenApply(core, 'install');
  expect(again.applied.size).toBe(0);
  expectPlanRan(again);
}, 180_000);

it('firewall, verify and keys-verify: each run is its preview, node for node', async () => {
  for (const step of ['firewall', 'verify', 'keys-verify']) {
    const r = await previewThenApply(core, step);
    expect(r.run.state, `${step}: ${failures(r.run)}`).toBe('finished');
    expectPlanRan(r);
    // the firewall wrote its NAT rules on both nodes: the comparison was not of empty lists
    if (step === 'firewall') expect(r.applied.size).toBe(2);
  }
}, 180_000);
