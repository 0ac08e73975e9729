/** What a node offers Harbor beyond its runtime: free space, and a locale Harbor's scripts can run under. */
import type { NodeFacts } from '../facts';
import { firstNonAscii } from '../locale';
import { L } from '../context';
import { bad, ok, type Finding } from './findings';

/**
 * Harbor's scripts run under the node's UTF-8 locale (see common/locale.ts). Where a value Harbor's Python 2 prepare reads
 * holds a non-ASCII character and the node has no UTF-8 locale, prepare would die with UnicodeDecodeError: refused
 * here, naming the value, with the fix.
 */
export function localeFindings(facts: NodeFacts, label: string, scriptValues: Readonly<Record<string, string>>): Finding[] {
  if (facts.utf8Locale)
    return [ok('locale', `${label}: Harbor's scripts run under ${facts.utf8Locale}`, `${label}：Harbor 脚本在 ${facts.utf8Locale} 下运行`)];
  const nonAscii = Object.entries(scriptValues)
    .filter(([, v]) => firstNonAscii(v) !== null)
    .map(([k]) => k);
  if (!nonAscii.length)
    return [ok('locale', `${label}: no UTF-8 locale, but every value is ASCII`, `${label}：没有 UTF-8 区域设置，但所有值都是 ASCII`)];
  return [
    bad(
      'locale.utf8',
      L(
        `${label}: the node has no UTF-8 locale (locale -a), and ${nonAscii.join(', ')} in harbor.cfg ${nonAscii.length === 1 ? 'holds' : 'hold'} non-ASCII characters: Harbor 1.x's prepare (Python 2) would stop with UnicodeDecodeError.`,
        `${label}：节点没有 UTF-8 区域设置（locale -a），而 harbor.cfg 中的 ${nonAscii.join('、')} 含有非 ASCII 字符：Harbor 1.x 的 prepare（Python 2）会因 UnicodeDecodeError 而中止。`,
      ),
      L(
        'Add a UTF-8 locale on the node (CentOS/RHEL 7: localedef -c -i en_US -f UTF-8 en_US.UTF-8; Debian/Ubuntu: apt-get install -y locales && locale-gen en_US.UTF-8), or use only ASCII characters in those values.',
        '请在节点上添加 UTF-8 区域设置（CentOS/RHEL 7：localedef -c -i en_US -f UTF-8 en_US.UTF-8；Debian/Ubuntu：apt-get install -y locales && locale-gen en_US.UTF-8），或在这些值中只使用 ASCII 字符。',
      ),
    ),
  ];
}

/** Free space: the installer is kept, unpacked and loaded into docker, so about three times its size. */
export function diskFindings(facts: NodeFacts, label: string, installerBytes: number): Finding[] {
  const out: Finding[] = [];
  const needKb = Math.ceil((installerBytes * 3) / 1024) + 512 * 1024;
  for (const [dir, free] of Object.entries(facts.freeKb)) {
    if (free === null) continue;
    const gb = (free / 1024 / 1024).toFixed(1);
    if (free < needKb) {
      out.push(
        bad(
          `disk:${dir}`,
          L(
            `${label}: only ${gb} GiB free under ${dir}; about ${(needKb / 1024 / 1024).toFixed(1)} GiB are needed.`,
            `${label}：${dir} 下仅剩 ${gb} GiB；大约需要 ${(needKb / 1024 / 1024).toFixed(1)} GiB。`,
          ),
          L('Free some space or grow the disk.', '请清理空间或扩容磁盘。'),
        ),
      );
    }
  }
  if (!out.length) out.push(ok('disk', `${label}: enough free space`, `${label}：磁盘空间充足`));
  return out;
}
