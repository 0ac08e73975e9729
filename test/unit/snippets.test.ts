/**
 * The built-in snippets rendered from profiles: the generation's facts (compose flavour, paths, prepare flags), the
 * quoting a real POSIX shell reads back, parameters limited to what the profile offers, and no secret of the profile in
 * any command line of any parameter combination. The own snippets' store: kept per profile, refused with a secret in it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Redactor } from '../../electron/core/log';
import { builtinSnippets, renderSnippet } from '../../electron/core/snippets/builtin';
import { SnippetService } from '../../electron/core/snippets/service';
import { ApiError } from '../../shared/errors';
import { profileShape, type Profile, type ProfileInput } from '../../shared/profile';
import { secretSlots } from '../../shared/profile/secrets';
import { v1Profile, v2Profile } from '../helpers/profiles';

// The shape only: the cross-field rules (a certificate for TLS on the nodes) are not what these tests are about.
const parse = (input: ProfileInput): Profile => profileShape.parse(input);

/** Every secret value the profile holds (the test profiles carry distinctive ones). */
function secretsOf(p: Profile): string[] {
  const values = secretSlots(p).flatMap((s) => {
    const v = s.get();
    return 'value' in v && v.value ? [v.value] : [];
  });
  expect(values.length).toBeGreaterThan(3);
  return values;
}

/** Every combination of the parameters' options. */
function combinations(params: readonly { name: string; options: readonly string[] }[]): Record<string, string>[] {
  return params.reduce<Record<string, string>[]>(
    (acc, param) => acc.flatMap((c) => param.options.map((o) => ({ ...c, [param.name]: o }))),
    [{}],
  );
}

const variants: [string, ProfileInput][] = [
  ['2.x, TLS at the load balancer, Redis password', v2Profile()],
  [
    '2.x, TLS on the nodes, Redis ACL user',
    v2Profile((p) => {
      p.access = { ...p.access, tlsTermination: 'nodes', domain: 'registry.example.com:8443' };
      p.redis = { ...p.redis, auth: 'acl', username: 'harbor_acl' };
      p.options = { scanner: 'none' };
    }),
  ],
  [
    '1.5 with Clair, Aliyun Redis account',
    v1Profile((p) => {
      p.redis = { ...p.redis, auth: 'account', username: 'r-abc' };
      p.clair = { host: 'pgm-clair.pg.rds.aliyuncs.com', user: 'clair', password: { value: 'ClairPw-Kk8' } };
      p.options = { scanner: 'clair' };
    }),
  ],
  ['1.5, Redis without auth', v1Profile((p) => void (p.redis = { ...p.redis, auth: 'none', password: { set: false } }))],
];

describe('built-in snippets', () => {
  it.each(variants)('never hold a secret of the profile, in any parameter combination (%s)', (_name, input) => {
    const p = parse(input);
    const secrets = secretsOf(p);
    let rendered = 0;
    for (const s of builtinSnippets(p)) {
      for (const values of combinations(s.parameters)) {
        const line = renderSnippet(p, s.id, values);
        rendered++;
        for (const secret of secrets) expect(line, `${s.id} ${JSON.stringify(values)}`).not.toContain(secret);
      }
    }
    expect(rendered).toBeGreaterThan(15);
  });

  it('follow the generation: docker-compose, harbor.cfg flags and no GC API on 1.5; the compose plugin, --with-trivy and /api/v2.0 on 2.x', () => {
    const v1 = parse(v1Profile((p) => void (p.options = { scanner: 'clair' })));
    const v1clair = parse(
      v1Profile((p) => {
        p.clair = { host: 'pgm-clair.pg.rds.aliyuncs.com', user: 'clair', password: { value: 'ClairPw-Kk8' } };
        p.options = { scanner: 'clair' };
      }),
    );
    const v2 = parse(v2Profile());
    expect(renderSnippet(v1, 'compose.ps', {})).toBe('cd /opt/harbor && docker-compose ps');
    expect(renderSnippet(v2, 'compose.ps', {})).toBe('cd /opt/harbor && docker compose ps');
    expect(renderSnippet(v1clair, 'harbor.prepare', {})).toBe('cd /opt/harbor && ./prepare --ha --with-clair');
    expect(renderSnippet(v2, 'harbor.prepare', {})).toBe('cd /opt/harbor && ./prepare --with-trivy');
    expect(builtinSnippets(v1).map((s) => s.id)).not.toContain('harbor.gc');
    expect(renderSnippet(v2, 'harbor.gc', {})).toBe("curl -sS -u admin 'http://127.0.0.1/api/v2.0/system/gc?page=1&page_size=5'");
    expect(renderSnippet(v1, 'harbor.health', {})).toBe('curl -sS http://127.0.0.1/api/ping');
    // The containers offered are the generation's: 1.5's harbor-ui, 2.x's harbor-core.
    const options = (p: Profile) => builtinSnippets(p).find((s) => s.id === 'container.logs')!.parameters[0]!.options;
    expect(options(v1)).toContain('harbor-ui');
    expect(options(v2)).toContain('harbor-core');
    expect(renderSnippet(v2, 'container.logs', { component: 'harbor-core', lines: '1000' })).toBe('docker logs --tail 1000 harbor-core');
  });

  it('ask for passwords on the node: redis-cli --askpass (with the ACL user), psql and mysql -p with the chosen account', () => {
    const v2 = parse(v2Profile());
    expect(renderSnippet(v2, 'redis.ping', { db: '2' })).toBe('redis-cli -h r-abc.redis.rds.aliyuncs.com -p 6379 --askpass -n 2 ping');
    const acl = parse(v2Profile((p) => void (p.redis = { ...p.redis, auth: 'acl', username: 'harbor_acl' })));
    expect(renderSnippet(acl, 'redis.ping', {})).toBe(
      'redis-cli -h r-abc.redis.rds.aliyuncs.com -p 6379 --user harbor_acl --askpass -n 1 ping',
    );
    expect(renderSnippet(v2, 'database.client', { account: 'pgadmin' })).toBe(
      "env 'PGSSLMODE=disable' psql -h pgm-abc.pg.rds.aliyuncs.com -p 5432 -U pgadmin -d registry",
    );
    expect(renderSnippet(parse(v1Profile()), 'database.client', {})).toBe(
      'mysql -h xxx.mysql.rds.aliyuncs.com -P 3306 -u harbor -p registry',
    );
    // TLS on the nodes: curl checks the certificate against the registry's name, resolved to the node itself.
    const tls = parse(v2Profile((p) => void (p.access = { ...p.access, tlsTermination: 'nodes', domain: 'registry.example.com:8443' })));
    expect(renderSnippet(tls, 'harbor.health', {})).toBe(
      'curl -sS --resolve registry.example.com:443:127.0.0.1 https://registry.example.com/api/v2.0/health',
    );
  });

  it('quote what the profile holds so a shell reads back each argument whole', () => {
    const p = parse(v2Profile((x) => void (x.options = { ...x.options, dataVolume: "/data/it's;$(x)" })));
    const line = renderSnippet(p, 'disk.usage', {});
    const commands = line.split(' && ');
    expect(commands).toHaveLength(2);
    // printf prints each argument the shell parsed on a line of its own: the command's words exactly.
    const words = (command: string) =>
      execFileSync('sh', ['-c', `printf '%s\\n' ${command}`], { encoding: 'utf8' })
        .split('\n')
        .slice(0, -1);
    expect(words(commands[0]!)).toEqual(['df', '-h', "/data/it's;$(x)"]);
    expect(words(commands[1]!)).toEqual(['du', '-h', '-d', '1', "/data/it's;$(x)", '/var/log/harbor']);
  });

  it('refuse a parameter outside the offered values, and an unknown snippet', () => {
    const p = parse(v2Profile());
    const e = (() => {
      try {
        renderSnippet(p, 'container.restart', { component: 'registry; rm -rf /' });
      } catch (x) {
        return x as ApiError;
      }
    })();
    expect(e).toBeInstanceOf(ApiError);
    expect(e!.code).toBe('invalid_input');
    expect(e!.issues?.[0]?.path).toBe('parameters.component');
    expect(() => renderSnippet(parse(v1Profile()), 'harbor.gc', {})).toThrow(/no such snippet/);
  });
});

