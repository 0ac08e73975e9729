/**
 * Where a profile's secrets are and what stands in their place: the values live in the Vault under
 * `profile/<id>/<slot>`; a profile that leaves the core carries `{ set }` in place of every secret.
 */
import { secretSlots, type Profile } from '../../../shared/profile';

/** Every vault key of a profile's secrets starts with this. */
export const secretPrefix = (profileId: string): string => `profile/${profileId}/`;

/** A deep copy with every secret replaced by `{ set }` (whether a value is stored). */
export function masked(p: Profile, isStored: (key: string) => boolean): Profile {
  const copy = structuredClone(p);
  for (const slot of secretSlots(copy)) slot.set({ set: isStored(slot.key) });
  return copy;
}
