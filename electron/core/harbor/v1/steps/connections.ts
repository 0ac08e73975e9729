/** Connections to the databases, opened by node 1 (so the RDS whitelist is a node's), closed after use. */
import type { Connection } from 'mysql2/promise';
import pg from 'pg';
import { openFromNode } from '../../../probe/tunnel';
import { type Ctx, L, firstNode } from '../../common/context';
import { connectFromNode, harborAccountCanUseRegistry } from '../database';

export async function withMysql<T>(ctx: Ctx, multipleStatements: boolean, fn: (conn: Connection, label: string) => Promise<T>): Promise<T> {
  const p = ctx.profile;
  if (p.database.engine !== 'mysql') throw new Error('Harbor 1.x needs MySQL');
  const first = firstNode(ctx);
  const shell = ctx.shell(first, 'database', ctx);
  const { client } = await shell.connection();
  const conn = await connectFromNode(
    client,
    first.label,
    {
      host: p.database.host,
      port: p.database.port,
      user: p.database.admin.user,
      password: ctx.requireSecret('database.admin.password', L('database administrator password', '数据库管理员密码')),
    },
    multipleStatements,
  );
  try {
    return await fn(conn, first.label);
  } finally {
    await conn.end().catch(() => undefined);
  }
}

export async function withClair<T>(ctx: Ctx, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = ctx.profile.clair!;
  const first = firstNode(ctx);
  const { client } = await ctx.shell(first, 'database', ctx).connection();
  const stream = await openFromNode(client, first.label, c.host, c.port);
  const pc = new pg.Client({
    stream: () => stream,
    host: c.host,
    port: c.port,
    user: c.user,
    password: ctx.requireSecret('clair.password', L('Clair database password', 'Clair 数据库密码')),
    database: 'postgres',
    connectionTimeoutMillis: 10_000,
  });
  await pc.connect();
  try {
    return await fn(pc);
  } finally {
    await pc.end().catch(() => undefined);
  }
}

export async function harborAccountCanUseRegistryAs(ctx: Ctx): Promise<boolean> {
  const p = ctx.profile;
  if (p.database.engine !== 'mysql') return false;
  const first = firstNode(ctx);
  const { client } = await ctx.shell(first, 'database', ctx).connection();
  const conn = await connectFromNode(client, first.label, {
    host: p.database.host,
    port: p.database.port,
    user: p.database.harbor.user,
    password: ctx.requireSecret('database.harbor.password', L('Harbor database password', 'Harbor 数据库密码')),
  });
  try {
    return await harborAccountCanUseRegistry(conn);
  } finally {
    await conn.end().catch(() => undefined);
  }
}
