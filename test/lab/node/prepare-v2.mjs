// Lab stand-in for what the goharbor/prepare image does (`docker run … goharbor/prepare:<ver> prepare`), run by the
// docker stand-in with the bind mounts passed as PREPARE_* environment variables. Written for the lab from the
// documented behaviour (harbor-facts.md §4.2): renders common/config/**, docker-compose.yml, keeps pre-seeded
// /data/secret files, regenerates CORE_SECRET/JOBSERVICE_SECRET/CSRF_KEY/registry password on every run, and
// writes values into YAML/env files unquoted like the real one.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire('/var/lib/harbor-lab/src/package.json');
const YAML = require('yaml');

const INPUT = process.env.PREPARE_INPUT;
const DATA = process.env.PREPARE_DATA || '/data';
const CONFIG = process.env.PREPARE_CONFIG;
const COMPOSE = process.env.PREPARE_COMPOSE;
const IMAGE = process.env.PREPARE_IMAGE ?? 'goharbor/prepare:v2.15.2';
const VERSION = IMAGE.split(':').pop();
const withTrivy = process.argv.includes('--with-trivy');
for (const a of process.argv.slice(2)) {
  if (a !== '--with-trivy' && a.startsWith('--')) {
    console.error(`Usage: main.py prepare [OPTIONS]\nTry 'main.py prepare --help' for help.\n\nError: No such option: ${a}`);
    process.exit(2);
  }
}

function fail(msg) {
  console.error(`Error happened in config validation...\n${msg}`);
  process.exit(1);
}
function keyError(k, line = 120) {
  console.error(`Traceback (most recent call last):\n  File "/usr/src/app/main.py", line 19, in prepare\n    config_dict = parse_yaml_config(conf, with_trivy=with_trivy)\n  File "/usr/src/app/utils/configs.py", line ${line}, in parse_yaml_config\nKeyError: '${k}'`);
  process.exit(1);
}
const alnum = (n) => {
  const abc = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return Array.from(crypto.randomBytes(n), (b) => abc[b % abc.length]).join('');
};

console.log('prepare base dir is set to /usr/src/app');
const ymlPath = path.join(INPUT, 'harbor.yml');
if (!fs.existsSync(ymlPath)) fail(`Error: config file /input/harbor.yml not found`);
const conf = YAML.parse(fs.readFileSync(ymlPath, 'utf8')) ?? {};
const need = (o, k, where = k) => {
  if (o == null || !(k in o)) keyError(where);
  return o[k];
};

// ── parse (KeyError on required keys, like configs.py) ──
const hostname = need(conf, 'hostname');
const adminPassword = need(conf, 'harbor_admin_password');
const dataVolume = need(conf, 'data_volume');
const jobservice = need(conf, 'jobservice');
const maxJobWorkers = need(jobservice, 'max_job_workers');
const jobLoggers = need(jobservice, 'job_loggers');
need(jobservice, 'logger_sweeper_duration');
const notification = need(conf, 'notification');
need(notification, 'webhook_job_max_retry');
need(notification, 'webhook_job_http_client_timeout');
const logCfg = need(conf, 'log');
const logLevel = need(logCfg, 'level');
const extDb = conf.external_database?.harbor;
const database = extDb ? undefined : need(conf, 'database');
const extRedis = conf.external_redis;
const https = conf.https;
const http = conf.http ?? {};
const storage = conf.storage_service ?? {};

