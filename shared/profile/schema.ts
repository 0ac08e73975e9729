/**
 * A cluster profile: one Harbor HA cluster, everything the app needs to deploy and operate it.
 * Secrets appear as `secretInput` ({ value } to set, { set } to keep or clear); the stored profile
 * holds only `{ set }` and the values live in the vault.
 */
import { z } from 'zod';
import { localizedError as msg } from '../validation';
import {
  absolutePath,
  accountName,
  databaseName,
  host,
  hostKeyFingerprint,
  ipAddress,
  isHostWithPort,
  ossBucket,
  ossRegion,
  pemCertificate,
  port,
  secretInput,
} from './fields';

/** 2: the load balancer's kind `aliyun-slb` became `clb` (its `slbId` `instanceId`) beside `alb` (profiles/migrations). */
export const SCHEMA_VERSION = 2;

export const auth = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('password'), password: secretInput }).strict(),
  z
    .object({
      kind: z.literal('key'),
      keyPath: z
        .string()
        .trim()
        .min(1, msg({ en: 'enter the path of the private key file', 'zh-CN': '请输入私钥文件路径' }))
        .max(4096),
      passphrase: secretInput,
    })
    .strict(),
  z.object({ kind: z.literal('agent') }).strict(),
]);
export type Auth = z.infer<typeof auth>;

export const jumpHost = z
  .object({
    host,
    port: port.default(22),
    user: accountName.default('root'),
    auth,
    hostKeyFingerprint: hostKeyFingerprint.optional(),
  })
  .strict();

export const node = z
  .object({
    /** Stable id: secrets and run journals are keyed by it, so nodes can be renamed and reordered. */
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/),
    name: z.string().trim().max(64).optional(),
    host,
    port: port.default(22),
    user: accountName.default('root'),
    auth,
    /** Hops to reach the node, first to last (ProxyJump style). */
    jumpHosts: z.array(jumpHost).max(4).default([]),
    /**
     * The address RDS, Redis and OSS see (for whitelists), when it differs from `host`; the other
     * nodes also reach this node's sshd there, on port 22 (the installer relay).
     */
    privateAddress: ipAddress.optional(),
    /** The host key the operator expects; checked before any credential is sent. */
    hostKeyFingerprint: hostKeyFingerprint.optional(),
  })
  .strict();
export type NodeProfile = z.infer<typeof node>;

const installer = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('local'),
      path: z
        .string()
        .trim()
        .min(1, msg({ en: 'choose the installer file (.tgz) on this computer', 'zh-CN': '请选择本机上的安装包文件（.tgz）' }))
        .max(4096),
    })
    .strict(),
  z
    .object({
      kind: z.literal('url'),
      url: z
        .string()
        .trim()
        .regex(
          /^https?:\/\/[^\s]+$/,
          msg({ en: 'an http:// or https:// address the nodes can download from', 'zh-CN': '节点可以下载的 http:// 或 https:// 地址' }),
        ),
      sha256: z
        .string()
        .trim()
        .regex(/^[a-f0-9]{64}$/i, msg({ en: '64 hexadecimal characters', 'zh-CN': '64 个十六进制字符' }))
        .optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('oss'),
      object: z
        .string()
        .trim()
        .min(
          1,
          msg({
            en: 'the object key in the bucket, e.g. installers/harbor-offline-installer-v2.15.2.tgz',
            'zh-CN': 'Bucket 中的对象名，例如 installers/harbor-offline-installer-v2.15.2.tgz',
          }),
        )
        .max(1023),
      bucket: ossBucket.optional(),
      sha256: z
        .string()
        .trim()
        .regex(/^[a-f0-9]{64}$/i, msg({ en: '64 hexadecimal characters', 'zh-CN': '64 个十六进制字符' }))
        .optional(),
    })
    .strict(),
]);

