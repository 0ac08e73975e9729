/**
 * What every product of the lab's cloud is: an API version, the RAM service name its actions are authorised under,
 * and its actions over RPC-style parameters (query string and form body merged, as Aliyun accepts either).
 */
import crypto from 'node:crypto';
import type { LbHandle } from '../services';
import { AcsError, gatewayErrors as E } from './errors';

export type Params = Readonly<Record<string, string>>;
export type Action = (p: Params) => Promise<Record<string, unknown>> | Record<string, unknown>;

export interface Product {
  /** the product code (`Slb`, `Alb`, `Rds`, `R-kvstore`, `Ecs`) */
  readonly code: string;
  /** API version, the `x-acs-version` header */
  readonly version: string;
  /** prefix of the RAM action names, e.g. `slb` in `slb:SetBackendServers` */
  readonly ramService: string;
  readonly actions: Readonly<Record<string, Action>>;
}

/** The part of the lab's HAProxy a cloud load balancer drives. */
export type LbRuntime = Pick<LbHandle, 'setWeight' | 'addServer' | 'removeServer' | 'serverState' | 'address'>;

export const REGION = 'cn-lab';
export const ZONE = 'cn-lab-a';

/** `<prefix>lab<slot><random>` ids, as Aliyun's are `<prefix><random>`. */
export function labId(prefix: string, slot: number, len = 8): string {
  const chars = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return `${prefix}lab${slot}${Array.from(crypto.randomBytes(len), (b) => chars[b % chars.length]).join('')}`;
}

export function required(p: Params, name: string): string {
  const v = p[name];
  if (v === undefined || v === '') throw E.missingParameter(name);
  return v;
}

/** A parameter Aliyun takes as a JSON string (`BackendServers`, `InstanceIds`, …). */
export function jsonParam<T>(p: Params, name: string): T | undefined {
  const v = p[name];
  if (v === undefined || v === '') return undefined;
  try {
    return JSON.parse(v) as T;
  } catch {
    throw E.invalidParameter(name, 'It is not valid JSON.');
  }
}

/**
 * A list the SDK flattens into `Name.1`, `Name.2` (scalars) or `Name.1.Field` (objects), in index order.
 */
export function flatList(p: Params, name: string): Array<string | Record<string, string>> {
  const items = new Map<number, string | Record<string, string>>();
  const re = new RegExp(`^${name.replace(/\./g, '\\.')}\\.(\\d+)(?:\\.(.+))?$`);
  for (const [k, v] of Object.entries(p)) {
    const m = re.exec(k);
    if (!m) continue;
    const i = Number(m[1]);
    if (m[2] === undefined) items.set(i, v);
    else {
      const o = items.get(i);
      const obj = typeof o === 'object' ? o : {};
      obj[m[2]] = v;
      items.set(i, obj);
    }
  }
  return [...items.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

export function integer(p: Params, name: string, dflt: number, min: number, max: number): number {
  const v = p[name];
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw E.invalidParameter(name, `It must be an integer from ${min} to ${max}.`);
  return n;
}

export const notFound = (code: string, message: string) => new AcsError(404, code, message);

/**
 * A backend's health from HAProxy's check state: UP (and DRAIN, weight 0: still checked and healthy) is normal,
 * DOWN is abnormal, anything else (maintenance, checks not yet run) unavailable.
 */
export function healthOf(haproxyStatus: string | undefined): 'normal' | 'abnormal' | 'unavailable' {
  if (haproxyStatus === 'UP' || haproxyStatus === 'DRAIN') return 'normal';
  if (haproxyStatus === 'DOWN' || haproxyStatus === 'NOLB') return 'abnormal';
  return 'unavailable';
}
