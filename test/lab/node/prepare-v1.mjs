// Lab fixture: the logic of a Harbor 1.5-style `prepare`, embedded into the installer's `prepare` file (a Python 2
// script for the real thing; the lab's /usr/bin/python stand-in runs this JavaScript). Written for the lab from the
// documented behaviour (docs: harbor-facts.md §1.2); outputs mimic Python's where the app could see them.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import readline from 'node:readline';

const script = process.env.LAB_SCRIPT ?? path.resolve('prepare');
const base = path.dirname(script);
const argv = process.argv.slice(2);

const USAGE = 'usage: prepare [-h] [--conf CONF] [--with-notary] [--with-clair] [--ha] [--yes]';
const flags = { conf: path.join(base, 'harbor.cfg'), notary: false, clair: false, ha: false, yes: false };
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '-h' || a === '--help') {
    console.log(`${USAGE}\n\noptional arguments:\n  -h, --help     show this help message and exit\n  --conf CONF    the path of Harbor configuration file\n  --with-notary  the Harbor instance is to be deployed with notary\n  --with-clair   the Harbor instance is to be deployed with clair\n  --ha           the Harbor instance is to be deployed in HA mode\n  --yes          Answer yes to all questions`);
    process.exit(0);
  } else if (a === '--conf') flags.conf = argv[++i];
  else if (a.startsWith('--conf=')) flags.conf = a.slice(7);
  else if (a === '--with-notary') flags.notary = true;
  else if (a === '--with-clair') flags.clair = true;
  else if (a === '--ha') flags.ha = true;
  else if (a === '--yes') flags.yes = true;
  else {
    console.error(`${USAGE}\nprepare: error: unrecognized arguments: ${argv.slice(i).join(' ')}`);
    process.exit(2);
  }
}

function traceback(line, code, exc) {
  console.error(`Traceback (most recent call last):\n  File "./prepare", line ${line}, in <module>\n    ${code}\n${exc}`);
  process.exit(1);
}

const configDir = path.join(base, 'common', 'config');
const templatesDir = path.join(base, 'common', 'templates');

// 1. delete everything under common/config
function delfile(src) {
  if (!fs.existsSync(src)) return;
  for (const e of fs.readdirSync(src)) {
    const p = path.join(src, e);
    if (fs.statSync(p).isDirectory()) delfile(p);
    else {
      fs.rmSync(p);
      console.log(`Clearing the configuration file: ${path.relative(base, p).replace(/^/, './')}`);
    }
  }
}
delfile(configDir);