// ── validate ──
if (!hostname || hostname === 'reg.mydomain.com' || hostname === '127.0.0.1') fail(`Error: Please set hostname in harbor.yml to a valid address (current: ${hostname})`);
if (!['debug', 'info', 'warning', 'error', 'fatal'].includes(String(logLevel).toLowerCase())) fail(`Error: log level must be one of debug, info, warning, error, fatal`);
if (!Array.isArray(jobLoggers) || jobLoggers.some((l) => !['STD_OUTPUT', 'FILE', 'DB'].includes(l))) fail('Error: job logger should be one of STD_OUTPUT, FILE or DB');
const drivers = Object.keys(storage).filter((k) => !['ca_bundle', 'redirect'].includes(k));
if (drivers.length > 1) fail(`Error: Only one storage driver should be set, found ${drivers.join(', ')}`);
const driver = drivers[0] ?? 'filesystem';
if (!['filesystem', 'azure', 'gcs', 's3', 'swift', 'oss'].includes(driver)) fail(`Error: storage driver ${driver} is not supported`);
if (driver !== 'filesystem' && (!storage[driver] || !Object.keys(storage[driver]).length)) fail(`Error: no provider configurations are provided for provider ${driver}`);
if (storage.redirect && !('disable' in storage.redirect)) {
  console.error(`Traceback (most recent call last):\n  File "/usr/src/app/utils/configs.py", line 317, in parse_yaml_config\n    config_dict['storage_provider_config']['redirect'] = storage_config['redirect']['disable']\nKeyError: 'disable'`);
  process.exit(1);
}
if (https) {
  for (const k of ['certificate', 'private_key']) {
    if (!https[k]) fail(`Error: The protocol is https but attribute ${k} is not set`);
    if (!fs.existsSync(https[k])) fail(`Error: The path for ${k}: ${https[k]} is invalid`);
  }
}

// ── derived values ──
const protocol = https ? 'https' : 'http';
const port = https ? https.port ?? 443 : http.port ?? 80;
const publicUrl = conf.external_url ?? `${protocol}://${hostname}${(protocol === 'https' && port !== 443) || (protocol === 'http' && port !== 80) ? `:${port}` : ''}`;
const db = extDb
  ? { host: extDb.host, port: extDb.port, name: extDb.db_name, user: extDb.username, password: extDb.password, sslmode: extDb.ssl_mode ?? 'disable', maxIdle: extDb.max_idle_conns ?? 2, maxOpen: extDb.max_open_conns ?? 0 }
  : { host: 'postgresql', port: 5432, name: 'registry', user: 'postgres', password: database.password, sslmode: 'disable', maxIdle: database.max_idle_conns ?? 100, maxOpen: database.max_open_conns ?? 900 };
const redisHost = extRedis?.host ?? 'redis:6379';
const redisPw = extRedis?.password ?? '';
const redisUser = extRedis?.username ?? '';
const idle = extRedis?.idle_timeout_seconds || 30;
// falsy values are dropped, so an index of 0 silently falls back to the default
const idx = (k, d) => (extRedis?.[k] ? extRedis[k] : d);
const redisUrl = (n) => `redis://${redisUser || redisPw ? `${redisUser}:${encodeURIComponent(String(redisPw))}@` : ''}${redisHost}/${n}?idle_timeout_seconds=${idle}`;
const regIdx = idx('registry_db_index', 1);
const jsIdx = idx('jobservice_db_index', 2);
const trivyIdx = idx('trivy_db_index', 5);

const coreSecret = alnum(16);
const jobserviceSecret = alnum(16);
const csrfKey = alnum(32);
const registryPassword = alnum(32);
const robotPrefix = alnum(8);

// ── clear /config and render ──
fs.rmSync(CONFIG, { recursive: true, force: true });
fs.mkdirSync(CONFIG, { recursive: true });
function write(rel, text, mode) {
  const p = path.join(CONFIG, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text, mode ? { mode } : undefined);
  console.log(`Generated configuration file: /config/${rel}`);
}

