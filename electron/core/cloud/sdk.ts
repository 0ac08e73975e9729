/**
 * The official SDK packages, loaded the one way that works everywhere the core runs. They are CommonJS compiled by
 * tsc (`exports.default = Client`): Node's own ESM import (serve mode under tsx) and esbuild's node-mode bundles
 * (the app, the CLI) hand over `module.exports`, whose `default` is the class; vitest hands over the class itself.
 */
import * as albPackage from '@alicloud/alb20200616';
import * as daraPackage from '@darabonba/typescript';
import * as ecsPackage from '@alicloud/ecs20140526';
import * as openApiPackage from '@alicloud/openapi-core';
import * as kvstorePackage from '@alicloud/r-kvstore20150101';
import * as rdsPackage from '@alicloud/rds20140815';
import * as stsPackage from '@alicloud/sts20150401';

type Namespace<M> = M & { default: unknown };

/** The package's default export, a class. */
function classOf<C>(ns: { default: unknown }): C {
  const d = ns.default as { default?: unknown } | undefined;
  return (typeof d === 'function' ? d : d?.default) as C;
}

/** The package's named exports (request models), wherever the loader put them. */
function modelsOf<M extends object>(ns: Namespace<M>): M {
  const d = ns.default as Partial<M> | undefined;
  return (typeof d === 'object' && d !== null && 'default' in d ? d : ns) as M;
}

export const OpenApi = classOf<typeof openApiPackage.default>(openApiPackage);
export const openApiModels = modelsOf(openApiPackage as Namespace<typeof openApiPackage>);

/** The SDKs' runtime (RuntimeOptions: timeouts, CA), named exports only. */
export const dara = modelsOf(daraPackage as Namespace<typeof daraPackage>);

export const Alb = classOf<typeof albPackage.default>(albPackage);
export const albModels = modelsOf(albPackage as Namespace<typeof albPackage>);
export const Ecs = classOf<typeof ecsPackage.default>(ecsPackage);
export const ecsModels = modelsOf(ecsPackage as Namespace<typeof ecsPackage>);
export const Rds = classOf<typeof rdsPackage.default>(rdsPackage);
export const rdsModels = modelsOf(rdsPackage as Namespace<typeof rdsPackage>);
export const Kvstore = classOf<typeof kvstorePackage.default>(kvstorePackage);
export const kvstoreModels = modelsOf(kvstorePackage as Namespace<typeof kvstorePackage>);
export const Sts = classOf<typeof stsPackage.default>(stsPackage);
export const stsModels = modelsOf(stsPackage as Namespace<typeof stsPackage>);

export type OpenApiClient = InstanceType<typeof OpenApi>;
export type AlbClient = InstanceType<typeof Alb>;
export type EcsClient = InstanceType<typeof Ecs>;
export type RdsClient = InstanceType<typeof Rds>;
export type KvstoreClient = InstanceType<typeof Kvstore>;
export type StsClient = InstanceType<typeof Sts>;
