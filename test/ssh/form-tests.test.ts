/**
 * The form's tests through the API (draft.*), on a form that is not saved and not complete: a node's connection with
 * the form's own password, the database from a node, and the missing Harbor account created with a SCRAM verifier (so
 * the plain password never reaches the server), then logged in to. Real sshd and PostgreSQL from the lab.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { profileTemplate } from '../../electron/core/profiles/template';
import { scramVerifier } from '../../electron/core/profiles/harbor-account';
import type { ProfileInput } from '../../shared/profile';
import { testCore } from '../helpers/core';
import * as lab from '../lab';

let l: lab.Lab;
let core: ReturnType<typeof testCore>;
const HARBOR = { user: 'harbor_form', password: "Form-Pass'1$x" };

beforeAll(async () => {
  l = await lab.up({ nodes: 1, services: ['postgres'] });
  core = testCore();
}, 180_000);

afterAll(async () => {
  await core?.close();
  await l?.down();
});

async function call<T>(name: string, input: unknown): Promise<T> {
  const r = await core.dispatcher.call(name, input, { transport: 'websocket' });
  if (!r.ok) throw Object.assign(new Error(r.error.message.en), { data: r.error });
  return r.value as T;
}

/** A form with only node 1 and the database filled in: everything else as the template leaves it (invalid). */
function form(): ProfileInput {
  const p = profileTemplate('v2');
  const n = l.node(1);
  p.nodes = [
    {
      ...p.nodes[0]!,
      id: 'n1',
      host: n.address,
      hostKeyFingerprint: n.hostKeyFingerprint,
      auth: { kind: 'password', password: { value: n.password } },
    },
  ];
  p.database = {
    engine: 'postgresql',
    host: l.postgres.address,
    port: l.postgres.port,
    admin: { user: 'postgres', password: { value: l.postgres.password } },
    harbor: { user: HARBOR.user, password: { value: HARBOR.password }, database: 'registry', sslMode: 'disable' },
  };
  return p;
}

it('tests a node of an unsaved, incomplete form, and names the field of a refused login', async () => {
  const [ok] = await call<{ status: string }[]>('draft.testNodes', { profile: form(), nodeIds: ['n1'] });
  expect(ok).toMatchObject({ status: 'ok', nodeId: 'n1' });
  const wrong = form();
  wrong.nodes[0]!.auth = { kind: 'password', password: { value: 'not-the-password' } };
  const [refused] = await call<{ status: string; field?: string }[]>('draft.testNodes', { profile: wrong, nodeIds: ['n1'] });
  expect(refused).toMatchObject({ status: 'failed', field: 'nodes.0.auth.password' });
});

it('finds the Harbor account missing, creates it on consent with a SCRAM verifier, and then its login passes', async () => {
  type Test = { checks: { ok: boolean; field?: string }[]; account?: { user: string; sql: string } };
  const before = await call<Test>('draft.testService', { profile: form(), service: 'database', fromNode: 'n1' });
  expect(before.checks.map((c) => c.ok)).toEqual([true, false]);
  expect(before.checks[1]!.field).toBe('database.harbor.password');
  expect(before.account).toEqual({
    user: HARBOR.user,
    host: l.postgres.address,
    sql: `CREATE ROLE "${HARBOR.user}" LOGIN PASSWORD '<password>';`,
  });

  await expect(call('draft.createHarborAccount', { profile: form(), fromNode: 'n1' })).rejects.toThrow();
  await call('draft.createHarborAccount', { profile: form(), fromNode: 'n1', confirm: true });
  const after = await call<Test>('draft.testService', { profile: form(), service: 'database', fromNode: 'n1' });
  expect(after.checks.map((c) => c.ok)).toEqual([true, true]);
  expect(after.account).toBeUndefined();
  // Once there, it is not created twice.
  await expect(call('draft.createHarborAccount', { profile: form(), fromNode: 'n1', confirm: true })).rejects.toThrow(/exists/);
  // The audit names what was done, without the password or its verifier.
  const audit = core.audit.read(50).find((e) => e.purpose === 'form: create the Harbor database account');
  expect(audit?.command).toBe(`CREATE ROLE "${HARBOR.user}" LOGIN PASSWORD '<password>';`);
  expect(JSON.stringify(core.audit.read(5000))).not.toContain(HARBOR.password);
});

it('computes the verifier PostgreSQL computes (RFC 7677 test vector)', () => {
  // The RFC's user password "pencil" with its salt gives its StoredKey and ServerKey.
  const salt = Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64');
  expect(scramVerifier('pencil', salt)).toBe(
    'SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=',
  );
});
