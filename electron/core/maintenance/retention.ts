/**
 * Where a profile's archives live in the operator's folder and how many stay: `harbor-backup-<profile>-<run>.tar.age`,
 * so the run's time sorts them and nothing else in the folder is ever touched (other profiles' archives, files the
 * operator put there, a `.partial` another run is writing).
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArchiveEntry } from '../../../shared/api/contracts/maintenance';
import { RUN_ID_PATTERN } from '../deploy/runner';

const SUFFIX = '.tar.age';

export function archiveName(profileId: string, runId: string): string {
  return `harbor-backup-${profileId}-${runId}${SUFFIX}`;
}

/** The run id of one of this profile's archives, or null for any other file. */
function runOf(profileId: string, name: string): string | null {
  const prefix = `harbor-backup-${profileId}-`;
  if (!name.startsWith(prefix) || !name.endsWith(SUFFIX)) return null;
  const runId = name.slice(prefix.length, -SUFFIX.length);
  return RUN_ID_PATTERN.test(runId) ? runId : null;
}

/** This profile's archives in the folder, newest first. */
export async function listArchives(folder: string, profileId: string): Promise<ArchiveEntry[]> {
  const out: ArchiveEntry[] = [];
  for (const name of await readdir(folder)) {
    const runId = runOf(profileId, name);
    if (!runId) continue;
    const file = join(folder, name);
    const s = await stat(file).catch(() => null);
    if (s?.isFile()) out.push({ file, name, size: s.size, modifiedAt: s.mtime.toISOString(), runId });
  }
  return out.sort((a, b) => (a.runId < b.runId ? 1 : -1));
}

/** Removes this profile's archives beyond the newest `keep`; answers the names removed. */
export async function pruneArchives(folder: string, profileId: string, keep: number): Promise<string[]> {
  const old = (await listArchives(folder, profileId)).slice(keep);
  for (const a of old) await rm(a.file, { force: true });
  return old.map((a) => a.name);
}