write('portal/nginx.conf', 'worker_processes auto;\nevents { worker_connections 1024; }\nhttp { server { listen 8080; location / { root /usr/share/nginx/html; index index.html; try_files $uri $uri/ /index.html; } } }\n');
write('log/logrotate.conf', `/var/log/docker/*.log {\n    rotate ${logCfg.local?.rotate_count ?? 50}\n    size ${logCfg.local?.rotate_size ?? '200M'}\n    copytruncate\n    compress\n    missingok\n    nodateext\n}\n`);
write('log/rsyslog_docker.conf', ':syslogtag, startswith, "core" /var/log/docker/core.log\n');
write('nginx/nginx.conf', `worker_processes auto;\nevents { worker_connections 3096; }\nhttp {\n  map $http_x_forwarded_proto $x_forwarded_proto { default $http_x_forwarded_proto; "" $scheme; }\n  upstream core { server core:8080; }\n  upstream portal { server portal:8080; }\n  server {\n    listen 8080;\n    client_max_body_size 0;\n    location / { proxy_pass http://portal/; }\n    location /c/ { proxy_pass http://core/c/; proxy_set_header X-Forwarded-Proto $x_forwarded_proto; }\n    location /api/ { proxy_pass http://core/api/; proxy_set_header X-Forwarded-Proto $x_forwarded_proto; }\n    location /service/ { proxy_pass http://core/service/; proxy_set_header X-Forwarded-Proto $x_forwarded_proto; }\n    location /v2/ { proxy_pass http://core/v2/; proxy_set_header X-Forwarded-Proto $x_forwarded_proto; }\n  }\n}\n`);
const coreEnv = [
  'CONFIG_PATH=/etc/core/app.conf',
  'UAA_CA_ROOT=/etc/core/certificates/uaa_ca.pem',
  `_REDIS_URL_CORE=${redisUrl(0)}`,
  `SYNC_QUOTA=true`,
  `_REDIS_URL_REG=${redisUrl(regIdx)}`,
  ...(extRedis?.harbor_db_index ? [`_REDIS_URL_HARBOR=${redisUrl(extRedis.harbor_db_index)}`] : []),
  `LOG_LEVEL=${logLevel}`,
  `EXT_ENDPOINT=${publicUrl}`,
  `DATABASE_TYPE=postgresql`,
  `POSTGRESQL_HOST=${db.host}`,
  `POSTGRESQL_PORT=${db.port}`,
  `POSTGRESQL_USERNAME=${db.user}`,
  `POSTGRESQL_PASSWORD=${db.password}`,
  `POSTGRESQL_DATABASE=${db.name}`,
  `POSTGRESQL_SSLMODE=${db.sslmode}`,
  `POSTGRESQL_MAX_IDLE_CONNS=${db.maxIdle}`,
  `POSTGRESQL_MAX_OPEN_CONNS=${db.maxOpen}`,
  `REGISTRY_URL=http://registry:5000`,
  `PORTAL_URL=http://portal:8080`,
  `TOKEN_SERVICE_URL=http://core:8080/service/token`,
  `HARBOR_ADMIN_PASSWORD=${adminPassword}`,
  `MAX_JOB_WORKERS=${maxJobWorkers}`,
  `CORE_SECRET=${coreSecret}`,
  `JOBSERVICE_SECRET=${jobserviceSecret}`,
  `WITH_TRIVY=${withTrivy}`,
  `CORE_URL=http://core:8080`,
  `CORE_LOCAL_URL=http://127.0.0.1:8080`,
  `JOBSERVICE_URL=http://jobservice:8080`,
  `TRIVY_ADAPTER_URL=http://trivy-adapter:8080`,
  `REGISTRY_STORAGE_PROVIDER_NAME=${driver}`,
  `READ_ONLY=false`,
  `RELOAD_KEY=`,
  `CHART_CACHE_DRIVER=redis`,
  `REGISTRY_CONTROLLER_URL=http://registryctl:8080`,
  `REGISTRY_CREDENTIAL_USERNAME=harbor_registry_user`,
  `REGISTRY_CREDENTIAL_PASSWORD=${registryPassword}`,
  `CSRF_KEY=${csrfKey}`,
  `ROBOT_SCANNER_NAME_PREFIX=${robotPrefix}`,
  `PERMITTED_REGISTRY_TYPES_FOR_PROXY_CACHE=docker-hub,harbor,azure-acr,ali-acr,aws-ecr,google-gcr,quay,docker-registry,github-ghcr,jfrog-artifactory`,
  `HTTP_PROXY=${conf.proxy?.http_proxy ?? ''}`,
  `HTTPS_PROXY=${conf.proxy?.https_proxy ?? ''}`,
  `NO_PROXY=${conf.proxy?.no_proxy ?? ''}`,
  `PORT=8080`,
  `CACHE_ENABLED=${conf.cache?.enabled ?? false}`,
  `CACHE_EXPIRE_HOURS=${conf.cache?.expire_hours ?? 24}`,
  '',
].join('\n');
write('core/env', coreEnv);
write('core/app.conf', 'appname = Harbor\nrunmode = prod\nenablegzip = true\n\n[prod]\nhttpport = 8080\n');
fs.mkdirSync(path.join(CONFIG, 'core', 'certificates'), { recursive: true });

