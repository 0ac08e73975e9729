/**
 * The import dialog's OpenSSH client config option in Chromium over serve mode: the core reads ~/.ssh/config (of the
 * machine running it, with its Include), a chosen file or pasted text; the operator sees the hosts and what was skipped,
 * picks nodes and gets a profile draft with them.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServeHandle } from '../../electron/core/serve/server';
import { launchChromium, openTestPage } from '../helpers/browser';
import { projectRoot, serveBuiltApp } from '../helpers/serve';

let browser: Browser;
let serve: ServeHandle;
let core: Awaited<ReturnType<typeof serveBuiltApp>>['core'];
let page: Page;
let home: string;
const savedHome = process.env.HOME;
const errors: string[] = [];

// A config as people write them: comments, Key=value, quoted paths with spaces, a multi-pattern Host line, Host *
// defaults, a Match block, an Include of a relative file, and ProxyJump through an alias.
const CONFIG = `# my servers
Include conf.d/extra.conf

Host bastion
  HostName 127.0.0.80
  User jump

Host harbor-1 harbor-2
  User=deploy
  IdentityFile "~/.ssh/keys/harbor key"
  ProxyJump bastion

Host harbor-1
  HostName 127.0.0.81
Host harbor-2
  HostName = 127.0.0.82
  Port 2222

Match host *.internal
  User nobody

Host *
  User fallback
`;

beforeAll(async () => {
  // The core runs in this process and reads $HOME/.ssh/config, as it does for an operator.
  home = mkdtempSync(join(tmpdir(), 'harbor-ssh-home-'));
  mkdirSync(join(home, '.ssh', 'conf.d'), { recursive: true });
  writeFileSync(join(home, '.ssh', 'config'), CONFIG);
  writeFileSync(join(home, '.ssh', 'conf.d', 'extra.conf'), 'Host web-*\n  Port 2200\nHost registry-3\n  HostName 127.0.0.83\n');
  process.env.HOME = home;
  ({ serve, core } = await serveBuiltApp());
  browser = await launchChromium();
  page = await openTestPage(
    browser,
    { timeoutMs: 45_000, viewport: { width: 1360, height: 900 } },
    { errors, artifacts: join(projectRoot, 'test-results') },
  );
  await page.goto(serve.url);
});

afterAll(async () => {
  process.env.HOME = savedHome;
  await browser?.close();
  await serve?.close();
  await core?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

const openImport = async () => {
  await page.getByTestId('profiles-import').click();
  await page.getByTestId('import-dialog').waitFor();
};
/** What a field of the form shows (the field is an input, or holds one: the key path has a picker beside it). */
const fieldValue = (path: string) =>
  page.locator(`input[data-testid="input-${path}"], [data-testid="input-${path}"] input`).first().inputValue();
const hostRows = () => page.getByTestId('import-ssh-host');
const warnings = () => page.getByTestId('import-ssh-warnings').locator('li').allInnerTexts();

const patterns = () => page.getByTestId('import-ssh-patterns').locator('li').allInnerTexts();

describe('importing nodes from an OpenSSH client config', () => {
  it('reads pasted text, and says what it skipped and why', async () => {
    await openImport();
    await page.getByTestId('import-ssh-paste').click();
    await page
      .getByLabel('Text of the config file')
      .fill('Host db-proxy\n  HostName 127.0.0.90\n  ProxyCommand nc %h %p\nHost *\n  User ops\n');
    await page.getByTestId('import-ssh-read').click();
    await page.getByTestId('import-ssh-hosts').waitFor();
    expect(await hostRows().allInnerTexts()).toEqual(['db-proxy ops@127.0.0.90']);
    expect(await warnings()).toEqual([
      'line 3: db-proxy: ProxyCommand is not supported; imported without a jump host. Use ProxyJump, or add the jump host in the profile',
    ]);
    expect(await patterns()).toEqual(['line 4: Host *']);
  });

  it('reads a chosen file, and says when it names no host', async () => {
    await page.getByTestId('import-ssh-back').click();
    await page
      .getByTestId('import-ssh-file')
      .setInputFiles({ name: 'config', mimeType: 'text/plain', buffer: Buffer.from('Host only-patterns-*\n  User x\n') });
    await page.getByTestId('import-ssh-none').waitFor();
    expect(await page.getByTestId('import-ssh-none').innerText()).toContain('No host with a concrete name was found');
    expect(await page.getByTestId('import-ssh-create').isDisabled()).toBe(true);
    await page.getByTestId('import-ssh-back').click();
  });

  it('reads ~/.ssh/config on the machine running the app: every concrete host with its address, user, key and jump host', async () => {
    await page.getByTestId('import-ssh-home').click();
    await page.getByTestId('import-ssh-hosts').waitFor();
    expect(await hostRows().allInnerTexts()).toEqual([
      'registry-3 fallback@127.0.0.83',
      'bastion jump@127.0.0.80',
      `harbor-1 deploy@127.0.0.81 · key ${home}/.ssh/keys/harbor key · via jump@127.0.0.80`,
      `harbor-2 deploy@127.0.0.82:2222 · key ${home}/.ssh/keys/harbor key · via jump@127.0.0.80`,
    ]);
    // The Match block is skipped and said so, with its line; the patterns (from the Include too) are listed.
    expect((await warnings()).filter((w) => w.includes('Match'))).toEqual([
      'line 19: Match blocks are not evaluated; the settings up to the next Host or Match line were skipped',
    ]);
    expect(await patterns()).toEqual(['line 2: Host web-*', 'line 22: Host *']);
    await page.screenshot({ path: join(projectRoot, 'test-results', 'import-ssh-hosts.png') });
  });

  it('creates a profile draft with the chosen hosts as nodes, their jump hosts included', async () => {
    // The bastion is the jump host, not a node: the operator unticks it.
    await hostRows().filter({ hasText: 'bastion' }).getByRole('checkbox').click();
    await page.getByTestId('import-ssh-create').filter({ hasText: 'Create a profile with 3 nodes' }).click();
    await page.getByTestId('profile-editor').waitFor();
    expect(await fieldValue('nodes.0.host')).toBe('127.0.0.83');
    expect(await fieldValue('nodes.1.host')).toBe('127.0.0.81');
    expect(await fieldValue('nodes.2.host')).toBe('127.0.0.82');
    expect(await fieldValue('nodes.2.port')).toBe('2222');
    expect(await fieldValue('nodes.2.user')).toBe('deploy');
    expect(await fieldValue('nodes.1.auth.keyPath')).toBe(`${home}/.ssh/keys/harbor key`);
    expect(await fieldValue('nodes.1.jumpHosts.0.host')).toBe('127.0.0.80');
    expect(await fieldValue('nodes.1.jumpHosts.0.user')).toBe('jump');
    expect(await page.getByTestId('editor-notes').innerText()).toContain('~/.ssh/config');
  });

  it('ran without page errors', () => {
    expect(errors).toEqual([]);
  });
});
