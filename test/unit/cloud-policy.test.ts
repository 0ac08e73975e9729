/**
 * The RAM policy the app prints is made from the one list of actions (electron/core/cloud/actions.ts); this test reads
 * the calls written in electron/core/cloud/ and requires the list to be exactly them: an action called but not listed
 * (the session would refuse it, and the policy would lack it) or listed but never called (the policy would grant too
 * much) fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../../electron/core/cloud/actions';
import { productsInUse, ramPolicies } from '../../electron/core/cloud/policy';
import { profileSchema } from '../../shared/profile';
import { v2Profile } from '../helpers/profiles';

const CLOUD = join(import.meta.dirname, '../../electron/core/cloud');

/** `product:Action` of every call in the sources: typed SDK calls (`.typed('rds', (client, …) => client.modifySecurityIpsWithOptions(`) and RPC calls. */
function calledActions(): string[] {
  const found = new Set<string>();
  for (const file of readdirSync(CLOUD).filter((f) => f.endsWith('.ts'))) {
    const text = readFileSync(join(CLOUD, file), 'utf8');
    for (const m of text.matchAll(/\.typed\(\s*'(\w+)',\s*\(client[^)]*\)\s*=>\s*client\.(\w+)WithOptions\(/g))
      found.add(`${m[1]}:${m[2]![0]!.toUpperCase()}${m[2]!.slice(1)}`);
    for (const m of text.matchAll(/\.rpc\(\s*'(\w+)',\s*'(\w+)'/g)) found.add(`${m[1]}:${m[2]}`);
  }
  return [...found].sort();
}

describe('the RAM policy', () => {
  it('lists exactly the actions the code calls', () => {
    const listed = Object.entries(ACTIONS)
      .flatMap(([product, actions]) => actions.map((a) => `${product}:${a}`))
      .sort();
    expect(calledActions()).toEqual(listed);
    expect(listed.length).toBeGreaterThan(5);
  });

  it("grants a profile only its products' actions, and with a role the key only sts:AssumeRole", () => {
    const clb = profileSchema.parse(
      v2Profile((p) => {
        p.database.instanceId = 'pgm-2ze8abcdefgh';
        p.cloud = { region: 'cn-beijing', accessKeyId: 'LTAI5tExample01', accessKeySecret: { set: true } };
      }),
    );
    expect(productsInUse(clb)).toEqual(['slb', 'ecs', 'rds']);
    const actions = ramPolicies(clb).key.Statement[0]!.Action;
    expect(actions).toContain('slb:SetBackendServers');
    expect(actions).toContain('ecs:DescribeInstances');
    expect(actions).toContain('rds:ModifySecurityIps');
    expect(actions.some((a) => a.startsWith('kvstore:') || a.startsWith('sts:'))).toBe(false);

    const withRole = profileSchema.parse({ ...clb, cloud: { ...clb.cloud, roleArn: 'acs:ram::1234567890123456:role/harbor-ops' } });
    const policies = ramPolicies(withRole);
    expect(policies.key.Statement[0]!.Action).toEqual(['sts:AssumeRole']);
    expect(policies.role?.Statement[0]!.Action).toEqual(actions);
  });
});
