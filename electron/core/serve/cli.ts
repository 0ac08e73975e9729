/**
 * `npm run serve`: the core and the renderer for a browser. Prints one URL with the access token.
 * Usage: serve [--port N] [--host ADDRESS]
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fill, type Localized } from '../../../shared/i18n/localized';
import { logsDir } from '../app/logs';
import { localeFromEnv, readArgs, unexpectedArgument, UsageError, type OptionSpec } from '../cli/args';
import { createCore } from '../core';
import { createLog, Redactor } from '../log';
import { defaultDataDir } from '../paths';
import { isLoopback } from './security';
import { startServe } from './server';

export interface ServeArgs {
  readonly port: number;
  readonly host: string;
  readonly help: boolean;
}

const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Record<string, OptionSpec>;

const TEXT = {
  badPort: {
    en: '--port must be a number from 0 to 65535, not "{value}"',
    'zh-CN': '--port 必须是 0 到 65535 之间的数字，而不是“{value}”',
  },
} as const satisfies Record<string, Localized>;

/** The command line, or a UsageError saying what is wrong with it (in the environment's language). */
export function parseServeArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ServeArgs {
  const { values, positionals, problem } = readArgs(argv, OPTIONS);
  const host = values.host ?? '127.0.0.1';
  if (values.help) return { port: 0, host, help: true };
  const refused = (text: Localized) => new UsageError(text, localeFromEnv(env));
  if (problem) throw refused(problem);
  if (positionals[0]) throw refused(unexpectedArgument(positionals[0].position));
  const port = values.port === undefined ? 0 : Number(values.port);
  if (values.port !== undefined && (!/^\d+$/.test(values.port) || port > 65535)) throw refused(fill(TEXT.badPort, { value: values.port }));
  return { port, host, help: false };
}

const USAGE: Localized = {
  en: `Usage: npm run serve -- [--port N] [--host ADDRESS]

Runs Harbor HA Deployer for a web browser. It listens on 127.0.0.1 and a free port unless told
otherwise, and prints one URL that carries a random access token: open exactly that URL.
--host with an address other than loopback makes the app reachable from other machines.`,
  'zh-CN': `用法：npm run serve -- [--port N] [--host ADDRESS]

为网页浏览器运行 Harbor HA Deployer。除非另行指定，它监听 127.0.0.1 上的一个空闲端口，
并打印一个带随机访问令牌的地址：请准确打开该地址。
--host 指定环回地址以外的地址时，其他机器也能访问本应用。`,
};

async function main() {
  const locale = localeFromEnv(process.env);
  let args: ServeArgs;
  try {
    args = parseServeArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`serve: ${error.localized[error.locale]}\n`);
    process.exit(2);
  }
  if (args.help) {
    process.stdout.write(`${USAGE[locale]}\n`);
    return;
  }
  const here = dirname(fileURLToPath(import.meta.url));
  const pkg = JSON.parse(readFileSync(join(here, '..', '..', 'package.json'), 'utf8')) as { version: string; productName: string };
  const dataDir = defaultDataDir();
  const redactor = new Redactor();
  const log = createLog({ file: join(logsDir(dataDir), 'serve.log'), redactor, echo: false });
  let core: ReturnType<typeof createCore>;
  try {
    core = createCore({
      host: {
        name: pkg.productName,
        version: pkg.version,
        electron: null,
        chrome: null,
        locale,
        dataDir,
      },
      log,
      redactor,
    });
  } catch (error) {
    // A damaged profiles or vault file: say which and what to do, change nothing.
    const e = error as { localized?: { en: string; 'zh-CN': string } };
    process.stderr.write(e.localized ? `${e.localized.en}\n${e.localized['zh-CN']}\n` : `serve: ${(error as Error).message}\n`);
    process.exit(1);
  }
  if (!isLoopback(args.host)) {
    process.stderr.write(
      `WARNING: listening on ${args.host}: other machines can reach this app; anyone with the URL below controls it.\n` +
        `警告：正在监听 ${args.host}，其他机器可以访问本应用；任何拿到下面地址的人都能控制它。\n`,
    );
  }
  const handle = await startServe({
    dispatcher: core.dispatcher,
    log,
    staticDir: join(here, '..', 'renderer'),
    host: args.host,
    port: args.port,
  });
  log.info(`serve: listening on ${handle.origin}`);
  process.stdout.write(`${handle.url}\n`);
  const stop = () => {
    void handle
      .close()
      .then(() => core.close())
      .then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    process.stderr.write(`serve: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
