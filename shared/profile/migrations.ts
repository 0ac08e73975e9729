/**
 * Profiles written under an older schema version, brought to today's shape. The store (profiles.json), exported
 * profile files and the profile sealed in a backup archive all carry the version they were written with, and all go
 * through these steps, so a profile made by an older app is never refused or misread.
 */
import { SCHEMA_VERSION } from './schema';

type RawProfile = Record<string, unknown>;

/** Step N turns a profile of schema version N into one of version N + 1. */
const STEPS: Record<number, (profile: RawProfile) => RawProfile> = {
  // 1 → 2: Aliyun's load balancers are two products with their own APIs; the classic one (SLB, now CLB) kept its
  // fields, its id under the name every product's instance id has.
  1: (profile) => {
    const lb = profile.loadBalancer as RawProfile | undefined;
    if (lb?.kind !== 'aliyun-slb') return profile;
    const { kind: _kind, slbId, ...rest } = lb;
    return { ...profile, loadBalancer: { kind: 'clb', ...(slbId === undefined ? {} : { instanceId: slbId }), ...rest } };
  },
};

/** The profile (as read, before validation) of schema version `from`, in today's shape. */
export function migrateProfile(profile: unknown, from: number): unknown {
  if (typeof profile !== 'object' || profile === null) return profile;
  let out = profile as RawProfile;
  for (let version = from; version < SCHEMA_VERSION; version++) out = STEPS[version]?.(out) ?? out;
  return out;
}
