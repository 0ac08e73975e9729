/** IPv4 addresses and CIDR blocks as Aliyun's whitelists hold them (`10.0.0.1`, `10.0.0.0/24`, `0.0.0.0/0`). */
import { isIPv4 } from '../../../shared/profile';

function toNumber(address: string): number {
  return address.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

/** Whether a whitelist entry lets `address` in: the same address, or a block holding it. Other entries (IPv6) never do. */
export function entryCovers(entry: string, address: string): boolean {
  const [base, bits] = entry.trim().split('/');
  if (!base || !isIPv4(base) || !isIPv4(address)) return false;
  if (bits === undefined) return base === address;
  const n = Number(bits);
  if (!Number.isInteger(n) || n < 0 || n > 32) return false;
  if (n === 0) return true;
  const shift = 32 - n;
  return toNumber(base) >>> shift === toNumber(address) >>> shift;
}

/** The entries that let `address` in. */
export function coveringEntries(entries: readonly string[], address: string): string[] {
  return entries.filter((e) => entryCovers(e, address));
}
