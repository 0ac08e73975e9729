/** Harbor's own answers at an endpoint (1.x: ping and systeminfo; 2.x: ping and health), and waiting for them. */
import { deployError } from '../../../deploy/remote';
import type { NodeRef } from '../../../deploy/step';
import { sleep } from '../../../deploy/wait';
import { httpRequest, type HttpRequestOptions } from '../../../probe/http';
import { HARBOR_LOG_DIR, parseV2Health } from '../../node';
import { type Ctx, L } from '../context';
import { TIMEOUTS } from '../timeouts';
import { says, type Check, type VerifySpec } from './check';
import { askNode, nodeUrl } from './endpoints';

function parseJson<T>(text: string): T | null {
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

/**
 * Waits until Harbor answers on the node itself (1.x: ping and systeminfo; 2.x: ping and every
 * health component), asked by the node: after a reinstall, before the next node goes down.
 */
export async function waitServing(
  ctx: Ctx,
  node: NodeRef,
  spec: VerifySpec,
  stepId: string,
  timeoutMs: number = TIMEOUTS.servingAfterReinstall,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const checks = await harborAnswers(spec, nodeUrl(ctx.profile).base, await askNode(ctx, node, stepId), node.label);
    const bad = checks.filter((c) => !c.ok);
    if (!bad.length) {
      ctx.log.line(L(`${node.label}: Harbor answers again`, `${node.label}：Harbor 已重新响应`));
      return;
    }
    const why = bad.map((c) => c.message.en).join('; ');
    if (why !== last)
      ctx.log.line(L(`waiting for Harbor to answer: ${why}`, `等待 Harbor 响应：${bad.map((c) => c.message['zh-CN']).join('；')}`));
    last = why;
    if (Date.now() > deadline || ctx.signal.aborted) {
      const zh = bad.map((c) => c.message['zh-CN']).join('；');
      throw deployError(
        node.label,
        L(
          `${why} (after ${Math.round(timeoutMs / 1000)} s). Look at ${HARBOR_LOG_DIR}/ on the node.`,
          `${zh}（已等待 ${Math.round(timeoutMs / 1000)} 秒）。请查看节点上的 ${HARBOR_LOG_DIR}/。`,
        ),
      );
    }
    await sleep(TIMEOUTS.poll, ctx.signal);
  }
}

/** ping and systeminfo (1.x) or health (2.x) at an endpoint. */
export async function harborAnswers(
  spec: VerifySpec,
  base: string,
  how: Pick<HttpRequestOptions, 'via' | 'connectTo' | 'insecure' | 'pinnedCertificate'>,
  where: string,
): Promise<Check[]> {
  const out: Check[] = [];
  const get = (path: string) => httpRequest(`${base}${path}`, { ...how, timeoutMs: TIMEOUTS.harborRequest });
  const fail = (id: string, en: string, zh: string): Check => ({ id, ok: false, message: L(`${where}: ${en}`, `${where}：${zh}`) });
  try {
    if (spec.generation === 'v1') {
      const ping = await get('/api/ping');
      const body = ping.body.toString().trim().replace(/^"|"$/g, '');
      out.push(
        ping.status === 200 && body === 'Pong'
          ? { id: 'ping', ok: true, message: L(`${where}: /api/ping answers Pong`, `${where}：/api/ping 返回 Pong`) }
          : fail(
              'ping',
              `/api/ping answered HTTP ${ping.status} ${body.slice(0, 120)}`,
              `/api/ping 返回 HTTP ${ping.status} ${body.slice(0, 120)}`,
            ),
      );
      const info = await get('/api/systeminfo');
      type Info = { harbor_version?: string; registry_url?: string };
      const parsed = parseJson<Info>(info.body.toString());
      out.push(
        info.status === 200 && parsed?.harbor_version
          ? {
              id: 'systeminfo',
              ok: true,
              message: L(
                `${where}: Harbor ${parsed.harbor_version}, registry ${parsed.registry_url}`,
                `${where}：Harbor ${parsed.harbor_version}，registry ${parsed.registry_url}`,
              ),
            }
          : fail(
              'systeminfo',
              `/api/systeminfo answered HTTP ${info.status} ${info.body.toString().slice(0, 200)} (adminserver cannot read its configuration from the registry database?)`,
              `/api/systeminfo 返回 HTTP ${info.status} ${info.body.toString().slice(0, 200)}（adminserver 无法从 registry 数据库读取配置？）`,
            ),
      );
    } else {
      const ping = await get('/api/v2.0/ping');
      out.push(
        ping.status === 200
          ? { id: 'ping', ok: true, message: L(`${where}: /api/v2.0/ping answers`, `${where}：/api/v2.0/ping 正常`) }
          : fail('ping', `/api/v2.0/ping answered HTTP ${ping.status}`, `/api/v2.0/ping 返回 HTTP ${ping.status}`),
      );
      // Its HTTP status is always 200: the body says what is healthy.
      const health = await get('/api/v2.0/health');
      const h = parseV2Health(health.body.toString());
      const detail = h?.detail ?? health.body.toString().slice(0, 200);
      out.push(
        h?.healthy
          ? { id: 'health', ok: true, message: L(`${where}: every component healthy`, `${where}：所有组件健康`) }
          : fail('health', `unhealthy: ${detail}`, `不健康：${detail}`),
      );
    }
  } catch (error) {
    const why = says(error);
    out.push(fail('reach', `no answer (${why.en})`, `无应答（${why['zh-CN']}）`));
  }
  return out;
}
