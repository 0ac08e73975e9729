/**
 * The forms a secret takes in the text this app writes (audit lines, run logs and journals, terminal
 * transcripts, the app log, CLI output), each of which the redactor masks like the secret itself.
 * Each encoding of the secret, in each container:
 *
 * Encodings
 * - as it is;
 * - percent-encoded, as in a URL: encodeURIComponent (what ali-oss and Node's querystring write, e.g.
 *   the `Signature` of an OSS signed URL on a curl command line) and the form encoding of
 *   URLSearchParams (space as "+", also ! ' ( ) ~ encoded);
 * - base64 and base64url of its UTF-8 bytes: the whole encoding (the secret encoded alone), and the
 *   characters that depend on the secret's bytes only, at each of the three byte alignments it can
 *   have inside a longer encoding. A secret is usually encoded after something else: HTTP Basic
 *   `base64(user:password)`, docker's config.json `auth`, `echo user:password | base64`; there it
 *   starts at byte len(prefix) mod 3 of a 3-byte group, and base64(secret) alone is not a substring.
 *   The character at each end that mixes the secret's bits with its neighbours' stays visible (at
 *   most 4 bits of the secret each).
 *
 * Containers
 * - none;
 * - a single-quoted word of a shell command line (' written as '\'' by ssh/quote.ts: audit lines,
 *   commands in errors and previews);
 * - util.inspect's quoting (the app log's details, log.ts);
 * - a JSON string, alone or around either of the two above (log lines, journals, audit entries).
 *
 * Not covered: percent-encoding with lower-case hex or of only some characters (encodeURI), other
 * encodings applied twice, hex. Forms shorter than MIN_MASKED_LENGTH are left out, like short
 * secrets: they would mask ordinary words.
 */
import { inspect } from 'node:util';
import { quote } from './ssh/quote';
import { MIN_MASKED_LENGTH } from './string-masker';

const jsonEscaped = (s: string): string => JSON.stringify(s).slice(1, -1);

/** The secret inside a single-quoted shell word: quote() only wraps it when it needs quoting. */
function inSingleQuotes(secret: string): string {
  const q = quote(secret);
  // Stryker disable next-line MethodExpression: equivalent, quote() output starts with ' exactly when it ends with one
  return q.startsWith("'") ? q.slice(1, -1) : q;
}

/** base64 and base64url: whole, and the part that depends on the secret alone at each byte alignment. */
function base64Forms(bytes: Buffer): string[] {
  const forms = [bytes.toString('base64'), bytes.toString('base64url')];
  // Stryker disable next-line EqualityOperator: equivalent, a shift by 3 bytes is alignment 0 again
  for (let offset = 0; offset < 3; offset++) {
    const shifted = Buffer.concat([Buffer.alloc(offset), bytes]);
    // Character i carries bits 6i…6i+5; it depends on the secret alone when they lie in bytes offset…offset+n-1.
    const from = Math.ceil((8 * offset) / 6);
    const to = Math.floor((8 * (offset + bytes.length)) / 6);
    forms.push(shifted.toString('base64').slice(from, to), shifted.toString('base64url').slice(from, to));
  }
  return forms;
}

/** Every form of `secret` listed above, without duplicates, each at least MIN_MASKED_LENGTH long. */
export function secretForms(secret: string): string[] {
  // Stryker disable next-line StringLiteral: equivalent, Buffer.from with an empty encoding name is UTF-8
  const bytes = Buffer.from(secret, 'utf8');
  // encodeURIComponent throws on a lone surrogate; the UTF-8 round trip replaces it as encoders do.
  const wellFormed = bytes.toString('utf8');
  const encodings = [
    secret,
    encodeURIComponent(wellFormed),
    new URLSearchParams({ s: wellFormed }).toString().slice('s='.length),
    ...base64Forms(bytes),
  ];
  // Most encodings have no character any container changes: the Set keeps one of each.
  const forms = encodings.flatMap((e) => {
    const quoted = inSingleQuotes(e);
    const inspected = inspect(e).slice(1, -1);
    return [e, quoted, inspected, jsonEscaped(e), jsonEscaped(quoted), jsonEscaped(inspected)];
  });
  // Stryker disable next-line MethodExpression,ConditionalExpression: equivalent, StringMasker drops repeats and strings under 4 characters itself
  return [...new Set(forms)].filter((f) => f.length >= MIN_MASKED_LENGTH);
}