// 2. read harbor.cfg (ConfigParser with a fake [configuration] section)
if (!fs.existsSync(flags.conf)) traceback(151, 'conf = open(args.cfgfile, "r")', `IOError: [Errno 2] No such file or directory: '${flags.conf}'`);
const cfg = {};
for (const raw of fs.readFileSync(flags.conf, 'utf8').split('\n')) {
  const line = raw.replace(/\r$/, '');
  if (/^\s*[#;]/.test(line) || !line.trim()) continue;
  const m = /^\s*([^=:\s][^=:]*?)\s*[=:]\s*(.*)$/.exec(line);
  if (m) cfg[m[1].trim().toLowerCase()] = m[2].trim();
}
const OPTIONAL = new Set(['reload_config', 'ldap_searchdn', 'ldap_search_pwd', 'ldap_filter', 'admiral_url', 'redis_url', 'skip_reload_env_pattern', '_version']);
function get(key) {
  if (!(key in cfg)) {
    if (OPTIONAL.has(key)) return undefined;
    traceback(180, `${key} = rcp.get("configuration", "${key}")`, `  File "/usr/lib64/python2.7/ConfigParser.py", line 618, in get\n    raise NoOptionError(option, section)\nConfigParser.NoOptionError: No option '${key}' in section: 'configuration'`);
  }
  return cfg[key];
}

const REQUIRED_ORDER = [
  'hostname', 'ui_url_protocol', 'ssl_cert', 'ssl_cert_key', 'db_host', 'db_password', 'db_port', 'db_user', 'max_job_workers',
  'customize_crt', 'secretkey_path', 'log_rotate_count', 'log_rotate_size', 'http_proxy', 'https_proxy', 'no_proxy',
  'email_identity', 'email_server', 'email_server_port', 'email_username', 'email_password', 'email_from', 'email_ssl',
  'email_insecure', 'harbor_admin_password', 'auth_mode', 'ldap_url', 'ldap_basedn', 'ldap_uid', 'ldap_scope', 'ldap_timeout',
  'ldap_verify_cert', 'ldap_group_basedn', 'ldap_group_filter', 'ldap_group_gid', 'ldap_group_scope', 'self_registration',
  'token_expiration', 'project_creation_restriction', 'clair_db_host', 'clair_db_password', 'clair_db_port',
  'clair_db_username', 'clair_db', 'uaa_endpoint', 'uaa_clientid', 'uaa_clientsecret', 'uaa_verify_cert', 'uaa_ca_cert',
  'registry_storage_provider_name', 'registry_storage_provider_config',
];

// 3. validate()
const protocol = get('ui_url_protocol');
const sslCert = get('ssl_cert');
const sslKey = get('ssl_cert_key');
if (flags.ha) {
  // ha/ copies of the certificate and key take priority
  for (const p of [sslCert, sslKey]) {
    const inHa = path.join(base, 'ha', path.basename(p));
    if (fs.existsSync(inHa)) {
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.copyFileSync(inHa, p);
    }
  }
}
if (protocol === 'https') {
  if (!sslCert) traceback(60, 'validate(rcp, args)', 'Exception: Error: The protocol is https but attribute ssl_cert is not set');
  if (!fs.existsSync(sslCert)) traceback(60, 'validate(rcp, args)', `Exception: Error: The path for certificate: ${sslCert} is invalid`);
  if (!sslKey) traceback(60, 'validate(rcp, args)', 'Exception: Error: The protocol is https but attribute ssl_cert_key is not set');
  if (!fs.existsSync(sslKey)) traceback(60, 'validate(rcp, args)', `Exception: Error: The path for certificate key: ${sslKey} is invalid`);
}
const storageName = get('registry_storage_provider_name').trim();
const storageConfig = get('registry_storage_provider_config');
if (flags.ha) {
  if (get('db_host') === 'mysql') traceback(79, 'validate(rcp, args)', 'Exception: Error: In HA mode, db_host in harbor.cfg needs to point to an external DB address.');
  if (storageName === 'filesystem' && !flags.yes) {
    process.stdout.write('In HA mode, shared storage configuration for registry is required. Is the shared storage mounted to /data/registry ? [yes/no]:');
    const answer = await new Promise((resolve) => {
      const rl = readline.createInterface({ input: process.stdin });
      let got = false;
      rl.on('line', (l) => {
        got = true;
        rl.close();
        resolve(l.trim());
      });
      rl.on('close', () => {
        if (!got) resolve(null);
      });
    });
    if (answer === null) traceback(82, 'redirect = raw_input("…")', 'EOFError: EOF when reading a line');
    if (answer.toLowerCase() !== 'yes') {
      console.log('Please mount shared storage to /data/registry and run this script again.');
      process.exit(1);
    }
  }
  const r = get('redis_url');
  if (!r) traceback(90, 'validate(rcp, args)', 'Exception: Error: In HA mode, redis_url in harbor.cfg needs to point to an external Redis server.');
  if (flags.notary) traceback(95, 'validate(rcp, args)', 'Exception: Error: Notary is not supported in HA mode.');
  if (flags.clair && get('clair_db_host') === 'postgres') traceback(99, 'validate(rcp, args)', 'Exception: Error: In HA mode, clair_db_host in harbor.cfg needs to point to an external Postgres DB address.');
}

// read everything prepare reads (missing keys crash, like rcp.get without defaults)
const v = {};
for (const k of REQUIRED_ORDER) v[k] = get(k);
for (const k of OPTIONAL) v[k] = get(k) ?? '';

// 4. secret key
const secretkeyPath = v.secretkey_path;
const secretFile = path.join(secretkeyPath, 'secretkey');
const alnum = (n) => {
  const abc = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return Array.from(crypto.randomBytes(n), (b) => abc[b % abc.length]).join('');
};
let secretKey;
if (fs.existsSync(secretFile)) {
  secretKey = fs.readFileSync(secretFile, 'utf8');
  if (secretKey.length !== 16) traceback(120, 'secret_key = get_secret_key(secretkey_path)', 'Exception: secret key\'s length has to be 16 chars, current length: ' + secretKey.length);
} else {
  secretKey = alnum(16);
  fs.mkdirSync(secretkeyPath, { recursive: true });
  fs.writeFileSync(secretFile, secretKey, { mode: 0o600 });
  console.log(`Generated and saved secret to file: ${secretFile}`);
}

// 5. random per-run secrets
const uiSecret = alnum(16);
const jobserviceSecret = alnum(16);

// 6. render
const publicUrl = `${protocol}://${v.hostname}`;
const redisUrl = v.redis_url ?? '';
let redisUrlJs = '';
if (redisUrl) {
  const parts = redisUrl.split(',');
  const hostPort = parts[0];
  const pw = parts[2] ?? '';
  const db = parts[3] ?? '0';
  redisUrlJs = pw ? `redis://anonymous:${pw}@${hostPort}/${db}` : `redis://${hostPort}/${db}`;
}
let storageInfo = `${storageName}:`;
const opts = [];
if (storageConfig) {
  for (const c of storageConfig.split(',')) {
    const i = c.indexOf(':');
    if (i < 0) continue;
    opts.push(`${c.slice(0, i).trim()}: ${c.slice(i + 1).trim()}`);
  }
}
if (storageName === 'filesystem' && !opts.some((o) => o.startsWith('rootdirectory:'))) opts.push('rootdirectory: /storage');
storageInfo = [storageInfo, ...opts].join('\n    ');

const vars = {
  ...v,
  public_url: publicUrl,
  ui_url: 'http://ui:8080',
  email_host: v.email_server,
  email_port: v.email_server_port,
  email_usr: v.email_username,
  email_pwd: v.email_password,
  ui_secret: uiSecret,
  jobservice_secret: jobserviceSecret,
  with_notary: String(flags.notary),
  with_clair: String(flags.clair),
  storage_provider_name: storageName,
  storage_provider_info: storageInfo,
  redis_url: redisUrl,
  ssl_cert: path.basename(sslCert),
  ssl_cert_key: path.basename(sslKey),
  reload_config: v.reload_config || 'false',
};
// Python string.Template: $name / ${name} / $$
function render(src, dst, extra = {}) {
  const all = { ...vars, ...extra };
  const text = fs.readFileSync(path.join(templatesDir, src), 'utf8').replace(/\$(\$|\{(\w+)\}|(\w+))/g, (m, esc, braced, bare) => {
    if (esc === '$') return '$';
    const k = braced ?? bare;
    if (!(k in all)) traceback(200, `render(os.path.join(templates_dir, "${src}"), …)`, `KeyError: '${k}'`);
    return String(all[k] ?? '');
  });
  const out = path.join(configDir, dst);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, text);
  console.log(`Generated configuration file: ./common/config/${dst}`);
}
render(protocol === 'https' ? 'nginx/nginx.https.conf' : 'nginx/nginx.http.conf', 'nginx/nginx.conf');
if (protocol === 'https') {
  fs.mkdirSync(path.join(configDir, 'nginx', 'cert'), { recursive: true });
  fs.copyFileSync(sslCert, path.join(configDir, 'nginx', 'cert', path.basename(sslCert)));
  fs.copyFileSync(sslKey, path.join(configDir, 'nginx', 'cert', path.basename(sslKey)));
}
render('adminserver/env', 'adminserver/env');
render('ui/env', 'ui/env');
render(flags.ha ? 'registry/config_ha.yml' : 'registry/config.yml', 'registry/config.yml');
render('db/env', 'db/env');
render('jobservice/env', 'jobservice/env');
render('jobservice/config.yml', 'jobservice/config.yml', { redis_url: redisUrlJs });
render('log/logrotate.conf', 'log/logrotate.conf');
fs.copyFileSync(path.join(templatesDir, 'ui', 'app.conf'), path.join(configDir, 'ui', 'app.conf'));
console.log('Generated configuration file: ./common/config/ui/app.conf');
fs.mkdirSync(path.join(configDir, 'ui', 'certificates'), { recursive: true });

// 7. token key pair
const uiKey = path.join(configDir, 'ui', 'private_key.pem');
const regCrt = path.join(configDir, 'registry', 'root.crt');
if (v.customize_crt === 'on') {
  execFileSync('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-keyout', uiKey, '-x509', '-days', '3650', '-out', regCrt, '-subj', '/C=CN/ST=State/L=City/O=organization/OU=organizational unit/CN=HarborCA'], { stdio: 'ignore' });
  console.log(`Generated certificate, key file: ${uiKey}, cert file: ${regCrt}`);
  console.log('The certificate and key are generated by openssl');
} else {
  fs.copyFileSync(path.join(templatesDir, 'ui', 'private_key.pem'), uiKey);
  fs.copyFileSync(path.join(templatesDir, 'registry', 'root.crt'), regCrt);
  console.log('Copied configuration file: ./common/config/ui/private_key.pem');
  console.log('Copied configuration file: ./common/config/registry/root.crt');
}