// registry config: values inserted unquoted (the real template does the same)
const storageLines = [];
if (driver === 'filesystem') storageLines.push('  filesystem:', `    rootdirectory: /storage`, ...Object.entries(storage.filesystem ?? {}).map(([k, v]) => `    ${k}: ${v}`));
else storageLines.push(`  ${driver}:`, ...Object.entries(storage[driver]).map(([k, v]) => `    ${k}: ${v}`));
const regYml = [
  'version: 0.1',
  'log:',
  `  level: ${logLevel}`,
  '  fields:',
  '    service: registry',
  'storage:',
  '  cache:',
  '    layerinfo: redis',
  ...storageLines,
  '  maintenance:',
  '    uploadpurging:',
  `      enabled: false`,
  '  delete:',
  '    enabled: true',
  ...(storage.redirect ? ['  redirect:', `    disable: ${storage.redirect.disable}`] : []),
  'redis:',
  `  addr: ${redisHost}`,
  ...(redisPw ? [`  password: ${redisPw}`] : []),
  ...(redisUser ? [`  username: ${redisUser}`] : []),
  `  db: ${regIdx}`,
  '  readtimeout: 10s',
  '  writetimeout: 10s',
  '  dialtimeout: 10s',
  '  enableTLS: false',
  '  pool:',
  '    maxidle: 100',
  '    maxactive: 500',
  '    idletimeout: 60s',
  'http:',
  '  addr: :5000',
  '  secret: placeholder',
  '  debug:',
  '    addr: localhost:5001',
  'auth:',
  '  htpasswd:',
  '    realm: harbor-registry-basic-realm',
  '    path: /etc/registry/passwd',
  'validation:',
  '  disabled: true',
  'compatibility:',
  '  schema1:',
  '    enabled: true',
  '',
].join('\n');
write('registry/config.yml', regYml);
const bcrypt = execFileSync('openssl', ['passwd', '-5', registryPassword], { encoding: 'utf8' }).trim();
write('registry/passwd', `harbor_registry_user:${bcrypt}\n`);
write('registryctl/env', `CORE_SECRET=${coreSecret}\nJOBSERVICE_SECRET=${jobserviceSecret}\n`);
write('registryctl/config.yml', '---\nprotocol: "http"\nport: 8080\nlog_level: info\nregistry_config: "/etc/registry/config.yml"\n');
write('jobservice/env', `CORE_SECRET=${coreSecret}\nREGISTRY_URL=http://registry:5000\nJOBSERVICE_SECRET=${jobserviceSecret}\nCORE_URL=http://core:8080\nREGISTRY_CONTROLLER_URL=http://registryctl:8080\nJOBSERVICE_WEBHOOK_JOB_MAX_RETRY=${notification.webhook_job_max_retry}\nJOBSERVICE_WEBHOOK_JOB_HTTP_CLIENT_TIMEOUT=${notification.webhook_job_http_client_timeout}\n`);
write(
  'jobservice/config.yml',
  `---\nprotocol: "http"\nport: 8080\nworker_pool:\n  workers: ${maxJobWorkers}\n  backend: "redis"\n  redis_pool:\n    redis_url: ${redisUrl(jsIdx)}\n    namespace: "harbor_job_service_namespace"\n    idle_timeout_second: 3600\njob_loggers:\n${jobLoggers.map((l) => `  - name: "${l}"\n    level: "${String(logLevel).toUpperCase()}"`).join('\n')}\nloggers:\n  - name: "STD_OUTPUT"\n    level: "${String(logLevel).toUpperCase()}"\nreaper:\n  max_update_hours: 24\n  max_dangling_hours: 168\n`,
);
if (!extDb) write('db/env', `POSTGRES_PASSWORD=${db.password}\nPOSTGRES_MAX_CONNECTIONS=${db.maxOpen}\n`);
if (withTrivy) write('trivy-adapter/env', `SCANNER_LOG_LEVEL=${logLevel}\nSCANNER_REDIS_URL=${redisUrl(trivyIdx)}\nSCANNER_STORE_REDIS_URL=${redisUrl(trivyIdx)}\n`);
fs.mkdirSync(path.join(CONFIG, 'shared', 'trust-certificates'), { recursive: true });

