/**
 * Which Harbor upgrades the app runs, and why the others are refused (docs/maintenance.md, Upgrade). Within 2.x every
 * hop forward is one: core applies each newer schema migration at start (golang-migrate over the files in its image)
 * and `prepare migrate` reads harbor.yml from 1.9 on (facts §3). 1.x to 2.x is not: 1.5 keeps its data in MySQL, which
 * Harbor 2.x cannot use, and its route goes through 1.6–1.9 installs with Harbor's own migrator image.
 */
import { L, type Localized } from '../../../../shared/i18n/localized';

const parts = (v: string) => v.split('.').map((x) => Number.parseInt(x, 10) || 0);

/** Negative, zero or positive as `a` is older than, the same as, or newer than `b` (x.y.z). */
export function compareVersions(a: string, b: string): number {
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

/** The versions a 1.5 cluster passes through to reach 2.x, each a Harbor install of its own (shown in the app). */
export const V1_TO_V2_HOPS = ['1.5 → 1.6 (MySQL to PostgreSQL, Harbor’s migrator image)', '1.6 → 1.10', '1.10 → 2.0', '2.0 → 2.x'];

/** Why the app does not upgrade `from` → `to`, or null when it does. */
export function supportedHop(from: string, to: string): Localized | null {
  const [fromMajor] = parts(from);
  const [toMajor] = parts(to);
  if (fromMajor !== 2 || toMajor !== 2)
    return L(
      `The app upgrades Harbor 2.x to a newer 2.x. ${from} → ${to} is not such a hop: a 1.5 cluster keeps its data in MySQL, which Harbor 2.x cannot use, and goes ${V1_TO_V2_HOPS.join(', ')}, each with Harbor's own migrator (docs/maintenance.md).`,
      `本应用将 Harbor 2.x 升级到更新的 2.x。${from} → ${to} 不属于此类：1.5 集群的数据在 MySQL 中，Harbor 2.x 无法使用，需依次经过 ${V1_TO_V2_HOPS.join('、')}，每一步都使用 Harbor 自带的迁移工具（docs/maintenance.md）。`,
    );
  if (compareVersions(to, from) <= 0)
    return L(
      `${to} is not newer than ${from}: Harbor's schema migrations go forward only. To go back, restore the backup taken before the upgrade into a profile of ${to}.`,
      `${to} 并不比 ${from} 新：Harbor 的数据库结构迁移只能向前。如需回退，请将升级前的备份恢复到 ${to} 的集群配置中。`,
    );
  return null;
}
