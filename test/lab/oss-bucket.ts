/**
 * Bucket settings of the lab's OSS endpoint (test/lab/oss.ts): region, ACL, storage class, versioning and lifecycle
 * rules, kept in `bucket.json` beside the bucket's objects, with the XML bodies of Aliyun OSS's REST API for them
 * (PutBucket's CreateBucketConfiguration, PutBucketLifecycle's LifecycleConfiguration) parsed and checked as OSS does.
 * Lifecycle rules are stored and answered back, not executed; versioning is remembered and reported, no object
 * versions are kept. Written from Aliyun's API reference (PutBucket, GetBucketInfo, PutBucketAcl,
 * PutBucketVersioning, PutBucketLifecycle and its error pages 0014-000000xx) and what ali-oss sends and parses.
 */
import fs from 'node:fs';
import path from 'node:path';

export class OssError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** more elements of the error document, e.g. BucketName, Endpoint, EC */
    readonly extra: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const BUCKET_ACLS = ['private', 'public-read', 'public-read-write'] as const;
export type BucketAcl = (typeof BUCKET_ACLS)[number];
export const STORAGE_CLASSES = ['Standard', 'IA', 'Archive', 'ColdArchive', 'DeepColdArchive'] as const;
export type StorageClass = (typeof STORAGE_CLASSES)[number];
export type DataRedundancyType = 'LRS' | 'ZRS';
export type VersioningStatus = 'Enabled' | 'Suspended';

export interface BucketSettings {
  /** OSS region id, `oss-cn-beijing` */
  readonly region: string;
  /** ISO time */
  readonly creationDate: string;
  readonly acl: BucketAcl;
  readonly storageClass: StorageClass;
  readonly dataRedundancyType: DataRedundancyType;
  /** absent until first set: OSS then answers an empty VersioningConfiguration */
  readonly versioning?: VersioningStatus;
  /** the rules as PutBucketLifecycle took them (IDs filled in); absent: NoSuchLifecycle */
  readonly lifecycle?: readonly XmlNode[];
}

const SETTINGS_FILE = 'bucket.json';

export function readBucketSettings(bucketDir: string, fallback: () => BucketSettings): BucketSettings {
  try {
    return JSON.parse(fs.readFileSync(path.join(bucketDir, SETTINGS_FILE), 'utf8')) as BucketSettings;
  } catch {
    return fallback();
  }
}

export function writeBucketSettings(bucketDir: string, settings: BucketSettings): void {
  fs.writeFileSync(path.join(bucketDir, SETTINGS_FILE), JSON.stringify(settings));
}

/** OSS bucket names: 3–63 lowercase letters, digits and hyphens, beginning and ending with a letter or digit. */
export function checkBucketName(name: string): void {
  if (!/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(name))
    throw new OssError(400, 'InvalidBucketName', 'The specified bucket is not valid.', { BucketName: name });
}

export function checkAcl(acl: string): BucketAcl {
  if (!(BUCKET_ACLS as readonly string[]).includes(acl))
    throw new OssError(400, 'InvalidArgument', 'no such bucket access control exists', { ArgumentName: 'x-oss-acl', ArgumentValue: acl });
  return acl as BucketAcl;
}

// ─────────────────────────────── a small XML reader and writer ───────────────────────────────

/** An element: its name, child elements and its own text (entities decoded). Attributes are not kept. */
export interface XmlNode {
  readonly name: string;
  readonly children: XmlNode[];
  readonly text: string;
}

const malformed = (ec = '0014-00000011') =>
  new OssError(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema.', {
    EC: ec,
  });