describe('own snippets', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const service = (unlocked = true) => {
    const dir = mkdtempSync(join(tmpdir(), 'snippets-'));
    dirs.push(dir);
    const redactor = new Redactor();
    redactor.add('RedisPw-Ty5');
    const profiles = new Map([['prod-1', parse(v2Profile())]]);
    const profile = (id: string) => {
      const p = profiles.get(id);
      if (!p) throw new ApiError({ code: 'not_found', message: { en: 'no profile', 'zh-CN': '没有集群配置' } });
      return p;
    };
    return { dir, s: new SnippetService({ dataDir: dir, profile, redactor, vaultUnlocked: () => unlocked }) };
  };

  it('are kept per profile in snippets.json, changed and deleted by id', () => {
    const { dir, s } = service();
    const a = s.save('prod-1', { name: 'Free memory', description: '', command: 'free -m' });
    expect(s.list('prod-1').own).toEqual([a]);
    const b = s.save('prod-1', { id: a.id, name: 'Free memory', description: 'in MiB', command: 'free -m -w' });
    expect(s.list('prod-1').own).toEqual([b]);
    expect(JSON.parse(readFileSync(join(dir, 'snippets.json'), 'utf8')).profiles['prod-1'][0].command).toBe('free -m -w');
    s.delete('prod-1', a.id);
    expect(s.list('prod-1').own).toEqual([]);
    expect(() => s.delete('prod-1', a.id)).toThrow(/no longer exists/);
    expect(() => s.list('nope')).toThrow(/no profile/);
  });

  it('are refused when they hold a secret the app keeps, and nothing is written', () => {
    const { dir, s } = service();
    const e = (() => {
      try {
        s.save('prod-1', { name: 'ping', description: '', command: 'redis-cli -a RedisPw-Ty5 ping' });
      } catch (x) {
        return x as ApiError;
      }
    })();
    expect(e?.reason).toBe('snippet_secret');
    expect(e?.issues?.[0]?.path).toBe('command');
    expect(() => readFileSync(join(dir, 'snippets.json'))).toThrow();
  });

  it('are not saved while the vault is locked: the secrets to check them against are unknown then', () => {
    const { dir, s } = service(false);
    expect(() => s.save('prod-1', { name: 'Uptime', description: '', command: 'uptime' })).toThrow(/Unlock the vault/);
    expect(() => readFileSync(join(dir, 'snippets.json'))).toThrow();
  });

  it('refuse a file that is not theirs instead of handing its contents on', () => {
    const { dir, s } = service();
    writeFileSync(join(dir, 'snippets.json'), '{"version":1,"profiles":{"prod-1":[{"id":"x","command":42}]}}');
    expect(() => s.list('prod-1')).toThrow(/not a snippets file/);
  });
});
