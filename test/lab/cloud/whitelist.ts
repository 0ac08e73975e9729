/**
 * IP whitelists as RDS and Tair/Redis keep them: named groups of IPv4 addresses and CIDR blocks per instance, changed
 * with ModifySecurityIps in one of three modes (Aliyun's documentation of ModifySecurityIps for both products):
 * Cover replaces the group's entries, Append adds to them, Delete removes the listed ones. A new instance has the
 * group `default` holding `127.0.0.1` (no outside address allowed); emptying `default` puts `127.0.0.1` back,
 * emptying another group removes it. At most 1000 entries per instance; group names are 2-120 characters of
 * lower-case letters, digits and underscores, starting with a letter and ending with a letter or digit.
 */
import { AcsError } from './errors';

export type ModifyMode = 'Cover' | 'Append' | 'Delete';
export const MAX_ENTRIES = 1000;
export const DEFAULT_GROUP = 'default';
const NO_ACCESS = '127.0.0.1';
const GROUP_NAME = /^[a-z][a-z0-9_]{0,118}[a-z0-9]$/;

const octet = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`^${octet}(\\.${octet}){3}$`);

export function validEntry(e: string): boolean {
  const [ip, bits, more] = e.split('/');
  if (more !== undefined || !ip || !IPV4.test(ip)) return false;
  return bits === undefined || (/^\d{1,2}$/.test(bits) && Number(bits) >= 1 && Number(bits) <= 32);
}

export interface WhitelistGroup {
  name: string;
  attribute: string;
  entries: string[];
}

/** The codes each product answers with for the same refusals. */
export interface WhitelistErrors {
  badList: () => AcsError;
  badGroup: () => AcsError;
  badMode: () => AcsError;
  tooMany: () => AcsError;
}

/** Whitelists of one product's instances; `changed` is told every instance whose entries changed. */
export class Whitelists {
  private readonly groups = new Map<string, WhitelistGroup[]>();
  constructor(
    private readonly errors: WhitelistErrors,
    private readonly changed: (instanceId: string, entries: string[]) => void,
  ) {}
  addInstance(id: string): void {
    this.groups.set(id, [{ name: DEFAULT_GROUP, attribute: '', entries: [NO_ACCESS] }]);
  }
  has(id: string): boolean {
    return this.groups.has(id);
  }
  list(id: string): readonly WhitelistGroup[] {
    return this.groups.get(id) ?? [];
  }
  /** every entry of every group, once */
  union(id: string): string[] {
    return [...new Set(this.list(id).flatMap((g) => g.entries))];
  }

  modify(id: string, o: { ips: string; group?: string; mode?: string; attribute?: string }): void {
    const groups = this.groups.get(id)!;
    const name = o.group || DEFAULT_GROUP;
    if (!GROUP_NAME.test(name)) throw this.errors.badGroup();
    const mode = (o.mode || 'Cover') as ModifyMode;
    if (!['Cover', 'Append', 'Delete'].includes(mode)) throw this.errors.badMode();
    const listed = o.ips
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (!listed.length || !listed.every(validEntry)) throw this.errors.badList();

    const g = groups.find((x) => x.name === name);
    const current = g?.entries ?? [];
    let next: string[];
    if (mode === 'Cover') next = [...new Set(listed)];
    else if (mode === 'Append') next = [...new Set([...current, ...listed])];
    else next = current.filter((e) => !listed.includes(e));

    const others = groups.filter((x) => x !== g).reduce((n, x) => n + x.entries.length, 0);
    if (others + next.length > MAX_ENTRIES) throw this.errors.tooMany();

    if (!next.length && name === DEFAULT_GROUP) next = [NO_ACCESS];
    if (!next.length) {
      if (g) groups.splice(groups.indexOf(g), 1);
    } else if (g) {
      g.entries = next;
      if (o.attribute !== undefined) g.attribute = o.attribute;
    } else groups.push({ name, attribute: o.attribute ?? '', entries: next });
    this.changed(id, this.union(id));
  }
}
