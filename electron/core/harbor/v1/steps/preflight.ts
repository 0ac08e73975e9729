/** 1.x preflight: the base checks, with harbor.cfg's values against the node's locale, and on node 1 a live database. */
import type { HarborEnv } from '../../env';
import type { Step } from '../../../deploy/step';
import { L } from '../../common/context';
import { V1_NEEDS } from '../../common/preflight/runtime';
import { preflightStep } from '../../common/steps/preflight';
import { v1HarborCfgValues } from '../config';
import { secrets } from './context';
import { liveDatabaseFinding } from './database';

export function v1PreflightStep(): Step<HarborEnv> {
  // Node 1's preflight also refuses a live registry database nobody decided about.
  return preflightStep(
    { ...V1_NEEDS, scriptValues: (env) => v1HarborCfgValues(env.profile, secrets(env)) },
    {
      async check(ctx, r) {
        if (ctx.node?.index !== 0) return r;
        const live = await liveDatabaseFinding(ctx).catch(() => null);
        if (!live) return r;
        ctx.log.line(L(`✖ ${live.en}`, `✖ ${live['zh-CN']}`));
        const prefix = r.done ? { en: '1 check failed; nothing was changed:', 'zh-CN': '1 项检查未通过；未做任何更改：' } : r.reason!;
        return {
          done: false,
          reason: L(`${prefix.en}\n✖ ${live.en}`, `${prefix['zh-CN']}\n✖ ${live['zh-CN']}`),
          ...(r.field ? { field: r.field } : {}),
        };
      },
    },
  );
}
