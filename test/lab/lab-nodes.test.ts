/**
 * Tests of the lab itself, part 1: nodes (isolation, SSH auth, host keys, stand-ins) and the Harbor 1.5 fixture
 * (install.sh refusals, ha/ key adoption, registry.sql on MariaDB vs the MySQL-5.7-like instance).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { Client } from 'ssh2';
import mysql from 'mysql2/promise';
import { up, type Lab, type LabNode } from './index';
import { request } from './registry-client';
import { inspect, makeOciImage, skopeo, skopeoOk } from './skopeo';

let lab: Lab;

beforeAll(async () => {
  lab = await up({ nodes: 3, harbor: 'v1', bundleSize: 1 << 20, services: ['mariadb', 'mysql57', 'redis', 'oss', 'lb'] });
  console.log(
    `[lab] v1 lab with 3 nodes + mariadb, mysql57, redis, oss, lb up in ${lab.bringUpMs} ms (slot ${lab.slot}; ${JSON.stringify(lab.timings)})`,
  );
});
afterAll(async () => {
  await lab?.down();
});

/** Connect with ssh2; resolves with the host key the server presented, or rejects with the auth error. */
function sshLogin(node: LabNode, auth: { password?: string; privateKey?: Buffer }, user = 'root'): Promise<{ hostKey: Buffer }> {
  return new Promise((resolve, reject) => {
    const c = new Client();
    let hostKey: Buffer | undefined;
    c.on('ready', () => {
      c.end();
      resolve({ hostKey: hostKey! });
    });
    c.on('error', reject);
    c.connect({
      host: node.address,
      port: 22,
      username: user,
      ...auth,
      readyTimeout: 10_000,
      hostVerifier: (k: Buffer) => ((hostKey = k), true),
    });
  });
}
const sha256 = (b: Buffer) => `SHA256:${crypto.createHash('sha256').update(b).digest('base64').replace(/=+$/, '')}`;

/** Replace `key = …` in a harbor.cfg text. */
function setCfg(text: string, key: string, value: string): string {
  const re = new RegExp(`^${key} =.*$`, 'm');
  if (!re.test(text)) throw new Error(`no ${key} in harbor.cfg`);
  return text.replace(re, `${key} = ${value}`);
}

async function unpackV1(n: LabNode): Promise<void> {
  await n.execOk(`rm -rf /opt/harbor && cd /opt && tar xzf ${lab.installers.v1}`);
}

/** harbor.cfg for an HA install against the lab's services. */
async function haConfig(n: LabNode, extra: Record<string, string> = {}): Promise<void> {
  let cfg = await n.readText('/opt/harbor/harbor.cfg');
  const o = lab.oss;
  const values: Record<string, string> = {
    hostname: lab.registryName,
    db_host: lab.mariadb.address,
    db_password: lab.mariadb.password,
    db_user: 'root',
    redis_url: `${lab.redis.address}:6379,100,${lab.redis.password},0`,
    registry_storage_provider_name: 'oss',
    registry_storage_provider_config: `accesskeyid: ${o.accessKeyId},accesskeysecret: ${o.accessKeySecret},region: ${o.region},bucket: ${o.bucket},internal: true,secure: false,rootdirectory: /harbor`,
    ...extra,
  };
  for (const [k, v] of Object.entries(values)) cfg = setCfg(cfg, k, v);
  await n.writeFile('/opt/harbor/harbor.cfg', cfg);
}