// 8. clair
if (flags.clair) {
  const cv = { password: v.clair_db_password, username: v.clair_db_username, host: v.clair_db_host, port: v.clair_db_port, dbname: v.clair_db };
  render('clair/postgres_env', 'clair/postgres_env', cv);
  render('clair/config.yaml', 'clair/config.yaml', cv);
  render('clair/clair_env', 'clair/clair_env', cv);
  fs.mkdirSync(path.join(configDir, 'clair', 'postgresql-init.d'), { recursive: true });
}

// 9. prepare_ha: ha/ copies win; otherwise seed ha/
if (flags.ha) {
  const haDir = path.join(base, 'ha');
  fs.mkdirSync(haDir, { recursive: true });
  const items = [
    [uiKey, 'private_key.pem'],
    [regCrt, 'root.crt'],
    [secretFile, 'secretkey'],
  ];
  if (protocol === 'https') {
    items.push([sslCert, path.basename(sslCert)], [sslKey, path.basename(sslKey)]);
    if (fs.existsSync('/data/ca_download/ca.crt')) items.push(['/data/ca_download/ca.crt', 'ca.crt']);
  }
  for (const [file, name] of items) {
    const h = path.join(haDir, name);
    if (fs.existsSync(h)) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.copyFileSync(h, file);
      console.log(`Copied ${h} to ${file}`);
    } else {
      fs.copyFileSync(file, h);
      console.log(`Copied ${file} to ${h}`);
    }
  }
}
console.log('The configuration files are ready, please use docker-compose to start the service.');