const harbor = z
  .object({
    generation: z.enum(['v1', 'v2']),
    version: z
      .string()
      .trim()
      .regex(/^\d+\.\d+\.\d+$/, msg({ en: 'a version like 1.5.4 or 2.15.2', 'zh-CN': '版本号格式如 1.5.4 或 2.15.2' })),
    installer,
    adminPassword: secretInput,
  })
  .strict();

/** What clients type: host name (or address) and port, as in `docker login`. */
const domain = z
  .string()
  .trim()
  .min(
    1,
    msg({
      en: 'enter the registry address clients use, e.g. registry.example.com',
      'zh-CN': '请输入客户端使用的镜像仓库地址，例如 registry.example.com',
    }),
  )
  .refine(
    isHostWithPort,
    msg({
      en: 'a host name or IPv4 address, optionally with :port, without http://',
      'zh-CN': '主机名或 IPv4 地址，可带 :端口，不要带 http://',
    }),
  )
  .refine(
    (v) => !/^(reg\.mydomain\.com|127\.0\.0\.1|localhost)(:\d+)?$/i.test(v),
    msg({
      en: "this is Harbor's placeholder or a loopback address; install.sh refuses it. Use the name clients will type",
      'zh-CN': '这是 Harbor 的占位地址或回环地址，install.sh 会拒绝。请填写客户端实际使用的名称',
    }),
  );

const access = z
  .object({
    domain,
    protocol: z.enum(['http', 'https']),
    /** Where TLS ends when protocol is https. */
    tlsTermination: z.enum(['lb', 'nodes']).default('nodes'),
    certificate: pemCertificate.optional(),
    privateKey: secretInput,
  })
  .strict();

/** An Aliyun instance id: the product's prefix, then lower-case letters and digits (e.g. lb-2zeabc123). */
const instanceId = (prefix: string, example: string, what: { en: string; 'zh-CN': string }) =>
  z
    .string()
    .trim()
    .regex(
      new RegExp(`^${prefix}-[a-z0-9]{6,40}$`),
      msg({ en: `${what.en} instance id like ${example}`, 'zh-CN': `${what['zh-CN']}实例 ID，例如 ${example}` }),
    );

const loadBalancer = z.discriminatedUnion('kind', [
  z
    .object({
      /** Aliyun's classic load balancer (CLB, formerly SLB): layer 4 (TCP) or layer 7 (HTTP/HTTPS) listeners. */
      kind: z.literal('clb'),
      instanceId: instanceId('lb', 'lb-2zeabc123', { en: 'a CLB', 'zh-CN': 'CLB ' }).optional(),
      publicAddress: ipAddress.optional(),
      privateAddress: ipAddress.optional(),
      /** What the operator says the listeners are; with cloud access the app reads the real ones. */
      listener: z.enum(['tcp', 'http']).default('tcp'),
    })
    .strict(),
  z
    .object({
      /** Aliyun's Application Load Balancer: layer 7 only, reached by its DNS name; backends in a server group. */
      kind: z.literal('alb'),
      instanceId: instanceId('alb', 'alb-o9ulmq5hgn68jk0ln4', { en: 'an ALB', 'zh-CN': 'ALB ' }).optional(),
      /** The server group the listeners forward to, when the ALB has several. */
      serverGroupId: instanceId('sgp', 'sgp-8ilqs4axp6xxxxxxxx', { en: 'a server group', 'zh-CN': '服务器组' }).optional(),
      dnsName: host.optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('self-hosted'),
      address: host,
      software: z.enum(['haproxy', 'nginx', 'keepalived', 'other']).default('haproxy'),
    })
    .strict(),
]);
export type LoadBalancer = z.infer<typeof loadBalancer>;

/** A host name or address with an optional :port, no scheme: an OpenAPI endpoint the operator names. */
const endpointHost = z
  .string()
  .trim()
  .refine(
    isHostWithPort,
    msg({
      en: 'a host name with an optional :port, without https:// (e.g. slb-vpc.cn-hangzhou.aliyuncs.com)',
      'zh-CN': '主机名，可带 :端口，不要带 https://（例如 slb-vpc.cn-hangzhou.aliyuncs.com）',
    }),
  );