describe('nodes', () => {
  it('are isolated from each other and from the host', async () => {
    const [a, b] = [lab.node(1), lab.node(2)];
    expect((await a.execOk('hostname')).trim()).toBe('node-1');
    expect((await b.execOk('hostname')).trim()).toBe('node-2');
    await a.execOk(
      'echo one > /data/marker && echo one > /tmp/marker && echo one > /opt/marker && mkdir -p /var/log/harbor && echo one > /var/log/harbor/marker && echo "1.2.3.4 only-on-node-1" >> /etc/hosts && echo one > /root/marker && echo one > /home/marker',
    );
    for (const p of ['/data/marker', '/tmp/marker', '/opt/marker', '/var/log/harbor/marker', '/root/marker', '/home/marker']) {
      expect(await a.exists(p)).toBe(true);
      expect((await b.exec(`test -e ${p}`)).code).toBe(1);
      expect(fs.existsSync(p)).toBe(false);
    }
    expect(await b.readText('/etc/hosts')).not.toContain('only-on-node-1');
    expect(fs.readFileSync('/etc/hosts', 'utf8')).not.toContain('only-on-node-1');
    // logins are recorded in the node's own /var/log and /run, not the host's
    await a.execOk('echo x > /var/log/node-1-marker');
    expect(fs.existsSync('/var/log/node-1-marker')).toBe(false);
    expect((await a.exec('ls /run/harbor-lab 2>/dev/null | wc -l')).stdout.trim()).toBe('0');
    // files written by the test through the handle land on that node only
    await b.writeFile('/opt/from-test', 'x');
    expect(await b.execOk('cat /opt/from-test')).toBe('x');
    expect(await a.exists('/opt/from-test')).toBe(false);
  });

  it('accept root by password and by key, refuse a wrong password, and record every attempt', async () => {
    const n = lab.node(2);
    const before = (await n.authAttempts()).length;
    const viaPassword = await sshLogin(n, { password: n.password });
    expect(sha256(viaPassword.hostKey)).toBe(n.hostKeyFingerprint);
    await sshLogin(n, { privateKey: fs.readFileSync(n.privateKeyPath) });
    await expect(sshLogin(n, { password: 'wrong-password' })).rejects.toThrow(/authentication/i);
    await expect(sshLogin(n, { password: n.password }, 'nosuchuser')).rejects.toThrow(/authentication/i);
    const attempts = (await n.authAttempts()).slice(before);
    expect(attempts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ method: 'password', user: 'root', success: true }),
        expect.objectContaining({ method: 'publickey', user: 'root', success: true }),
        expect.objectContaining({ method: 'password', user: 'root', success: false }),
        expect.objectContaining({ method: 'password', user: 'nosuchuser', success: false, invalidUser: true }),
      ]),
    );
    const key = attempts.find((a) => a.method === 'publickey' && a.success);
    expect(key?.keyFingerprint).toMatch(/^SHA256:/);
    // the fingerprint is what ssh-keygen -lf prints
    const pub = await n.readText('/etc/ssh/ssh_host_ed25519_key.pub');
    fs.writeFileSync(`${lab.dir}/hk.pub`, pub);
    expect(execFileSync('ssh-keygen', ['-lf', `${lab.dir}/hk.pub`], { encoding: 'utf8' })).toContain(n.hostKeyFingerprint);
  });

  it('serve SFTP (what bulk uploads use)', async () => {
    const n = lab.node(2);
    const data = crypto.randomBytes(256 * 1024);
    await new Promise<void>((resolve, reject) => {
      const c = new Client();
      c.on('ready', () =>
        c.sftp((e, sftp) => {
          if (e) return reject(e);
          const ws = sftp.createWriteStream('/opt/upload.bin');
          ws.on('close', () => {
            c.end();
            resolve();
          });
          ws.on('error', reject);
          ws.end(data);
        }),
      );
      c.on('error', reject);
      c.connect(n.connectConfig('password'));
    });
    expect((await n.readFile('/opt/upload.bin')).equals(data)).toBe(true);
    expect((await n.execOk('sha256sum /opt/upload.bin')).split(' ')[0]).toBe(crypto.createHash('sha256').update(data).digest('hex'));
  });

  it('present a replaced host key to the next connection', async () => {
    const n = lab.node(3);
    const old = n.hostKeyFingerprint;
    const first = await sshLogin(n, { privateKey: fs.readFileSync(n.privateKeyPath) });
    expect(sha256(first.hostKey)).toBe(old);
    const fresh = await n.replaceHostKey();
    expect(fresh).not.toBe(old);
    expect(n.hostKeyFingerprint).toBe(fresh);
    const second = await sshLogin(n, { privateKey: fs.readFileSync(n.privateKeyPath) });
    expect(sha256(second.hostKey)).toBe(fresh);
    // node.exec pins the current key and still works
    expect((await n.execOk('hostname')).trim()).toBe('node-3');
  });

  it('stop and start sshd on demand', async () => {
    const n = lab.node(3);
    await n.stopSshd();
    await expect(n.exec('true')).rejects.toThrow(/ECONNREFUSED/);
    await n.startSshd();
    expect((await n.exec('true')).code).toBe(0);
  });

  it('have stand-ins that behave like the real commands and log every invocation', async () => {
    const n = lab.node(1);
    expect((await n.execOk('docker --version')).trim()).toMatch(/^Docker version 1\.13\.1, build [0-9a-f]{7}$/);
    expect((await n.execOk('docker-compose --version')).trim()).toMatch(/^docker-compose version 1\.18\.0, build [0-9a-f]+$/);
    expect((await n.exec('python --version')).stderr.trim()).toBe('Python 2.7.5');
    expect((await n.execOk('docker ps')).split('\n')[0]).toMatch(/^CONTAINER ID\s+IMAGE\s+COMMAND\s+CREATED\s+STATUS\s+PORTS\s+NAMES$/);
    expect((await n.exec('docker compose version')).code).toBe(1);
    await n.execOk('yum install -y epel-release && iptables -t nat -A PREROUTING -p tcp -d 192.168.10.12 --dport 80 -j REDIRECT');
    expect(await n.execOk('iptables -t nat -S PREROUTING')).toContain(
      '-A PREROUTING -d 192.168.10.12/32 -p tcp -m tcp --dport 80 -j REDIRECT',
    );
    expect((await n.exec('iptables -t nat -C PREROUTING -p tcp -d 192.168.10.12 --dport 80 -j REDIRECT')).code).toBe(0);
    expect((await n.execOk('rpm -q epel-release')).trim()).toMatch(/^epel-release-7-9/);
    expect((await n.exec('systemctl is-active docker')).stdout.trim()).toBe('active');
    const inv = await n.invocations();
    expect(inv.map((i) => `${i.cmd} ${i.args.join(' ')}`)).toEqual(
      expect.arrayContaining([
        'yum install -y epel-release',
        'iptables -t nat -A PREROUTING -p tcp -d 192.168.10.12 --dport 80 -j REDIRECT',
      ]),
    );
    // the host's iptables was never touched: the stand-in only records
    expect(inv.find((i) => i.cmd === 'iptables')?.exit).toBe(0);

    // seed: docker-compose broken by the requests/urllib3 ImportError, fixed by pip
    await n.configure({ composeImportError: true });
    const broken = await n.exec('docker-compose --version');
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain("ImportError: No module named 'requests.packages.urllib3'");
    await n.execOk('pip install requests urllib3 pyOpenSSL --force --upgrade');
    expect((await n.exec('docker-compose --version')).code).toBe(0);
  });
});

