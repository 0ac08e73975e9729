import { join } from 'node:path';

/** The folder every host writes its log file into (main.log, serve.log, cli.log): `<dataDir>/logs`. */
export const logsDir = (dataDir: string): string => join(dataDir, 'logs');
