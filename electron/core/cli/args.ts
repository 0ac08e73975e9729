/**
 * The command lines of the app's two commands (harbor-ha and serve), read with node:util's
 * parseArgs and checked here, so both say the same thing, in zh-CN and en, when one is wrong. A
 * wrong option is named, never its value: a mistyped --some-password=VALUE must not print VALUE.
 */
import { parseArgs } from 'node:util';
import { fill, localeFromTag, type Locale, type Localized } from '../../../shared/i18n/localized';

/** A command line that cannot be used as given: the command prints the message and exits 2. */
export class UsageError extends Error {
  readonly localized: Localized;
  /** The language the command line asked for, or the environment's. */
  readonly locale: Locale;

  constructor(localized: Localized, locale: Locale) {
    super(localized.en);
    this.name = 'UsageError';
    this.localized = localized;
    this.locale = locale;
  }
}

const TEXT = {
  unknownOption: { en: 'unknown option "{name}" (try --help)', 'zh-CN': '未知选项“{name}”（参见 --help）' },
  needsValue: { en: '{name} needs a value', 'zh-CN': '{name} 需要一个值' },
  takesNoValue: { en: '{name} takes no value', 'zh-CN': '{name} 不接受值' },
  // Its position only: a value typed after a flag that takes none may be a secret.
  unexpectedArgument: {
    en: 'unexpected argument at position {n} (options start with --, and a value follows its option; try --help)',
    'zh-CN': '第 {n} 个参数多余（选项以 -- 开头，值紧跟在其选项之后；参见 --help）',
  },
} as const satisfies Record<string, Localized>;

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
}

export type OptionValues<O extends Record<string, OptionSpec>> = {
  -readonly [K in keyof O]?: O[K]['type'] extends 'string' ? string : boolean;
};

export interface ReadArgs<O extends Record<string, OptionSpec>> {
  readonly values: OptionValues<O>;
  /** Words that are not options, with their position on the command line (1-based). */
  readonly positionals: readonly { readonly value: string; readonly position: number }[];
  /** The first thing wrong with the command line, or null. Values read before and after it are kept. */
  readonly problem: Localized | null;
}

/**
 * Reads `argv` against `options`. Never throws: what is wrong comes back as `problem`, with every
 * value that could be read, so the caller can still honour e.g. `--lang` when it reports it.
 */
export function readArgs<const O extends Record<string, OptionSpec>>(argv: readonly string[], options: O): ReadArgs<O> {
  const { tokens } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: false, tokens: true });
  const values: Record<string, string | boolean> = {};
  const positionals: { value: string; position: number }[] = [];
  let problem: Localized | null = null;
  const fault = (text: Localized) => (problem ??= text);
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push({ value: token.value, position: token.index + 1 });
    if (token.kind !== 'option') continue;
    const spec = Object.hasOwn(options, token.name) ? options[token.name] : undefined;
    if (!spec) fault(fill(TEXT.unknownOption, { name: token.rawName }));
    else if (spec.type === 'boolean') {
      if (token.value !== undefined) fault(fill(TEXT.takesNoValue, { name: token.rawName }));
      else values[token.name] = true;
    } else if (token.value === undefined || token.value === '' || (!token.inlineValue && token.value.startsWith('-'))) {
      // parseArgs takes the next word whatever it is: `--profile --json` forgot the file, it does not name one.
      fault(fill(TEXT.needsValue, { name: token.rawName }));
    } else values[token.name] = token.value;
  }
  return { values: values as OptionValues<O>, positionals, problem };
}

/** The problem for a word on the command line that no option or command takes. */
export function unexpectedArgument(position: number): Localized {
  return fill(TEXT.unexpectedArgument, { n: position });
}

/**
 * The language of messages the environment asks for, its variables in POSIX's order; without
 * any (Windows), the system's as ICU reports it.
 */
export function localeFromEnv(env: NodeJS.ProcessEnv): Locale {
  return localeFromTag(env.LC_ALL || env.LC_MESSAGES || env.LANG || Intl.DateTimeFormat().resolvedOptions().locale);
}