/** The Aliyun products the app calls, each with its own OpenAPI endpoint. */
export const CLOUD_PRODUCTS = ['slb', 'alb', 'ecs', 'rds', 'kvstore', 'sts'] as const;
export type CloudProduct = (typeof CLOUD_PRODUCTS)[number];

/**
 * The operator's Aliyun account, used by the app only (never written to a node): to read and change the load
 * balancer's backends and the RDS and Redis whitelists. Region ids are those of the OpenAPI (cn-hangzhou), not OSS's.
 */
const cloud = z
  .object({
    region: z
      .string()
      .trim()
      .regex(/^[a-z]{2}-[a-z0-9-]{2,40}$/, msg({ en: 'a region id like cn-hangzhou', 'zh-CN': '地域 ID，例如 cn-hangzhou' })),
    accessKeyId: z
      .string()
      .trim()
      .regex(
        /^[A-Za-z0-9]{8,64}$/,
        msg({ en: 'an AccessKey ID: 8 to 64 letters and digits', 'zh-CN': 'AccessKey ID：8 到 64 个字母和数字' }),
      ),
    accessKeySecret: secretInput,
    /** When set, each session assumes this RAM role through STS; the AccessKey then needs only sts:AssumeRole. */
    roleArn: z
      .string()
      .trim()
      .regex(
        /^acs:ram::\d{6,20}:role\/[A-Za-z0-9._-]{1,64}$/,
        msg({
          en: 'a role ARN like acs:ram::123456789012:role/harbor-ops',
          'zh-CN': '角色 ARN，例如 acs:ram::123456789012:role/harbor-ops',
        }),
      )
      .optional(),
    /** Endpoints per product for a VPC endpoint, Apsara Stack or a finance region; empty: the region's public one. */
    endpoints: z.partialRecord(z.enum(CLOUD_PRODUCTS), endpointHost).default({}),
    /** The CA that signs a private endpoint's certificate; the system's CAs otherwise. */
    caCertificate: pemCertificate.optional(),
  })
  .strict();
export type CloudAccount = z.infer<typeof cloud>;

const dbAccount = z.object({ user: accountName, password: secretInput }).strict();

const database = z.discriminatedUnion('engine', [
  z
    .object({
      engine: z.literal('mysql'),
      /** The RDS instance, when the database is one: its whitelist is then read and kept by the app. */
      instanceId: instanceId('rm', 'rm-2ze8xxxxxxxx', { en: 'an RDS MySQL', 'zh-CN': 'RDS MySQL ' }).optional(),
      host,
      port: port.default(3306),
      /** Account that may DROP/CREATE DATABASE: imports registry.sql. Used by the app only. */
      admin: dbAccount,
      /** Account Harbor connects with (database `registry`, fixed in 1.x). */
      harbor: dbAccount,
    })
    .strict(),
  z
    .object({
      engine: z.literal('postgresql'),
      instanceId: instanceId('pgm', 'pgm-2ze8xxxxxxxx', { en: 'an RDS PostgreSQL', 'zh-CN': 'RDS PostgreSQL ' }).optional(),
      host,
      port: port.default(5432),
      /** Account that may create the Harbor database and its owner. Used by the app only. */
      admin: dbAccount,
      harbor: z
        .object({
          user: accountName,
          password: secretInput,
          database: databaseName.default('registry'),
          sslMode: z.enum(['disable', 'require', 'verify-ca', 'verify-full']).default('disable'),
        })
        .strict(),
    })
    .strict(),
]);

const clair = z
  .object({
    host,
    port: port.default(5432),
    user: accountName,
    password: secretInput,
    database: databaseName.default('postgres'),
  })
  .strict();