const decode = (s: string) =>
  s.replace(/&(lt|gt|quot|apos|amp|#\d+|#x[0-9a-f]+);/gi, (_m, e: string) => {
    const named: Record<string, string> = { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' };
    if (named[e.toLowerCase()]) return named[e.toLowerCase()]!;
    return String.fromCodePoint(e[1]?.toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  });
export const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The document's root element; MalformedXML when the text is not well-formed. */
export function parseXml(text: string): XmlNode {
  const src = text.replace(/^\uFEFF/, '').replace(/<\?xml[^?]*\?>/, '');
  const stack: Array<{ name: string; children: XmlNode[]; text: string }> = [];
  let root: XmlNode | undefined;
  const re = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|<!--[\s\S]*?-->|([^<]+)|(<)/g;
  for (let m = re.exec(src); m; m = re.exec(src)) {
    const [, closing, name, , selfClosing, chars, stray] = m;
    if (stray) throw malformed();
    if (chars !== undefined) {
      if (stack.length) stack[stack.length - 1]!.text += decode(chars);
      else if (chars.trim()) throw malformed();
      continue;
    }
    if (!name) continue; // a comment
    if (closing) {
      const open = stack.pop();
      if (!open || open.name !== name) throw malformed();
      const node = { name: open.name, children: open.children, text: open.children.length ? '' : open.text };
      if (stack.length) stack[stack.length - 1]!.children.push(node);
      else if (root) throw malformed();
      else root = node;
      continue;
    }
    if (root) throw malformed();
    if (selfClosing) {
      const node = { name, children: [], text: '' };
      if (stack.length) stack[stack.length - 1]!.children.push(node);
      else root = node;
    } else stack.push({ name, children: [], text: '' });
  }
  if (stack.length || !root) throw malformed();
  return root;
}

export function xmlOf(node: XmlNode): string {
  return node.children.length
    ? `<${node.name}>${node.children.map(xmlOf).join('')}</${node.name}>`
    : `<${node.name}>${xmlEscape(node.text)}</${node.name}>`;
}

const child = (n: XmlNode, name: string) => n.children.find((c) => c.name === name);
const childText = (n: XmlNode, name: string) => child(n, name)?.text.trim();

// ─────────────────────────────── PutBucket ───────────────────────────────

/** PutBucket's optional body: `<CreateBucketConfiguration><StorageClass/><DataRedundancyType/></…>`. */
export function parseCreateBucketConfiguration(body: string): { storageClass?: StorageClass; dataRedundancyType?: DataRedundancyType } {
  if (!body.trim()) return {};
  const root = parseXml(body);
  if (root.name !== 'CreateBucketConfiguration') throw malformed();
  const storageClass = childText(root, 'StorageClass');
  const redundancy = childText(root, 'DataRedundancyType');
  if (storageClass !== undefined && !(STORAGE_CLASSES as readonly string[]).includes(storageClass))
    throw new OssError(400, 'InvalidArgument', `Invalid storage class ${storageClass}.`, {
      ArgumentName: 'StorageClass',
      ArgumentValue: storageClass,
    });
  if (redundancy !== undefined && redundancy !== 'LRS' && redundancy !== 'ZRS')
    throw new OssError(400, 'InvalidArgument', `Invalid data redundancy type ${redundancy}.`, {
      ArgumentName: 'DataRedundancyType',
      ArgumentValue: redundancy,
    });
  return {
    ...(storageClass ? { storageClass: storageClass as StorageClass } : {}),
    ...(redundancy ? { dataRedundancyType: redundancy } : {}),
  };
}

// ─────────────────────────────── PutBucketVersioning ───────────────────────────────

export function parseVersioning(body: string): VersioningStatus {
  const root = parseXml(body);
  const status = root.name === 'VersioningConfiguration' ? childText(root, 'Status') : undefined;
  if (status !== 'Enabled' && status !== 'Suspended') throw malformed();
  return status;
}

// ─────────────────────────────── PutBucketLifecycle ───────────────────────────────

const invalid = (message: string, ec?: string) => new OssError(400, 'InvalidArgument', message, ec ? { EC: ec } : {});

const RULE_CHILDREN = new Set([
  'ID',
  'Prefix',
  'Filter',
  'Status',
  'Tag',
  'Expiration',
  'Transition',
  'AbortMultipartUpload',
  'NoncurrentVersionExpiration',
  'NoncurrentVersionTransition',
  'AtimeBase',
]);
const ACTIONS = ['Expiration', 'Transition', 'AbortMultipartUpload', 'NoncurrentVersionExpiration', 'NoncurrentVersionTransition'];
const MAX_RULES = 1000;

/** A positive whole number of days, or a date at 00:00 UTC in ISO 8601 (`2026-01-01T00:00:00.000Z`). */
function checkWhen(action: XmlNode, ec: { missing: string; both: string }): void {
  const days = childText(action, 'Days');
  const date = childText(action, 'CreatedBeforeDate');
  if (days === undefined && date === undefined) throw invalid(`${action.name} must contain one of Days and CreatedBeforeDate.`, ec.missing);
  if (days !== undefined && date !== undefined) throw invalid(`${action.name} cannot contain both Days and CreatedBeforeDate.`, ec.both);
  if (days !== undefined && !/^[1-9]\d*$/.test(days)) throw invalid(`${action.name} Days must be a positive integer: ${days}`);
  if (date !== undefined && !/^\d{4}-\d{2}-\d{2}T00:00:00\.000Z$/.test(date))
    throw invalid(`${action.name} CreatedBeforeDate must be a date at midnight UTC in ISO 8601: ${date}`);
}

function checkAction(a: XmlNode, hasTag: boolean): void {
  const allowed: Record<string, string[]> = {
    Expiration: ['Days', 'CreatedBeforeDate', 'ExpiredObjectDeleteMarker'],
    Transition: ['Days', 'CreatedBeforeDate', 'StorageClass', 'IsAccessTime', 'ReturnToStdWhenVisit', 'AllowSmallFile'],
    AbortMultipartUpload: ['Days', 'CreatedBeforeDate'],
    NoncurrentVersionExpiration: ['NoncurrentDays'],
    NoncurrentVersionTransition: ['NoncurrentDays', 'StorageClass', 'IsAccessTime', 'ReturnToStdWhenVisit', 'AllowSmallFile'],
  };
  // 0014-00000071: an element AbortMultipartUpload does not take (e.g. IsAccessTime)
  if (a.children.some((c) => !allowed[a.name]!.includes(c.name)))
    throw malformed(a.name === 'AbortMultipartUpload' ? '0014-00000071' : undefined);
  if (a.name === 'AbortMultipartUpload') {
    if (hasTag) throw invalid('Tag cannot be used with AbortMultipartUpload.');
    checkWhen(a, { missing: '0014-00000073', both: '0014-00000074' });
  } else if (a.name === 'Expiration') {
    if (child(a, 'ExpiredObjectDeleteMarker')) {
      if (child(a, 'Days') || child(a, 'CreatedBeforeDate'))
        throw invalid('ExpiredObjectDeleteMarker cannot be used with Days or CreatedBeforeDate.');
    } else checkWhen(a, { missing: '', both: '' });
  } else if (a.name === 'Transition') {
    checkWhen(a, { missing: '', both: '' });
  } else if (!/^[1-9]\d*$/.test(childText(a, 'NoncurrentDays') ?? ''))
    throw invalid(`${a.name} NoncurrentDays must be a positive integer.`);
  if (a.name.endsWith('Transition') && !['IA', 'Archive', 'ColdArchive', 'DeepColdArchive'].includes(childText(a, 'StorageClass') ?? ''))
    throw invalid(`${a.name} StorageClass must be IA, Archive, ColdArchive or DeepColdArchive.`);
}

/** The rules of a PutBucketLifecycle body, checked, each with an ID (OSS makes one up when the rule has none). */
export function parseLifecycle(body: string): XmlNode[] {
  const root = parseXml(body);
  if (root.name !== 'LifecycleConfiguration') throw malformed();
  const rules = root.children;
  if (!rules.length || rules.some((r) => r.name !== 'Rule')) throw malformed();
  if (rules.length > MAX_RULES) throw invalid(`A lifecycle configuration holds at most ${MAX_RULES} rules.`);
  const ids = new Set<string>();
  return rules.map((rule, i) => {
    if (rule.children.some((c) => !RULE_CHILDREN.has(c.name))) throw malformed();
    const id = childText(rule, 'ID') || `rule-${i + 1}-${Date.now().toString(36)}`;
    if (Buffer.byteLength(id) > 255) throw invalid('Rule ID is composed of 255 bytes at most.');
    if (ids.has(id)) throw invalid(`Rule ID ${id} is used by more than one rule.`);
    ids.add(id);
    const status = childText(rule, 'Status');
    if (status !== 'Enabled' && status !== 'Disabled') throw invalid('Rule Status must be Enabled or Disabled.');
    const actions = rule.children.filter((c) => ACTIONS.includes(c.name));
    if (!actions.length) throw invalid(`Rule ${id} has no action (${ACTIONS.join(', ')}).`);
    const hasTag = rule.children.some((c) => c.name === 'Tag');
    for (const a of actions) checkAction(a, hasTag);
    const withId = child(rule, 'ID') ? rule.children : [{ name: 'ID', children: [], text: id }, ...rule.children];
    return { name: 'Rule', children: withId.map((c) => (c.name === 'ID' ? { name: 'ID', children: [], text: id } : c)), text: '' };
  });
}

export function lifecycleXml(rules: readonly XmlNode[]): string {
  return `<LifecycleConfiguration>${rules.map(xmlOf).join('')}</LifecycleConfiguration>`;
}
