/** The ssh_config(5) syntax the importer follows: how a line splits, and how Host patterns match. */

/**
 * Splits a config line into keyword and arguments as OpenSSH does: the keyword ends at whitespace
 * or `=`; arguments are separated by whitespace, may be quoted with `"` or `'`, and a `#` that
 * starts an unquoted argument ends the line. Returns undefined for blank and comment lines.
 */
export function splitConfigLine(raw: string): { key: string; args: string[] } | undefined {
  const text = raw.replace(/^\s+/, '');
  if (text === '' || text.startsWith('#')) return undefined;
  const m = /^([^\s=]+)\s*(?:=\s*)?/.exec(text);
  if (!m) return undefined;
  const key = m[1]!.toLowerCase();
  const rest = text.slice(m[0].length);
  const args: string[] = [];
  let i = 0;
  while (i < rest.length) {
    while (i < rest.length && /\s/.test(rest[i]!)) i++;
    if (i >= rest.length) break;
    if (rest[i] === '#') break;
    let arg = '';
    let quote: string | undefined;
    while (i < rest.length) {
      const c = rest[i]!;
      if (quote) {
        if (c === '\\' && (rest[i + 1] === quote || rest[i + 1] === '\\')) {
          arg += rest[i + 1];
          i += 2;
          continue;
        }
        if (c === quote) {
          quote = undefined;
          i++;
          continue;
        }
        arg += c;
        i++;
        continue;
      }
      if (/\s/.test(c)) break;
      if (c === '"' || c === "'") {
        quote = c;
        i++;
        continue;
      }
      if (c === '\\' && i + 1 < rest.length) {
        arg += rest[i + 1];
        i += 2;
        continue;
      }
      arg += c;
      i++;
    }
    if (quote) throw new Error(`unterminated quote`);
    args.push(arg);
  }
  return { key, args };
}

/** One pattern list a setting depends on: every list in the chain must match the host. */
export type Condition = { kind: 'host'; patterns: string[] } | { kind: 'never' };

/** ssh_config(5) PATTERNS: `*` any run, `?` one character; case-insensitive for host names. */
function globMatch(pattern: string, value: string): boolean {
  const re = new RegExp(
    '^' +
      pattern
        .split('')
        .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
        .join('') +
      '$',
    'i',
  );
  return re.test(value);
}

/** A pattern list matches when a positive pattern matches and no negated one does. */
function patternListMatches(patterns: string[], name: string): boolean {
  let matched = false;
  for (const p of patterns) {
    if (p.startsWith('!')) {
      if (globMatch(p.slice(1), name)) return false;
    } else if (globMatch(p, name)) {
      matched = true;
    }
  }
  return matched;
}

export function conditionsMatch(conditions: Condition[], name: string): boolean {
  return conditions.every((c) => c.kind === 'host' && patternListMatches(c.patterns, name));
}

export function isConcrete(pattern: string): boolean {
  return !/[*?!]/.test(pattern);
}