describe('Harbor 1.5 fixture installer', () => {
  it('has the real layout', async () => {
    const n = lab.node(1);
    await unpackV1(n);
    const files = (await n.execOk('cd /opt && find harbor -maxdepth 2 | sort')).split('\n');
    for (const f of [
      'harbor/install.sh',
      'harbor/prepare',
      'harbor/harbor.cfg',
      'harbor/docker-compose.yml',
      'harbor/docker-compose.clair.yml',
      'harbor/docker-compose.notary.yml',
      'harbor/harbor.v1.5.0.tar.gz',
      'harbor/ha/registry.sql',
      'harbor/ha/docker-compose.tpl',
      'harbor/common/templates',
      'harbor/LICENSE',
      'harbor/NOTICE',
    ])
      expect(files).toContain(f);
  });

  it('refuses the default hostname, a missing key and unknown flags; needs python2 and docker-compose', async () => {
    const n = lab.node(1);
    await unpackV1(n);
    const dflt = await n.exec('cd /opt/harbor && ./install.sh --ha');
    expect(dflt.code).toBe(1);
    expect(dflt.stdout).toMatch(/hostname/);
    expect((await n.exec('cd /opt/harbor && ./install.sh --bogus')).code).toBe(1);

    await haConfig(n);
    let cfg = await n.readText('/opt/harbor/harbor.cfg');
    await n.writeFile('/opt/harbor/harbor.cfg', cfg.replace(/^token_expiration = .*\n/m, ''));
    const missing = await n.exec('cd /opt/harbor && ./install.sh --ha');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("ConfigParser.NoOptionError: No option u'token_expiration' in section: u'configuration'");
    await n.writeFile('/opt/harbor/harbor.cfg', cfg);

    // filesystem storage in HA asks an interactive question; install.sh has no --yes, so a non-interactive run dies
    cfg = setCfg(setCfg(cfg, 'registry_storage_provider_name', 'filesystem'), 'registry_storage_provider_config', '');
    await n.writeFile('/opt/harbor/harbor.cfg', cfg);
    const fsPrompt = await n.exec('cd /opt/harbor && ./install.sh --ha < /dev/null');
    expect(fsPrompt.code).not.toBe(0);
    expect(fsPrompt.stderr).toContain('EOFError');

    await haConfig(n);
    await n.configure({ python2: null });
    const noPy = await n.exec('cd /opt/harbor && ./install.sh --ha');
    expect(noPy.code).not.toBe(0);
    expect(noPy.stderr).toMatch(/\/usr\/bin\/python: bad interpreter|cannot execute: required file not found/);
    await n.configure({ python2: '2.7.5', compose: null, composePlugin: 'v2.27.1' });
    const noCompose = await n.exec('cd /opt/harbor && ./install.sh --ha');
    expect(noCompose.code).toBe(1);
    expect(noCompose.stdout).toContain('docker-compose');
    await n.configure({ compose: '1.18.0', composePlugin: null, docker: '1.9.1' });
    const oldDocker = await n.exec('cd /opt/harbor && ./install.sh --ha');
    expect(oldDocker.code).toBe(1);
    expect(oldDocker.stdout).toContain('Need to upgrade docker package to 1.10.0+');
    await n.configure({ docker: '1.13.1', compose: '1.5.0' });
    const oldCompose = await n.exec('cd /opt/harbor && ./install.sh --ha');
    expect(oldCompose.code).toBe(1);
    expect(oldCompose.stdout).toContain('Need to upgrade docker-compose package to 1.7.1+');
    await n.configure({ compose: '1.18.0' });
  }, 180_000);

  it("without ha/ material every node has its own keys and its registry refuses node 1's tokens; with node 1's ha/ copied they are identical", async () => {
    const [a, b, c] = [lab.node(1), lab.node(2), lab.node(3)];
    await Promise.all(
      [a, b, c].map(async (n) => {
        await unpackV1(n);
        await haConfig(n);
      }),
    );
    const r1 = await a.exec('cd /opt/harbor && ./install.sh --ha');
    expect(r1.code, r1.stdout + r1.stderr).toBe(0);
    // node 1 seeded ha/
    for (const f of ['private_key.pem', 'root.crt', 'secretkey']) expect(await a.exists(`/opt/harbor/ha/${f}`)).toBe(true);
    // node 2: fresh installer, no ha/ material → different keys
    const r2 = await b.exec('cd /opt/harbor && ./install.sh --ha');
    expect(r2.code, r2.stdout + r2.stderr).toBe(0);
    // node 3: gets node 1's ha/ (what the guide's tar step achieves)
    for (const f of ['private_key.pem', 'root.crt', 'secretkey'])
      await c.writeFile(`/opt/harbor/ha/${f}`, await a.readFile(`/opt/harbor/ha/${f}`));
    const r3 = await c.exec('cd /opt/harbor && ./install.sh --ha');
    expect(r3.code, r3.stdout + r3.stderr).toBe(0);

    const key = (n: LabNode) => n.readText('/opt/harbor/common/config/ui/private_key.pem');
    const crt = (n: LabNode) => n.readText('/opt/harbor/common/config/registry/root.crt');
    const sk = (n: LabNode) => n.readText('/data/secretkey');
    const uiSecret = async (n: LabNode) => /^UI_SECRET=(.*)$/m.exec(await n.readText('/opt/harbor/common/config/adminserver/env'))![1];
    expect(await key(c)).toBe(await key(a));
    expect(await crt(c)).toBe(await crt(a));
    expect(await sk(c)).toBe(await sk(a));
    expect(await uiSecret(c)).not.toBe(await uiSecret(a));
    expect(await key(b)).not.toBe(await key(a));
    expect(await sk(b)).not.toBe(await sk(a));

    // the HA compose file is in use and the Harbor-like service answers on the node's port 80
    expect(await a.readText('/opt/harbor/docker-compose.yml')).not.toContain('harbor-db');
    // 1.5 keeps its configuration in MySQL: without the schema /api/systeminfo fails, /api/ping does not
    expect((await request(`http://${a.address}/api/systeminfo`)).status).toBe(500);
    const imp = await a.exec(
      `cd /opt/harbor && docker run --rm -i --entrypoint mysql vmware/harbor-db:v1.5.0 -h ${lab.mariadb.address} -P 3306 -u root -p${lab.mariadb.password} < ha/registry.sql`,
    );
    expect(imp.code, imp.stderr).toBe(0);
    const ping = await request(`http://${a.address}/api/ping`);
    expect(ping.status).toBe(200);
    expect(JSON.parse(ping.body.toString())).toBe('Pong');
    const info = JSON.parse((await request(`http://${a.address}/api/systeminfo`)).body.toString()) as {
      registry_url: string;
      harbor_version: string;
    };
    expect(info.registry_url).toBe(lab.registryName);
    const v2 = await request(`http://${a.address}/v2/`);
    expect(v2.status).toBe(401);
    expect(String(v2.headers['www-authenticate'])).toContain(`realm="http://${lab.registryName}/service/token"`);
    // 1.5's registry (distribution) checks tokens itself, against root.crt: node 1's token opens node 3, which has
    // node 1's root.crt, and node 2 refuses it in distribution's own words
    const tokenOf = async (n: LabNode, scope: string) =>
      (
        JSON.parse(
          (
            await request(`http://${n.address}/service/token?service=harbor-registry&scope=${scope}`, {
              headers: { Authorization: `Basic ${Buffer.from('admin:Harbor12345').toString('base64')}` },
            })
          ).body.toString(),
        ) as { token: string }
      ).token;
    const image = makeOciImage(fs.mkdtempSync(path.join(os.tmpdir(), 'v1-keys-')), 'v1', 2, 8192);
    await skopeoOk([
      'copy',
      '--dest-tls-verify=false',
      '--dest-registry-token',
      await tokenOf(a, 'repository:library/keys:pull,push'),
      `oci:${image.dir}:v1`,
      `docker://${a.address}/library/keys:v1`,
    ]);
    const pullToken = await tokenOf(a, 'repository:library/keys:pull');
    expect((await inspect(`docker://${c.address}/library/keys:v1`, ['--registry-token', pullToken])).digest).toBe(image.manifestDigest);
    const refused = await skopeo(['inspect', '--tls-verify=false', '--registry-token', pullToken, `docker://${b.address}/library/keys:v1`]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/unauthorized|authentication required/i);
    expect(await b.readText('/var/log/harbor/registry.log')).toMatch(/level=warning msg="error authorizing context: invalid token"/);
    fs.rmSync(image.dir, { recursive: true, force: true });
    // install order the app depends on: load, prepare, ps, up
    const cmds = (await a.invocations()).map((i) => `${i.cmd} ${i.args.join(' ')}`);
    const iLoad = cmds.findIndex((x) => x.startsWith('docker load -i'));
    const iPrep = cmds.findIndex((x) => x.startsWith('python ./prepare --ha'));
    const iUp = cmds.findIndex((x) => x === 'docker-compose -f docker-compose.yml up -d');
    expect(iLoad).toBeGreaterThanOrEqual(0);
    expect(iPrep).toBeGreaterThan(iLoad);
    expect(iUp).toBeGreaterThan(iPrep);
    // a second install stops the running one first (down -v)
    const again = await a.exec('cd /opt/harbor && ./install.sh --ha');
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect((await a.invocations('docker-compose')).map((i) => i.args.join(' '))).toContain('-f docker-compose.yml down -v');
    expect((await a.execOk('docker ps --format "{{.Names}}"')).split('\n')).toEqual(
      expect.arrayContaining(['nginx', 'harbor-ui', 'harbor-adminserver', 'registry']),
    );
    expect(await a.execOk('docker logs harbor-ui')).toContain(`listening on ${a.address}:80`);
    const ps = (await a.execOk('cd /opt/harbor && docker-compose -f docker-compose.yml ps')).split('\n');
    expect(ps[0]).toMatch(/^Name\s+Command\s+State\s+Ports$/);
    expect(ps[1]).toMatch(/^-+$/);
    expect(ps.find((l) => l.startsWith('nginx'))).toMatch(/\sUp\s/);
  }, 180_000);
});