// ── /data: directories and persisted secrets ──
for (const d of ['ca_download', 'registry', 'database', 'redis', 'job_logs', 'secret/keys', 'secret/core', 'secret/registry', 'trivy-adapter/trivy', 'trivy-adapter/reports']) fs.mkdirSync(path.join(DATA, d), { recursive: true });
const secretKeyFile = path.join(DATA, 'secret/keys/secretkey');
if (!fs.existsSync(secretKeyFile)) {
  fs.writeFileSync(secretKeyFile, alnum(16), { mode: 0o600 });
  console.log('Generated and saved secret to file: /data/secret/keys/secretkey');
}
const pk = path.join(DATA, 'secret/core/private_key.pem');
const crt = path.join(DATA, 'secret/registry/root.crt');
if (!fs.existsSync(pk) && !fs.existsSync(crt)) {
  execFileSync('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-keyout', pk, '-x509', '-days', '3650', '-out', crt, '-subj', '/C=CN/ST=State/L=City/O=organization/OU=organizational unit/CN=harbor-token-ca'], { stdio: 'ignore' });
  console.log('Successfully called func: create_root_cert');
}
for (const f of [secretKeyFile, pk, crt]) {
  if (!fs.existsSync(f)) continue;
  fs.chownSync(f, 10000, 10000);
  fs.chmodSync(f, 0o600);
}
if (https) {
  fs.mkdirSync(path.join(DATA, 'secret/cert'), { recursive: true });
  fs.copyFileSync(https.certificate, path.join(DATA, 'secret/cert/server.crt'));
  fs.copyFileSync(https.private_key, path.join(DATA, 'secret/cert/server.key'));
}

