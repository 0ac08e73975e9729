/** A step that writes files rendered for each node; its preview is each file's diff against the node. */
import type { Localized } from '../../../../../shared/i18n/localized';
import { unifiedDiff } from '../../../../../shared/diff';
import type { HarborEnv } from '../../env';
import type { NodeShell } from '../../../deploy/remote';
import type { Step } from '../../../deploy/step';
import { planned, readShell, type Action } from '../../../deploy/plan';
import { type Ctx, L } from '../context';

export interface RenderedFile {
  readonly path: string;
  readonly text: string;
  readonly mode: number;
}

/**
 * A step that writes files rendered for a node: done when every file on the node equals the rendering;
 * the preview is each file's diff against the node, secrets masked.
 */
export function renderedFilesStep(s: {
  id: string;
  title: Localized;
  explain: Localized;
  files: (ctx: Ctx, shell: NodeShell) => Promise<RenderedFile[]>;
}): Step<HarborEnv> {
  /** The rendered files and what each node has now. */
  const compare = async (ctx: Ctx) => {
    const shell = readShell(ctx, s.id);
    const files = await s.files(ctx, shell);
    return Promise.all(files.map(async (f) => ({ ...f, now: await shell.read(f.path) })));
  };
  return planned<HarborEnv>({
    id: s.id,
    title: s.title,
    explain: s.explain,
    scope: 'each-node',
    async check(ctx) {
      const files = await compare(ctx);
      const differ = files.filter((f) => f.now !== f.text).map((f) => f.path);
      return differ.length
        ? { done: false, reason: L(`to write: ${differ.join(', ')}`, `需要写入：${differ.join('、')}`) }
        : {
            done: true,
            reason: L(`${files.length} file${files.length === 1 ? '' : 's'} as rendered`, `${files.length} 个文件与生成结果一致`),
          };
    },
    // Only the files that differ are written; every file's diff is shown (an empty one says it stays as it is).
    async plan(ctx) {
      const files = await compare(ctx);
      return {
        files: files.map((f) => ({ path: f.path, diff: ctx.redactor.redact(unifiedDiff(f.now, f.text, f.path)) })),
        actions: files
          .filter((f) => f.now !== f.text)
          .map((f): Action => ({
            kind: 'write',
            path: f.path,
            content: f.text,
            mode: f.mode,
            done: L(`wrote ${f.path}`, `已写入 ${f.path}`),
          })),
      };
    },
  });
}
