/** Values in ssh_config: paths and `%` tokens expanded as ssh expands them for the local user, host names checked. */
import { host as hostSchema } from '../../../../shared/profile/fields';

export function joinPath(dir: string, rel: string): string {
  return `${dir.replace(/\/+$/, '')}/${rel}`;
}

export function expandTilde(path: string, home: string): string {
  if (path === '~') return home;
  if (path.startsWith('~/')) return joinPath(home, path.slice(2));
  return path;
}

export function localUser(home: string): string {
  const parts = home.replace(/\/+$/, '').split('/');
  return parts[parts.length - 1] || 'root';
}

/** Expands the `%` tokens ssh_config allows in the given keyword; unknown tokens are reported. */
export function expandTokens(value: string, tokens: Record<string, string>, onUnknown: (token: string) => void): string {
  return value.replace(/%(.)/g, (whole, t: string) => {
    if (t === '%') return '%';
    const v = tokens[t];
    if (v === undefined) {
      onUnknown(whole);
      return whole;
    }
    return v;
  });
}

export function validHost(value: string): boolean {
  return hostSchema.safeParse(value).success;
}
