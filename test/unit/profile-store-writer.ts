/**
 * Child process for profile-store-kill.test.ts: saves profiles in a loop until killed, each save
 * bumping a counter kept in the description. Prints "ready <counter>" first.
 * Usage: node --import tsx profile-store-writer.ts <dataDir>
 */
import { profileSchema } from '../../shared/profile';
import { ProfileStore } from '../../electron/core/profiles/store';
import { v2Profile } from '../helpers/profiles';

const [dataDir] = process.argv.slice(2) as [string];
const store = ProfileStore.open(dataDir);
const counterOf = () => Math.max(0, ...store.list().map((r) => Number(r.profile.description) || 0));
let counter = counterOf();
process.stdout.write(`ready ${counter}\n`);
for (;;) {
  counter++;
  const profile = profileSchema.parse(
    v2Profile((p) => {
      p.id = `p${counter % 5}`;
      p.name = `Cluster ${counter % 5}`;
      p.description = String(counter);
      // A large profile makes each write long enough to be interrupted.
      p.nodes = Array.from({ length: 16 }, (_, i) => ({
        id: `n${i}`,
        host: `10.0.${counter % 250}.${i + 1}`,
        auth: { kind: 'agent' as const },
      }));
    }),
  );
  const now = new Date().toISOString();
  store.put({ profile, revision: counter, createdAt: now, updatedAt: now });
}
