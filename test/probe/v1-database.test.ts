/** Harbor 1.x registry.sql import from a node, against MariaDB and a MySQL-5.7-strict instance of the lab. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectFromNode, harborAccountCanUseRegistry, importRegistrySql, registryDbState } from '../../electron/core/harbor/v1/database';
import type { SshConnection } from '../../electron/core/ssh/connect';
import { connectToLabNode } from '../helpers/lab-ssh';
import { ApiError } from '../../shared/errors';
import * as lab from '../lab';
import { releaseDir } from '../lab/harbor-release';

let l: lab.Lab;
let c: SshConnection;
const sql = readFileSync(join(releaseDir('v1.5.0'), 'make', 'photon', 'db', 'registry.sql'), 'utf8');

beforeAll(async () => {
  l = await lab.up({ nodes: 1, harbor: 'v1', services: ['mariadb', 'mysql57'] });
  c = await connectToLabNode(l.node(1));
}, 180_000);

afterAll(async () => {
  c?.close();
  await l?.down();
});

describe('registry.sql import', () => {
  it('imports on MySQL 5.7 strict mode with the relaxed session sql_mode (the raw script fails there)', async () => {
    const admin = await connectFromNode(c.client, 'node-1', l.mysql57.connection, true);
    try {
      await expect(admin.query(sql)).rejects.toThrow(/Invalid default value/);
      const state = await importRegistrySql(admin, sql, 'mysql57');
      expect(state).toMatchObject({ exists: true, version: '1.5.0' });
      expect(state.tables).toBeGreaterThanOrEqual(17);
    } finally {
      await admin.end();
    }
  });

  it('refuses to import over a live registry database unless a reset is confirmed', async () => {
    const admin = await connectFromNode(c.client, 'node-1', l.mariadb.connection, true);
    try {
      await importRegistrySql(admin, sql, 'mariadb');
      await admin
        .query("INSERT INTO registry.project (owner_id, name) VALUES (1, 'precious')")
        .catch(() => admin.query("UPDATE registry.project SET name = 'precious' WHERE project_id = 1"));
      const e = await importRegistrySql(admin, sql, 'mariadb').catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ApiError);
      expect((e as ApiError).code).toBe('confirmation_required');
      expect((e as ApiError).localized.en).toContain('drop database if exists registry');
      const [rows] = await admin.query("SELECT COUNT(*) AS n FROM registry.project WHERE name = 'precious'");
      expect(Number((rows as { n: number }[])[0]!.n)).toBe(1);
      const reset = await importRegistrySql(admin, sql, 'mariadb', { reset: true });
      expect(reset.exists).toBe(true);
      const [after] = await admin.query("SELECT COUNT(*) AS n FROM registry.project WHERE name = 'precious'");
      expect(Number((after as { n: number }[])[0]!.n)).toBe(0);
    } finally {
      await admin.end();
    }
  });

  it('says whether the database exists, and whether an account may use it', async () => {
    const admin = await connectFromNode(c.client, 'node-1', l.mariadb.connection);
    try {
      expect((await registryDbState(admin)).exists).toBe(true);
      expect(await harborAccountCanUseRegistry(admin)).toBe(true);
      await admin.query("CREATE USER IF NOT EXISTS 'nobody'@'%' IDENTIFIED BY 'Nobody-pw1'");
    } finally {
      await admin.end();
    }
    const nobody = await connectFromNode(c.client, 'node-1', { ...l.mariadb.connection, user: 'nobody', password: 'Nobody-pw1' });
    try {
      expect(await harborAccountCanUseRegistry(nobody)).toBe(false);
    } finally {
      await nobody.end();
    }
  });
});