const dbIndex = z.number().int().min(0).max(255);

const redis = z
  .object({
    /** The Redis (Tair) instance, when it is one: its whitelist is then read and kept by the app. */
    instanceId: instanceId('r', 'r-bp1xxxxxxxxx', { en: 'a Redis', 'zh-CN': 'Redis ' }).optional(),
    host,
    port: port.default(6379),
    /**
     * none: no AUTH; password: AUTH <password>; account: Aliyun's custom account as
     * AUTH <account:password>; acl: AUTH <user> <password> (Redis 6 ACL, Harbor 2.8+).
     */
    auth: z.enum(['none', 'password', 'account', 'acl']).default('password'),
    username: accountName.optional(),
    password: secretInput,
    dbIndexes: z
      .object({
        registry: dbIndex.default(1),
        jobservice: dbIndex.default(2),
        trivy: dbIndex.default(5),
        cacheLayer: dbIndex.optional(),
        harbor: dbIndex.optional(),
      })
      .strict()
      .default({ registry: 1, jobservice: 2, trivy: 5 }),
  })
  .strict();

const oss = z
  .object({
    region: ossRegion,
    bucket: ossBucket,
    /** Use the -internal endpoint (from ECS in the same region; required for new accounts since 2025-03-20). */
    internal: z.boolean().default(true),
    rootDirectory: z
      .string()
      .trim()
      .regex(
        /^\/?[A-Za-z0-9._\-/]*$/,
        msg({
          en: 'a path inside the bucket, e.g. /harbor (letters, digits, . _ - /)',
          'zh-CN': 'Bucket 内的路径，例如 /harbor（字母、数字、. _ - /）',
        }),
      )
      .default('/harbor'),
    accessKeyId: z
      .string()
      .trim()
      .regex(
        /^[A-Za-z0-9]{8,64}$/,
        msg({ en: 'an AccessKey ID: 8 to 64 letters and digits', 'zh-CN': 'AccessKey ID：8 到 64 个字母和数字' }),
      ),
    accessKeySecret: secretInput,
    encrypt: z.boolean().default(false),
    secure: z.boolean().default(true),
    /** Must be true with `internal`: redirects would send clients to an address they cannot reach. */
    redirectDisabled: z.boolean().default(true),
    /** The full bucket host without scheme; usually left empty (region + internal decide). */
    endpoint: z
      .string()
      .trim()
      .regex(
        /^[a-z0-9][a-z0-9.-]+[a-z0-9]$/,
        msg({
          en: 'the bucket host without http:// (e.g. my-bucket.oss-cn-beijing-internal.aliyuncs.com); usually leave empty',
          'zh-CN': '不带 http:// 的 Bucket 域名（例如 my-bucket.oss-cn-beijing-internal.aliyuncs.com）；通常留空',
        }),
      )
      .optional(),
  })
  .strict();

const options = z
  .object({
    scanner: z.enum(['none', 'clair', 'trivy']).default('none'),
    jobWorkers: z.number().int().min(1).max(100).default(10),
    dataVolume: absolutePath.default('/data'),
  })
  .strict();

/** The profile without the cross-field rules (usable for partial forms). */
export const profileShape = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/),
    name: z
      .string()
      .trim()
      .min(1, msg({ en: 'give the cluster a name', 'zh-CN': '请为集群命名' }))
      .max(64),
    description: z.string().max(1000).default(''),
    harbor,
    access,
    nodes: z
      .array(node)
      .min(1, msg({ en: 'add at least one node', 'zh-CN': '请至少添加一个节点' }))
      .max(16, msg({ en: 'at most 16 nodes', 'zh-CN': '最多 16 个节点' })),
    loadBalancer,
    database,
    clair: clair.optional(),
    redis,
    oss,
    cloud: cloud.optional(),
    options,
  })
  .strict();

export type ProfileInput = z.input<typeof profileShape>;
export type Profile = z.output<typeof profileShape>;
