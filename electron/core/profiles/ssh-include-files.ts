/**
 * Reads what an ssh_config `Include` names on the machine running the core: one file, or every file a glob matches
 * (`Include config.d/*`, the common way to split a config), as ssh does with glob(3): in lexical order, hidden files
 * only when the pattern component starts with a dot. The parser cannot list folders (it is pure), so this is the
 * `readInclude` the core gives it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const WILD = /[*?[]/;
/** More matches than this are not a config any more; the rest are left out rather than read. */
const MAX_MATCHES = 256;

/** fnmatch(3) without flags, for one path component: `*`, `?`, `[...]` and `[!...]`. */
function componentPattern(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        const body = glob.slice(i + 1, end);
        const negated = body.startsWith('!');
        re += `[${negated ? '^' : ''}${(negated ? body.slice(1) : body).replace(/[\\\]^]/g, '\\$&')}]`;
        i = end;
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Absolute paths the absolute `pattern` matches, sorted as glob(3) sorts them. */
export function expandIncludePattern(pattern: string): string[] {
  let paths = ['/'];
  for (const component of pattern.split('/').filter(Boolean)) {
    if (!WILD.test(component)) {
      paths = paths.map((p) => join(p, component));
      continue;
    }
    const match = componentPattern(component);
    paths = paths.flatMap((dir) => {
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        return [];
      }
      return names.filter((n) => match.test(n) && (!n.startsWith('.') || component.startsWith('.'))).map((n) => join(dir, n));
    });
  }
  return paths
    .filter(isFile)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, MAX_MATCHES);
}

/** The text of the file an Include names, or of every file its glob matches (joined); undefined when there is none. */
export function readIncludeFiles(path: string): string | undefined {
  const files = WILD.test(path) ? expandIncludePattern(path) : [path];
  const texts: string[] = [];
  for (const file of files) {
    try {
      texts.push(readFileSync(file, 'utf8'));
    } catch {
      // unreadable or gone: ssh skips such a file too
    }
  }
  return texts.length ? texts.join('\n') : undefined;
}
