/**
 * Harbor's own release files (`../shared/harbor-release/<version>/`, unmodified, read-only test data) laid out as an
 * offline installer the way each version's Makefile `package_offline` target does, and the `goharbor/prepare` image's
 * application folder the way its Dockerfile and `versions_prepare` target build it. Nothing here is copied into the
 * repository: the lab builds from these files into its cache at run time.
 */
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './util';

/** Where the release files are: `$HARBOR_RELEASE_DIR`, else the team folder beside the repository. */
export function releaseRoot(): string {
  const dir = process.env.HARBOR_RELEASE_DIR ?? path.resolve(REPO_ROOT, '..', 'shared', 'harbor-release');
  if (!fs.existsSync(dir))
    throw new Error(`Harbor's release files are not at ${dir}: the lab installs them (set HARBOR_RELEASE_DIR to their folder)`);
  return dir;
}

/** The release folder of one version (`v1.5.0`, `v2.14.4`, `v2.15.2`). */
export function releaseDir(version: string): string {
  const dir = path.join(releaseRoot(), version);
  if (!fs.existsSync(path.join(dir, 'Makefile'))) {
    const have = fs.readdirSync(releaseRoot()).filter((d) => /^v\d/.test(d));
    throw new Error(`no Harbor release files for ${version} (the lab has ${have.join(', ')})`);
  }
  return dir;
}

/**
 * The Makefile's simple variable assignments (`NAME=value`, `NAME+= value`, backslash continuations) expanded with
 * `$(NAME)` references, as make would for the variables a release build uses. `ifeq` blocks are not evaluated: their
 * `+=` lines all count, which is what a release build with every optional component (Trivy, the exporter) gets.
 * `overrides` are the `-e NAME=value` a release build passes (VERSIONTAG and friends).
 */
export function makefileVars(makefile: string, overrides: Readonly<Record<string, string>> = {}): Record<string, string> {
  const raw: Record<string, string> = {};
  const lines = fs
    .readFileSync(makefile, 'utf8')
    .replace(/\\\n\s*/g, ' ')
    .split('\n');
  for (const line of lines) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(\+?=|:=)\s*(.*?)\s*$/.exec(line);
    if (!m || line.startsWith('\t#')) continue;
    const [, name, op, value] = m as unknown as [string, string, string, string];
    raw[name] = op === '+=' && raw[name] !== undefined ? `${raw[name]} ${value}` : value;
  }
  Object.assign(raw, overrides);
  const expand = (v: string, depth = 0): string =>
    depth > 20 ? v : v.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (_, n: string) => expand(raw[n] ?? '', depth + 1));
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, expand(v)]));
}

/** The text of a `define NAME … endef` block, with `$(NAME)` references expanded from `vars`. */
export function makefileDefine(makefile: string, name: string, vars: Readonly<Record<string, string>>): string {
  const m = new RegExp(`^define ${name}\\n([\\s\\S]*?)\\nendef`, 'm').exec(fs.readFileSync(makefile, 'utf8'));
  if (!m) throw new Error(`${makefile} has no define ${name}`);
  return m[1]!.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (_, n: string) => vars[n] ?? '');
}

/** One file of the installer: where it comes from, and the `sed` substitutions the Makefile makes in it. */
export interface InstallerFile {
  /** path inside the installer, below `harbor/` */
  readonly path: string;
  /** the release file it is made from */
  readonly source: string;
  /** `[from, to]` pairs replaced everywhere, in order (the Makefile's `sed -i 's/from/to/g'`) */
  readonly replace: ReadonlyArray<readonly [string, string]>;
  readonly mode: number;
}

export interface InstallerLayout {
  readonly version: string;
  readonly files: readonly InstallerFile[];
  /** the images `docker save` puts in `harbor.<version>.tar.gz` */
  readonly images: readonly string[];
}

function walk(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...walk(dir, r));
    else out.push(r);
  }
  return out;
}

const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

/**
 * 1.x `package_offline`: `make/` copied as `harbor/` with LICENSE and NOTICE; `photon/db/registry.sql` copied to
 * `ha/`; every `docker-compose*.tpl` (and `ha/docker-compose*.tpl`) copied to `.yml` with the image versions filled in
 * by `modify_composefile*`; `modify_sourcefiles` makes the shipped keys mode 600.
 */
