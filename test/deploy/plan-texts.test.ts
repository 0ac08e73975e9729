/**
 * The plans as the operator reads them: the SLB's NAT step is in the plan only where the load balancer is an Aliyun
 * SLB (a self-hosted HAProxy has no hairpin problem), and a step's title never says again where it runs, which the
 * page shows beside it ("on every node at once"), in either language.
 */
import { describe, expect, it } from 'vitest';
import { harborDeployment } from '../../electron/core/harbor/adapter';
import { profileSchema, type ProfileInput } from '../../shared/profile';
import { v1Profile, v2Profile } from '../helpers/profiles';

const selfHosted = (p: ProfileInput) => void (p.loadBalancer = { kind: 'self-hosted', address: '192.168.10.20', software: 'haproxy' });
const layer7 = (p: ProfileInput) => {
  if (p.loadBalancer.kind === 'clb') p.loadBalancer.listener = 'http';
};

const PROFILES = {
  'v1, layer-4 SLB': v1Profile(),
  'v1, self-hosted HAProxy': v1Profile(selfHosted),
  'v2, layer-4 SLB': v2Profile(),
  'v2, layer-7 SLB': v2Profile(layer7),
  'v2, self-hosted HAProxy': v2Profile(selfHosted),
};
const stepIds = (name: keyof typeof PROFILES) => harborDeployment.steps(profileSchema.parse(PROFILES[name]), 'deploy').map((s) => s.id);

describe('the plan of a profile', () => {
  it('has the NAT step only with an Aliyun SLB', () => {
    for (const name of ['v1, layer-4 SLB', 'v2, layer-4 SLB', 'v2, layer-7 SLB'] as const)
      expect(stepIds(name), name).toContain('firewall');
    for (const name of ['v1, self-hosted HAProxy', 'v2, self-hosted HAProxy'] as const) {
      expect(stepIds(name), name).not.toContain('firewall');
      // the rest of the plan is the SLB's, in the same order
      expect(stepIds(name)).toEqual(
        stepIds(name.replace('self-hosted HAProxy', 'layer-4 SLB') as keyof typeof PROFILES).filter((id) => id !== 'firewall'),
      );
    }
  });

  it('names no step by where it runs: the scope beside it says that', () => {
    for (const [name, input] of Object.entries(PROFILES)) {
      for (const s of harborDeployment.steps(profileSchema.parse(input), 'deploy')) {
        if (s.scope === 'cluster') continue;
        expect(s.title.en, `${name}: ${s.id}`).not.toMatch(/\b(every|each|all) nodes?\b/i);
        expect(s.title['zh-CN'], `${name}: ${s.id}`).not.toMatch(/每个节点|各节点|所有节点/);
      }
    }
  });
});
