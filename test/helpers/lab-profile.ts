import type { ProfileService } from '../../electron/core/profiles/service';
import { profileSchema } from '../../shared/profile';
import type { Lab } from '../lab';
import { v2Profile } from './profiles';

/**
 * Saves profile `lab` ("Lab cluster") whose nodes are the lab's: node 1 signs in with its password,
 * the others with the lab's key, so both kinds of credentials are exercised. The vault must be open.
 */
export async function saveLabProfile(profiles: ProfileService, l: Lab): Promise<void> {
  await profiles.save(
    profileSchema.parse(
      v2Profile((p) => {
        p.id = 'lab';
        p.name = 'Lab cluster';
        p.nodes = l.nodes.map((n) => ({
          id: `n${n.index}`,
          name: n.name,
          host: n.address,
          auth: n.index === 1 ? { kind: 'password', password: { value: n.password } } : { kind: 'key', keyPath: n.privateKeyPath, passphrase: { set: false } },
        }));
      }),
    ),
  );
}
