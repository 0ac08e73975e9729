/**
 * One section of a profile form that is not saved (or not even valid) yet, read on its own: a node, the database,
 * Redis, OSS. The form tests a section as soon as it is filled (a new operator should not have to get every field of
 * every section right before learning that the SSH password is wrong), so each is parsed with its own schema and its
 * secrets are the form's own (typed or staged) or, for a saved profile, the vault's.
 */
import { ApiError, type FieldIssue } from '../../../shared/errors';
import { L } from '../../../shared/i18n/localized';
import { secretSlots, type NodeProfile, type Profile } from '../../../shared/profile';
import { profileShape } from '../../../shared/profile/schema';
import { toFieldIssues } from '../../../shared/validation';
import type { Vault } from '../vault/vault';
import { secretValue } from './deep-issues';
import type { SecretStaging } from './staging';
import type { ProfileStore } from './store';
import { profileTemplate } from './template';
import { nodeLabel, nodeTarget, type SecretLookup } from '../ssh/targets';
import type { SshTarget } from '../ssh/connect';

type Held = { store: ProfileStore; vault: Vault; staging: SecretStaging };
type Section = 'database' | 'redis' | 'oss';

const SECTION_NAMES = { database: L('database', '数据库'), redis: L('Redis', 'Redis'), oss: L('OSS', 'OSS') } as const;
const sectionSchemas = { database: profileShape.shape.database, redis: profileShape.shape.redis, oss: profileShape.shape.oss };
const head = profileShape.pick({ id: true, harbor: true });

function field(raw: unknown, key: string): unknown {
  return raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>)[key] : undefined;
}

/** The section's own problems, paths as the form shows them; the operator fixes these before a test means anything. */
function unfinished(what: ReturnType<typeof L>, issues: FieldIssue[]): ApiError {
  return new ApiError({ code: 'invalid_input', message: what, issues });
}

function prefixed(prefix: readonly (string | number)[], issues: FieldIssue[]): FieldIssue[] {
  return issues.map((i) => ({ ...i, path: [...prefix, ...(i.path ? [i.path] : [])].join('.') }));
}

/** The form's id and generation (always present: the form starts from a template). */
function formHead(raw: unknown): Pick<Profile, 'id' | 'harbor'> {
  const generation = field(field(raw, 'harbor'), 'generation') === 'v1' ? 'v1' : 'v2';
  const parsed = head.shape.id.safeParse(field(raw, 'id'));
  if (!parsed.success) throw unfinished(L('The form has no profile id.', '表单缺少集群配置 ID。'), toFieldIssues(parsed.error));
  return { id: parsed.data, harbor: { generation } as Profile['harbor'] };
}

/**
 * The secrets of `part` laid into a template profile, so the slots (shared/profile/secrets.ts) say which vault key each
 * secret has; looked up as deep-issues reads them.
 */
function secretsOf(held: Held, id: string, generation: 'v1' | 'v2', part: Partial<Profile>): SecretLookup {
  const whole = { ...(profileTemplate(generation) as unknown as Profile), ...part, id };
  const slots = new Map(secretSlots(whole).map((s) => [s.key, s]));
  return (key) => {
    const slot = slots.get(key);
    return slot ? secretValue(held, { id }, slot).value : undefined;
  };
}

export interface FormNode {
  readonly node: NodeProfile;
  readonly label: string;
  readonly target: SshTarget;
}

/** A node of the form, ready to connect to. */
export function formNode(held: Held, raw: unknown, nodeId: string): FormNode {
  const { id, harbor } = formHead(raw);
  const nodes = field(raw, 'nodes');
  const list = Array.isArray(nodes) ? nodes : [];
  const index = list.findIndex((n) => field(n, 'id') === nodeId);
  if (index < 0) {
    throw new ApiError({ code: 'not_found', message: L(`The form has no node "${nodeId}".`, `表单中没有节点“${nodeId}”。`) });
  }
  const parsed = profileShape.shape.nodes.element.safeParse(list[index]);
  if (!parsed.success) {
    throw unfinished(
      L(`Node ${index + 1} is not filled in yet: fix its fields first.`, `节点 ${index + 1} 尚未填写完整：请先修正其字段。`),
      prefixed(['nodes', index], toFieldIssues(parsed.error)),
    );
  }
  const node = parsed.data;
  // The label counts the node's position, as everywhere else; only the nodes' ids and names matter to it.
  const label = nodeLabel({ nodes: list.map((n) => ({ id: field(n, 'id') })) } as unknown as Profile, node);
  const secret = secretsOf(held, id, harbor.generation, { nodes: [node] });
  return { node, label, target: nodeTarget(label, node, secret) };
}

/** A service section of the form with its secrets. */
export function formSection<S extends Section>(held: Held, raw: unknown, section: S): { value: Profile[S]; secret: SecretLookup } {
  const { id, harbor } = formHead(raw);
  const parsed = sectionSchemas[section].safeParse(field(raw, section));
  if (!parsed.success) {
    throw unfinished(
      L(
        `The ${SECTION_NAMES[section].en} section is not filled in yet: fix its fields first.`,
        `${SECTION_NAMES[section]['zh-CN']}部分尚未填写完整：请先修正其字段。`,
      ),
      prefixed([section], toFieldIssues(parsed.error)),
    );
  }
  const value = parsed.data as Profile[S];
  return { value, secret: secretsOf(held, id, harbor.generation, { [section]: value }) };
}