// ── docker-compose.yml in the installer dir ──
const img = (n) => `goharbor/${n}:${VERSION}`;
const logging = (tag) => ({ driver: 'syslog', options: { 'syslog-address': 'tcp://localhost:1514', tag } });
const services = {
  log: { image: img('harbor-log'), container_name: 'harbor-log', restart: 'always', volumes: [`${logCfg.local?.location ?? '/var/log/harbor'}/:/var/log/docker/:z`, './common/config/log/logrotate.conf:/etc/logrotate.d/logrotate.conf:z', './common/config/log/rsyslog_docker.conf:/etc/rsyslog.d/rsyslog_docker.conf:z'], ports: ['127.0.0.1:1514:10514'], networks: ['harbor'] },
  registry: { image: img('registry-photon'), container_name: 'registry', restart: 'always', volumes: [`${dataVolume}/registry:/storage:z`, './common/config/registry/:/etc/registry/:z', `${dataVolume}/secret/registry/root.crt:/etc/registry/root.crt`, './common/config/shared/trust-certificates:/harbor_cust_cert'], networks: ['harbor'], depends_on: ['log'], logging: logging('registry') },
  registryctl: { image: img('harbor-registryctl'), container_name: 'registryctl', env_file: ['./common/config/registryctl/env'], restart: 'always', volumes: [`${dataVolume}/registry:/storage:z`, './common/config/registry/:/etc/registry/:z', './common/config/registryctl/config.yml:/etc/registryctl/config.yml:z'], networks: ['harbor'], depends_on: ['log'], logging: logging('registryctl') },
  ...(extDb ? {} : { postgresql: { image: img('harbor-db'), container_name: 'harbor-db', restart: 'always', volumes: [`${dataVolume}/database:/var/lib/postgresql/data:z`], networks: ['harbor'], env_file: ['./common/config/db/env'], depends_on: ['log'], logging: logging('postgresql') } }),
  core: { image: img('harbor-core'), container_name: 'harbor-core', env_file: ['./common/config/core/env'], restart: 'always', volumes: [`${dataVolume}/ca_download/:/etc/core/ca/:z`, `${dataVolume}/:/data/:z`, './common/config/core/certificates/:/etc/core/certificates/:z', './common/config/core/app.conf:/etc/core/app.conf:z', `${dataVolume}/secret/core/private_key.pem:/etc/core/private_key.pem:z`, `${dataVolume}/secret/keys/secretkey:/etc/core/key:z`, './common/config/shared/trust-certificates:/harbor_cust_cert'], networks: ['harbor'], depends_on: ['log', 'registry', ...(extRedis ? [] : ['redis']), ...(extDb ? [] : ['postgresql'])], logging: logging('core') },
  portal: { image: img('harbor-portal'), container_name: 'harbor-portal', restart: 'always', volumes: ['./common/config/portal/nginx.conf:/etc/nginx/nginx.conf:z'], networks: ['harbor'], depends_on: ['log'], logging: logging('portal') },
  jobservice: { image: img('harbor-jobservice'), container_name: 'harbor-jobservice', env_file: ['./common/config/jobservice/env'], restart: 'always', volumes: [`${dataVolume}/job_logs:/var/log/jobs:z`, './common/config/jobservice/config.yml:/etc/jobservice/config.yml:z', './common/config/shared/trust-certificates:/harbor_cust_cert'], networks: ['harbor'], depends_on: ['core'], logging: logging('jobservice') },
  ...(extRedis ? {} : { redis: { image: img('redis-photon'), container_name: 'redis', restart: 'always', volumes: [`${dataVolume}/redis:/var/lib/redis`], networks: ['harbor'], depends_on: ['log'], logging: logging('redis') } }),
  proxy: { image: img('nginx-photon'), container_name: 'nginx', restart: 'always', volumes: ['./common/config/nginx:/etc/nginx:z', './common/config/shared/trust-certificates:/harbor_cust_cert'], networks: ['harbor'], ports: [`${http.port ?? 80}:8080`, ...(https ? [`${https.port ?? 443}:8443`] : [])], depends_on: ['registry', 'core', 'portal', 'log'], logging: logging('proxy') },
  ...(withTrivy ? { 'trivy-adapter': { image: img('trivy-adapter-photon'), container_name: 'trivy-adapter', restart: 'always', env_file: ['./common/config/trivy-adapter/env'], networks: ['harbor'], volumes: [`${dataVolume}/trivy-adapter/trivy:/home/scanner/.cache/trivy`], depends_on: ['log', ...(extRedis ? [] : ['redis'])], logging: logging('trivy-adapter') } } : {}),
};
fs.writeFileSync(path.join(COMPOSE, 'docker-compose.yml'), YAML.stringify({ services, networks: { harbor: { external: false } } }));
console.log('Generated configuration file: /compose_location/docker-compose.yml');
