import type { CallsOf } from '../api/dispatcher';
import type { MaintenanceService } from '../maintenance/service';

export function maintenanceHandlers(m: MaintenanceService): CallsOf<'maintenance'> {
  return {
    'maintenance.backup': ({ profileId, ...input }) => m.backup(profileId, input),
    'maintenance.resumeBackup': ({ runId, ...input }) => m.resumeBackup(runId, input),
    'maintenance.backupSettings': ({ profileId }) => m.settings(profileId),
    'maintenance.archives': ({ profileId, folder }) => m.archives(profileId, folder),
    'maintenance.rotateCert': ({ profileId, ...input }) => m.rotateCert(profileId, input),
    'maintenance.restore': ({ profileId, ...input }) => m.restore(profileId, input),
    'maintenance.resumeRestore': ({ runId, ...input }) => m.resumeRestore(runId, input),
    'maintenance.upgrade': ({ profileId, ...input }) => m.upgrade(profileId, input),
    'maintenance.resumeUpgrade': ({ runId, backup }) => m.resumeUpgrade(runId, backup),
    'maintenance.upgrades': ({ profileId }) => m.upgrades(profileId),
    'maintenance.rollbackUpgrade': ({ runId, ...input }) => m.rollbackUpgrade(runId, input),
    'maintenance.verify': ({ file, passphrase }) => m.verify(file, passphrase),
  };
}
