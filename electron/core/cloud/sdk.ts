/**
 * The official SDK packages, loaded when a cloud session first needs them, the one way that works everywhere the
 * core runs. Loading them costs: about 0.8 s of CPU and 40 MB each for the RDS and ECS clients (measured on the lab
 * machine), so the app, the CLI and every test that never talks to Aliyun must not pay it at start.
 *
 * They are CommonJS compiled by tsc (`exports.default = Client`): Node's own ESM import (serve mode under tsx) and
 * esbuild's node-mode bundles (the app, the CLI) hand over `module.exports`, whose `default` is the class; vitest
 * hands over the class itself.
 */
import type * as albPackage from '@alicloud/alb20200616';
import type * as ecsPackage from '@alicloud/ecs20140526';
import type * as openApiPackage from '@alicloud/openapi-core';
import type * as kvstorePackage from '@alicloud/r-kvstore20150101';
import type * as rdsPackage from '@alicloud/rds20140815';
import type * as stsPackage from '@alicloud/sts20150401';
import type * as daraPackage from '@darabonba/typescript';

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

export type OpenApiClient = InstanceType<typeof openApiPackage.default>;

interface Packages {
  alb: typeof albPackage;
  ecs: typeof ecsPackage;
  rds: typeof rdsPackage;
  kvstore: typeof kvstorePackage;
  sts: typeof stsPackage;
}
export type TypedProduct = keyof Packages;
export type TypedClient<P extends TypedProduct> = InstanceType<Packages[P]['default']>;
export type TypedModels<P extends TypedProduct> = Packages[P];

const IMPORTS: { [P in TypedProduct]: () => Promise<unknown> } = {
  alb: () => import('@alicloud/alb20200616'),
  ecs: () => import('@alicloud/ecs20140526'),
  rds: () => import('@alicloud/rds20140815'),
  kvstore: () => import('@alicloud/r-kvstore20150101'),
  sts: () => import('@alicloud/sts20150401'),
};

const loaded = new Map<string, Promise<unknown>>();
function once<T>(key: string, load: () => Promise<T>): Promise<T> {
  let p = loaded.get(key) as Promise<T> | undefined;
  if (!p) {
    p = load();
    loaded.set(key, p);
    p.catch(() => loaded.delete(key));
  }
  return p;
}

/** The generic client (CLB, and the base of every typed one), its models, and the SDKs' runtime options. */
export function loadOpenApi(): Promise<{
  OpenApi: typeof openApiPackage.default;
  models: typeof openApiPackage;
  dara: typeof daraPackage;
}> {
  return once('openapi', async () => {
    const [openApi, dara] = await Promise.all([import('@alicloud/openapi-core'), import('@darabonba/typescript')]);
    return {
      OpenApi: classOf<typeof openApiPackage.default>(openApi),
      models: modelsOf(openApi as Namespace<typeof openApiPackage>),
      dara: modelsOf(dara as Namespace<typeof daraPackage>),
    };
  });
}

/** A product's typed client class and its request models. */
export function loadTyped<P extends TypedProduct>(
  product: P,
): Promise<{ Client: new (config: unknown) => TypedClient<P>; models: TypedModels<P> }> {
  return once(product, async () => {
    const ns = (await IMPORTS[product]()) as Namespace<TypedModels<P>>;
    return { Client: classOf<new (config: unknown) => TypedClient<P>>(ns), models: modelsOf(ns) };
  });
}
