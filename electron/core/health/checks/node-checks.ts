/** What a node's report says, judged: its containers against those the kind expects, its free space and its clock. */
import type { Check, ContainerState, DiskUsage, Health } from '../../../../shared/api/contracts/topology';
import type { Profile } from '../../../../shared/profile';
import type { NodeKind } from '../kind';
import { L, worst } from './common';
import type { NodeReport } from './node-command';

/** `df -P -k PATH`: the last line is `filesystem blocks used available capacity mountpoint`. */
export function parseDf(path: string, text: string): DiskUsage | undefined {
  const lines = text.split('\n').filter((l) => l.trim());
  const last = lines.at(-1);
  if (!last || lines.length < 2) return undefined;
  // Device names and mount points may hold spaces: anchor on the capacity column ("95%").
  const f = last.trim().split(/\s+/);
  const cap = f.findIndex((x, i) => i >= 4 && /^\d+%$/.test(x));
  if (cap < 0) return undefined;
  const [size, used, avail] = [Number(f[cap - 3]), Number(f[cap - 2]), Number(f[cap - 1])];
  if (![size, used, avail].every(Number.isFinite)) return undefined;
  const usedPercent = used + avail > 0 ? Math.round((used / (used + avail)) * 1000) / 10 : 0;
  return { path, mount: f.slice(cap + 1).join(' '), sizeBytes: size * 1024, freeBytes: avail * 1024, usedPercent };
}

export const DISK = { warnPercent: 90, failPercent: 97 } as const;
export const CLOCK = { warnMs: 5_000, failMs: 60_000 } as const;

export function containersCheck(kind: NodeKind, p: Profile, report: NodeReport, at: string): Check & { list?: ContainerState[] } {
  const { rc, text } = report.docker;
  if (rc !== 0) {
    const why = text.trim().split('\n').at(-1) ?? `exit ${rc}`;
    return { status: 'fail', checkedAt: at, detail: why, error: L(`docker ps failed: ${why}`, `docker ps 执行失败：${why}`) };
  }
  const list = kind.containerList.parse(text);
  const expected = kind.containers(p);
  const missing = expected.filter((n) => !list.some((c) => c.name === n));
  const full: ContainerState[] = [...list, ...missing.map((name) => ({ name, image: '', status: '', state: 'missing' as const }))];
  const down = full.filter((c) => expected.includes(c.name) && c.state !== 'running');
  const running = full.filter((c) => c.state === 'running').length;
  const detail = `${running}/${full.length} running`;
  if (down.length) {
    const names = down.map((c) => `${c.name} (${c.state === 'missing' ? 'missing' : c.status})`).join(', ');
    return {
      status: 'fail',
      checkedAt: at,
      detail,
      list: full,
      error: L(`Harbor containers not running: ${names}`, `以下 Harbor 容器未运行：${names}`),
    };
  }
  const local = full.filter((c) => kind.localStateContainers.includes(c.name) && c.state === 'running');
  if (local.length) {
    const names = local.map((c) => c.name).join(', ');
    return {
      status: 'warn',
      checkedAt: at,
      detail,
      list: full,
      error: L(
        `The node runs its own ${names}: it does not use the shared database/Redis`,
        `该节点运行了自己的 ${names}：未使用共享的数据库/Redis`,
      ),
    };
  }
  return { status: 'ok', checkedAt: at, detail, list: full };
}

export function disksCheck(report: NodeReport, at: string): Check & { list?: DiskUsage[] } {
  const list: DiskUsage[] = [];
  const errors: string[] = [];
  let status: Health = 'ok';
  for (const d of report.df) {
    const u = d.rc === 0 ? parseDf(d.path, d.text) : undefined;
    if (!u) {
      errors.push(`${d.path}: ${d.text.trim().split('\n').at(-1) ?? 'df failed'}`);
      status = worst(status, 'warn');
      continue;
    }
    list.push(u);
    if (u.usedPercent >= DISK.failPercent) status = worst(status, 'fail');
    else if (u.usedPercent >= DISK.warnPercent) status = worst(status, 'warn');
  }
  const full = list.filter((u) => u.usedPercent >= DISK.warnPercent).map((u) => `${u.path} ${u.usedPercent}%`);
  const detail = list.map((u) => `${u.path}: ${formatBytes(u.freeBytes)} free (${u.usedPercent}% used)`).join('; ');
  const problems = [...full.map((f) => `${f} used`), ...errors];
  return {
    status,
    checkedAt: at,
    detail,
    list,
    ...(problems.length ? { error: L(`Disk: ${problems.join('; ')}`, `磁盘：${problems.join('；')}`) } : {}),
  };
}

export function clockCheck(report: NodeReport, sentAt: number, receivedAt: number, at: string): Check & { skewMs?: number } {
  if (report.epochSeconds === undefined) return { status: 'unknown', checkedAt: at };
  // The node printed its second somewhere between sending and receiving; `date +%s` truncates.
  const mid = (sentAt + receivedAt) / 2;
  const raw = report.epochSeconds * 1000 + 500 - mid;
  const slack = (receivedAt - sentAt) / 2 + 500;
  const skewMs = Math.abs(raw) <= slack ? 0 : Math.round(raw - Math.sign(raw) * slack);
  const abs = Math.abs(skewMs);
  const status: Health = abs >= CLOCK.failMs ? 'fail' : abs >= CLOCK.warnMs ? 'warn' : 'ok';
  const s = (skewMs / 1000).toFixed(1);
  return {
    status,
    checkedAt: at,
    skewMs,
    detail: `${skewMs >= 0 ? '+' : ''}${s} s`,
    ...(status !== 'ok' ? { error: L(`The clock is ${s} s off this computer's`, `时钟与本机相差 ${s} 秒`) } : {}),
  };
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 10 || i === 0 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}
