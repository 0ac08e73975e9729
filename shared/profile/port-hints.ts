/**
 * A port that belongs to the other database engine is the commonest slip when a 1.x profile (MySQL) is cloned into a
 * 2.x one (PostgreSQL) or the other way: Harbor's connection would then fail at preflight with only "cannot connect".
 * The form warns as it is typed; it is a warning, not a refusal, since RDS lets an instance listen on any port.
 */
export type DatabaseEngine = 'mysql' | 'postgresql';

const USUAL: Record<DatabaseEngine, { port: number; name: string }> = {
  mysql: { port: 3306, name: 'MySQL' },
  postgresql: { port: 5432, name: 'PostgreSQL' },
};

/** The mismatch, when `port` is the other engine's usual port. */
export function databasePortMismatch(
  engine: DatabaseEngine,
  port: number | undefined,
): { port: number; engine: string; usual: number; other: string } | null {
  const other: DatabaseEngine = engine === 'mysql' ? 'postgresql' : 'mysql';
  if (port !== USUAL[other].port) return null;
  return { port, engine: USUAL[engine].name, usual: USUAL[engine].port, other: USUAL[other].name };
}
