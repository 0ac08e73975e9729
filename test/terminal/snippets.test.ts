/**
 * Built-in snippets typed into real terminal sessions on a lab node, as the Terminals page types them: the disk usage
 * of the data volume, redis-cli to the lab's Redis and psql to its PostgreSQL. What needs a password asks for it in
 * the terminal and the operator types it there: no command line the core renders holds it. Own snippets through the
 * real core: kept across a restart of the core, refused with a secret of the vault in them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/errors';
import type { SnippetLibrary } from '../../shared/api/contracts/snippets';
import { profileSchema } from '../../shared/profile';
import { testCore } from '../helpers/core';
import { v2Profile } from '../helpers/profiles';
import { caller, TerminalClient } from '../helpers/terminal';
import * as lab from '../lab';

let l: lab.Lab;
const core = testCore();
const call = caller(core);
const open: TerminalClient[] = [];

async function shell(): Promise<TerminalClient> {
  const t = await TerminalClient.open(core, { profileId: 'lab', nodeId: 'n1' });
  open.push(t);
  await t.waitFor(/[#$] $/);
  return t;
}

/** Types a built-in snippet as the page does: the rendered line, then Enter; answers where its output starts. */
async function runSnippet(t: TerminalClient, id: string, parameters: Record<string, string> = {}): Promise<{ line: string; from: number }> {
  const { command } = await call<{ command: string }>('snippets.render', { profileId: 'lab', id, parameters });
  const from = t.text.length;
  await t.send(`${command}\r`);
  return { line: command, from };
}

beforeAll(async () => {
  l = await lab.up({ nodes: 1, services: ['redis', 'postgres'] });
  await core.vault.initialize('vault passphrase for snippet tests');
  const n = l.node(1);
  await core.profiles.save(
    profileSchema.parse(
      v2Profile((p) => {
        p.id = 'lab';
        p.nodes = [{ id: 'n1', name: n.name, host: n.address, auth: { kind: 'password', password: { value: n.password } } }];
        p.redis = { host: l.redis.address, port: l.redis.port, auth: 'password', password: { value: l.redis.password } };
        p.database = {
          engine: 'postgresql',
          host: l.postgres.address,
          port: l.postgres.port,
          admin: { user: 'postgres', password: { value: l.postgres.password } },
          harbor: { user: 'postgres', password: { value: l.postgres.password }, database: 'postgres' },
        };
      }),
    ),
  );
  const first = await call<{ status: string; fingerprint: string }>('ssh.test', { profileId: 'lab', nodeId: 'n1' });
  if (first.status === 'host_key_unknown') await call('ssh.trustHostKey', { fingerprint: first.fingerprint });
  await n.execOk('mkdir -p /data/registry /var/log/harbor && head -c 3145728 /dev/zero > /data/registry/blob');
}, 180_000);

afterAll(async () => {
  await Promise.all(open.map((t) => t.close()));
  await core.close();
  await l?.down();
});

describe('built-in snippets in a terminal on a lab node', () => {
  it('disk usage: df and du of the data volume appear in the terminal', async () => {
    const t = await shell();
    const { line, from } = await runSnippet(t, 'disk.usage');
    expect(line).toBe('df -h /data && du -h -d 1 /data /var/log/harbor');
    // du's line for the registry folder, with the 3 MiB written above.
    await t.waitFor(/\n3\.\dM\s+\/data\/registry\r?\n/, 15_000, from);
    expect(t.text.slice(from)).toContain('Filesystem');
  });

  it('redis-cli asks for the password in the terminal; typed there, PING answers PONG', async () => {
    const t = await shell();
    const { line, from } = await runSnippet(t, 'redis.ping', { db: '2' });
    expect(line).not.toContain(l.redis.password);
    await t.waitFor(/password/i, 15_000, from);
    await t.send(`${l.redis.password}\r`);
    await t.waitFor('PONG', 15_000, from);
  });

  it('psql asks for the password in the terminal, then takes queries', async () => {
    const t = await shell();
    const { line, from } = await runSnippet(t, 'database.client', { account: 'postgres' });
    expect(line).not.toContain(l.postgres.password);
    await t.waitFor('Password for user postgres:', 15_000, from);
    await t.send(`${l.postgres.password}\r`);
    await t.waitFor(/=[#>] $/, 15_000, from);
    await t.send('select 40 + 2 as answer;\r');
    await t.waitFor(/\b42\b/, 15_000, from);
    await t.send('\\q\r');
    await t.waitFor(/[#$] $/, 15_000, t.text.length - 4);
  });
});

describe('own snippets through the core', () => {
  it('are kept for the profile, and one holding a secret of the vault is refused', async () => {
    const saved = await call<{ id: string }>('snippets.save', { profileId: 'lab', name: 'Uptime', command: 'uptime' });
    const library = await call<SnippetLibrary>('snippets.list', { profileId: 'lab' });
    expect(library.own.map((s) => [s.id, s.command])).toEqual([[saved.id, 'uptime']]);
    expect(library.builtIn.map((s) => s.id)).toContain('harbor.gc');

    const e = (await call('snippets.save', {
      profileId: 'lab',
      name: 'Ping',
      command: `redis-cli -a ${l.redis.password} ping`,
    }).catch((x: unknown) => x)) as ApiError;
    expect(e).toBeInstanceOf(ApiError);
    expect(e.reason).toBe('snippet_secret');
    expect((await call<SnippetLibrary>('snippets.list', { profileId: 'lab' })).own).toHaveLength(1);
  });
});
