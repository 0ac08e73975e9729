/**
 * `npm run serve`: the core and the renderer for a browser. Prints one URL with the access token.
 * Usage: serve [--port N] [--host ADDRESS]
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { localeFromTag } from '../../../shared/i18n/localized';
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

export function parseServeArgs(argv: readonly string[]): ServeArgs {
  let port = 0;
  let host = '127.0.0.1';
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '--port') {
      const v = value();
      port = Number(v);
      if (!/^\d+$/.test(v) || port < 0 || port > 65535) throw new Error(`--port must be a number from 0 to 65535, not "${v}"`);
    } else if (flag === '--host') host = value();
    else if (flag === '--help' || flag === '-h') help = true;
    else throw new Error(`unknown option "${arg}" (try --help)`);
  }
  return { port, host, help };
}

const USAGE = `Usage: npm run serve -- [--port N] [--host ADDRESS]

Runs Harbor HA Deployer for a web browser. It listens on 127.0.0.1 and a free port unless told
otherwise, and prints one URL that carries a random access token: open exactly that URL.
--host with an address other than loopback makes the app reachable from other machines.`;

async function main() {
  let args: ServeArgs;
  try {
    args = parseServeArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`serve: ${(error as Error).message}\n`);
    process.exit(2);
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const here = dirname(fileURLToPath(import.meta.url));
  const pkg = JSON.parse(readFileSync(join(here, '..', '..', 'package.json'), 'utf8')) as { version: string; productName: string };
  const dataDir = defaultDataDir();
  const redactor = new Redactor();
  const log = createLog({ file: join(dataDir, 'logs', 'serve.log'), redactor, echo: false });
  let core: ReturnType<typeof createCore>;
  try {
    core = createCore({
      host: {
        name: pkg.productName,
        version: pkg.version,
        electron: null,
        chrome: null,
        locale: localeFromTag(process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG || Intl.DateTimeFormat().resolvedOptions().locale),
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
    void handle.close().then(() => core.close()).then(() => process.exit(0));
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