function v1Layout(version: string): InstallerLayout {
  const dir = releaseDir(version);
  const make = path.join(dir, 'make');
  const v = makefileVars(path.join(dir, 'Makefile'), { VERSIONTAG: version });
  const secret = new Set([
    'common/templates/notary/notary-signer.key',
    'common/templates/notary/notary-signer.crt',
    'common/templates/notary/notary-signer-ca.crt',
    'common/templates/ui/private_key.pem',
    'common/templates/registry/root.crt',
  ]);
  const files: InstallerFile[] = walk(make).map((p) => ({
    path: p,
    source: path.join(make, p),
    replace: [],
    mode: secret.has(p) ? 0o600 : modeOf(path.join(make, p)),
  }));
  files.push({ path: 'LICENSE', source: path.join(dir, 'LICENSE'), replace: [], mode: 0o644 });
  files.push({ path: 'NOTICE', source: path.join(dir, 'NOTICE'), replace: [], mode: 0o644 });
  files.push({
    path: 'ha/registry.sql',
    source: path.join(make, 'photon/db/registry.sql'),
    replace: [],
    mode: modeOf(path.join(make, 'photon/db/registry.sql')),
  });
  const compose = (tpl: string, replace: Array<[string, string]>) =>
    files.push({ path: tpl.replace(/\.tpl$/, '.yml'), source: path.join(make, tpl), replace, mode: 0o644 });
  const main: Array<[string, string]> = [
    ['__version__', v.VERSIONTAG!],
    ['__reg_version__', `${v.REGISTRYVERSION}-${v.VERSIONTAG}`],
    ['__nginx_version__', v.NGINXVERSION!],
  ];
  compose('docker-compose.tpl', [...main, ['__redis_version__', v.REDISVERSION!]]);
  compose('ha/docker-compose.tpl', main);
  compose('docker-compose.notary.tpl', [
    ['__notary_version__', `${v.NOTARYVERSION}-${v.VERSIONTAG}`],
    ['__mariadb_version__', v.MARIADBVERSION!],
  ]);
  compose('docker-compose.clair.tpl', [
    ['__postgresql_version__', v.CLAIRDBVERSION!],
    ['__clair_version__', `${v.CLAIRVERSION}-${v.VERSIONTAG}`],
  ]);
  compose('ha/docker-compose.clair.tpl', [['__clair_version__', `${v.CLAIRVERSION}-${v.VERSIONTAG}`]]);
  // the images are those the compose files name (docker save in `build` takes the same list)
  const images = new Set<string>();
  for (const f of files.filter((f) => f.path.endsWith('.yml') && f.path.includes('docker-compose'))) {
    for (const m of applyReplacements(fs.readFileSync(f.source, 'utf8'), f.replace).matchAll(/^\s*image:\s*(\S+)\s*$/gm)) images.add(m[1]!);
  }
  images.add(`vmware/harbor-migrator:${v.MIGRATORVERSION}`);
  return { version, files, images: [...images] };
}

/**
 * 2.x `package_offline`: `harbor/` holds `prepare` (its image tag set by `update_prepare_version`), `install.sh`,
 * `common.sh`, `harbor.yml.tmpl`, LICENSE and the image bundle (`DOCKERSAVE_PARA`).
 */
function v2Layout(version: string): InstallerLayout {
  const dir = releaseDir(version);
  const make = path.join(dir, 'make');
  const v = makefileVars(path.join(dir, 'Makefile'), { VERSIONTAG: version, PKGVERSIONTAG: version });
  const files: InstallerFile[] = ['install.sh', 'common.sh', 'harbor.yml.tmpl'].map((p) => ({
    path: p,
    source: path.join(make, p),
    replace: [],
    mode: modeOf(path.join(make, p)),
  }));
  // sed 's/goharbor\/prepare:.*[[:space:]]\+/goharbor\/prepare:$(VERSIONTAG) prepare /': the tag is whatever the
  // source says (dev-legacy), followed by ` prepare `.
  const prepareText = fs.readFileSync(path.join(make, 'prepare'), 'utf8');
  const current = /goharbor\/prepare:\S+\s+prepare /.exec(prepareText)?.[0];
  if (!current) throw new Error(`${version}/make/prepare has no goharbor/prepare image reference`);
  files.push({
    path: 'prepare',
    source: path.join(make, 'prepare'),
    replace: [[current, `goharbor/prepare:${v.VERSIONTAG} prepare `]],
    mode: modeOf(path.join(make, 'prepare')),
  });
  files.push({ path: 'LICENSE', source: path.join(dir, 'LICENSE'), replace: [], mode: 0o644 });
  const images = (v.DOCKERSAVE_PARA ?? '').split(/\s+/).filter(Boolean);
  if (!images.some((i) => i.includes('/prepare:'))) throw new Error(`${version}: the Makefile's DOCKERSAVE_PARA names no prepare image`);
  return { version, files, images };
}

export function installerLayout(era: 'v1' | 'v2', version: string): InstallerLayout {
  return era === 'v1' ? v1Layout(version) : v2Layout(version);
}

export function applyReplacements(text: string, replace: InstallerFile['replace']): string {
  let out = text;
  for (const [from, to] of replace) out = out.split(from).join(to);
  return out;
}

/** Writes the layout's files below `harborDir` (the installer's `harbor/`), with their modes. */
export function writeInstallerFiles(layout: InstallerLayout, harborDir: string): void {
  for (const f of layout.files) {
    const dest = path.join(harborDir, f.path);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    if (f.replace.length === 0) fs.copyFileSync(f.source, dest);
    else fs.writeFileSync(dest, applyReplacements(fs.readFileSync(f.source, 'utf8'), f.replace));
    fs.chmodSync(dest, f.mode);
  }
}

/**
 * The `goharbor/prepare:<version>` image's working directory `/usr/src/app`: `make/photon/prepare` (Dockerfile:
 * `COPY make/photon/prepare /usr/src/app`) with the `versions` file `versions_prepare` writes before the build.
 */
export function writePrepareApp(version: string, appDir: string): void {
  const dir = releaseDir(version);
  const v = makefileVars(path.join(dir, 'Makefile'), { VERSIONTAG: version });
  fs.cpSync(path.join(dir, 'make', 'photon', 'prepare'), appDir, { recursive: true });
  const versions = makefileDefine(path.join(dir, 'Makefile'), 'VERSIONS_FOR_PREPARE', v);
  fs.writeFileSync(path.join(appDir, v.PREPARE_VERSION_NAME ?? 'versions'), `${versions}\n`);
}