describe('registry.sql', () => {
  it('fails on the MySQL-5.7-like instance and passes there with a relaxed session sql_mode; MariaDB takes it as is', async () => {
    const n = lab.node(2);
    await unpackV1(n);
    const sql = await n.readText('/opt/harbor/ha/registry.sql');
    const run = async (conn: { host: string; port: number; user: string; password: string }, text: string) => {
      const c = await mysql.createConnection({ ...conn, multipleStatements: true });
      try {
        await c.query(text);
      } finally {
        await c.end();
      }
    };
    await expect(run(lab.mysql57.connection, sql)).rejects.toThrow(/Invalid default value for 'update_time'/);
    await run(lab.mysql57.connection, `SET SESSION sql_mode='NO_ENGINE_SUBSTITUTION';\n${sql}`);
    const rows = (await lab.mysql57.query('SELECT version_num FROM alembic_version', 'registry')) as Array<{ version_num: string }>;
    expect(rows[0]?.version_num).toBe('1.5.0');
    // it creates and uses `registry` whatever database the client selected
    await lab.mariadb.query('CREATE DATABASE IF NOT EXISTS harbor');
    const c = await mysql.createConnection({ ...lab.mariadb.connection, database: 'harbor', multipleStatements: true });
    await c.query(sql);
    await c.end();
    expect(await lab.mariadb.query('SHOW TABLES', 'harbor')).toEqual([]);
    expect(((await lab.mariadb.query('SHOW TABLES', 'registry')) as unknown[]).length).toBe(20);
  });
});
