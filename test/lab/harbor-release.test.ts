/**
 * The lab's installers are Harbor's own release files: every file of each built installer is byte-identical to the
 * release file it comes from, except the lines the Makefile's `sed` fills in (image tags), and the installer holds
 * exactly what the Makefile's `package_offline` packs.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildInstaller } from './fixtures';
import { makefileVars, releaseDir } from './harbor-release';
import { runOk } from './util';

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'harbor-release-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function filesBelow(dir: string, rel = ''): string[] {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const r = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? filesBelow(dir, r) : [r];
  });
}

async function unpack(era: 'v1' | 'v2', version: string): Promise<string> {
  const installer = await buildInstaller(era, { version, bundleSize: 1024 });
  const dir = path.join(tmp, version);
  fs.mkdirSync(dir);
  await runOk('tar', ['xzf', installer, '-C', dir]);
  return path.join(dir, 'harbor');
}

/** Identical, or differing only in lines where the release file has a placeholder the Makefile's sed replaces. */
function expectSameOrFilledIn(built: string, source: string, placeholder: RegExp): void {
  if (sha256(built) === sha256(source)) return;
  const a = fs.readFileSync(built, 'utf8').split('\n');
  const b = fs.readFileSync(source, 'utf8').split('\n');
  expect(a.length, built).toBe(b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) expect(b[i], `${built}:${i + 1}`).toMatch(placeholder);
}

describe("installers built from Harbor's release files", () => {
  it('1.5: make/ as harbor/ with ha/registry.sql and the compose files filled in, nothing else changed', async () => {
    const src = releaseDir('v1.5.0');
    const harbor = await unpack('v1', 'v1.5.0');
    const built = new Set(filesBelow(harbor));
    for (const rel of filesBelow(path.join(src, 'make'))) {
      expect(built.has(rel), rel).toBe(true);
      expect(sha256(path.join(harbor, rel)), rel).toBe(sha256(path.join(src, 'make', rel)));
    }
    expect(sha256(path.join(harbor, 'ha/registry.sql'))).toBe(sha256(path.join(src, 'make/photon/db/registry.sql')));
    for (const f of ['LICENSE', 'NOTICE']) expect(sha256(path.join(harbor, f))).toBe(sha256(path.join(src, f)));
    for (const tpl of [
      'docker-compose.tpl',
      'docker-compose.clair.tpl',
      'docker-compose.notary.tpl',
      'ha/docker-compose.tpl',
      'ha/docker-compose.clair.tpl',
    ]) {
      const yml = path.join(harbor, tpl.replace(/\.tpl$/, '.yml'));
      expectSameOrFilledIn(yml, path.join(src, 'make', tpl), /__[a-z_]+__/);
      expect(fs.readFileSync(yml, 'utf8')).not.toMatch(/__[a-z_]+__/);
    }
    expect(fs.readFileSync(path.join(harbor, 'ha/docker-compose.yml'), 'utf8')).toContain('vmware/registry-photon:v2.6.2-v1.5.0');
    // modify_sourcefiles: the shipped token key is private
    expect(fs.statSync(path.join(harbor, 'common/templates/ui/private_key.pem')).mode & 0o777).toBe(0o600);
    expect([...built].filter((f) => !f.startsWith('harbor.') && !fs.existsSync(path.join(src, 'make', f))).sort()).toEqual([
      'LICENSE',
      'NOTICE',
      'docker-compose.clair.yml',
      'docker-compose.notary.yml',
      'docker-compose.yml',
      'ha/docker-compose.clair.yml',
      'ha/docker-compose.yml',
      'ha/registry.sql',
    ]);
  }, 120_000);

  for (const version of ['v2.14.4', 'v2.15.2']) {
    it(`${version}: exactly the files package_offline packs, byte-identical but for the prepare image tag`, async () => {
      const src = releaseDir(version);
      const harbor = await unpack('v2', version);
      // PACKAGE_OFFLINE_PARA names the tar's members: $(HARBORPKG)/<file>
      const para = makefileVars(path.join(src, 'Makefile'), { VERSIONTAG: version, PKGVERSIONTAG: version }).PACKAGE_OFFLINE_PARA!;
      const members = [...para.matchAll(/\bharbor\/(\S+)/g)].map((m) => m[1]!).sort();
      expect(filesBelow(harbor).sort()).toEqual(members);
      for (const f of ['install.sh', 'common.sh', 'harbor.yml.tmpl'])
        expect(sha256(path.join(harbor, f)), f).toBe(sha256(path.join(src, 'make', f)));
      expect(sha256(path.join(harbor, 'LICENSE'))).toBe(sha256(path.join(src, 'LICENSE')));
      expectSameOrFilledIn(path.join(harbor, 'prepare'), path.join(src, 'make/prepare'), /goharbor\/prepare:\S+ prepare/);
      expect(fs.readFileSync(path.join(harbor, 'prepare'), 'utf8')).toContain(`goharbor/prepare:${version} prepare $@`);
      // the prepare image's application: the release's Python code unchanged, plus the versions file
      const app = path.join(path.dirname(await buildInstaller('v2', { version, bundleSize: 1024 })), 'prepare-app');
      for (const rel of filesBelow(path.join(src, 'make/photon/prepare')))
        expect(sha256(path.join(app, rel)), rel).toBe(sha256(path.join(src, 'make/photon/prepare', rel)));
      expect(fs.readFileSync(path.join(app, 'versions'), 'utf8')).toMatch(
        new RegExp(`^VERSION_TAG: ${version}\\nREGISTRY_VERSION: v\\S+\\n`),
      );
    }, 120_000);
  }
});
