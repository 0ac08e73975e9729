/**
 * Log lines as real Harbor writes them into /var/log/harbor (goharbor/harbor issues #13460, #14250, #16668; nginx's
 * timed_combined of the 1.x/2.x templates): rsyslog's traditional prefix of the `log` container, then the component's
 * own format. For the Logs tests, which write them on lab nodes.
 */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Dec  8 00:33:52 172.18.0.1 core[1]: ` (seconds, no year, UTC as the log container's clock). */
export function syslog(t: number, component: string): string {
  const d = new Date(t);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} 172.18.0.1 ${component}[1]: `;
}

export const rfc3339 = (t: number) => new Date(t).toISOString().replace(/\.\d+Z$/, 'Z');

/** core/jobservice (lib/log): `<time> [LEVEL] [file:line][requestID="…"]: message`. */
export const coreLine = (t: number, level: string, where: string, rid: string | null, msg: string, component = 'core') =>
  `${syslog(t, component)}${rfc3339(t)} [${level}] [${where}]${rid ? `[requestID="${rid}"]` : ''}: ${msg}\n`;

/** The proxy (nginx timed_combined): no time of its own and no request id. */
export const proxyLine = (t: number, method: string, path: string, status: number) =>
  `${syslog(t, 'proxy')}10.0.0.9 - "${method} ${path} HTTP/1.1" ${status} 87 "-" "curl/8.5.0" 0.004 0.004 .\n`;
