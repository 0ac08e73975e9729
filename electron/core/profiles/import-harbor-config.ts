/**
 * A profile draft from a Harbor config the operator already has: `harbor.cfg` (Harbor 1.x, read the
 * way prepare's Python 2 RawConfigParser reads it) or `harbor.yml` (Harbor 2.x, read as YAML 1.1
 * like PyYAML). Pure: text in, draft out. Secret values go only into `secrets`, with the profile
 * path they belong to; `draft` and `notes` never contain them.
 */
import { draftFromHarborCfg } from './import-harbor/harbor-cfg';
import { draftFromHarborYml } from './import-harbor/harbor-yml';
import type { HarborConfigImport } from './import-harbor/collector';

// The readers, the mapping both share and the collector live in import-harbor/; this is the entry.
export type { DeepPartial, HarborConfigImport, ImportedSecret, ImportNote, ProfileDraft } from './import-harbor/collector';
export { parseHarborCfg } from './import-harbor/harbor-cfg';

/** harbor.cfg (1.x) or harbor.yml (2.x): the file name decides, else the first setting line's shape. */
export function detectHarborGeneration(fileName: string, text: string): 'v1' | 'v2' {
  if (/\.cfg$/i.test(fileName)) return 'v1';
  if (/\.ya?ml(\.tmpl)?$/i.test(fileName)) return 'v2';
  for (const line of text.split('\n')) {
    if (/^\s*$/.test(line) || /^[#;]/.test(line)) continue;
    if (/^[A-Za-z_][\w.]*\s*=/.test(line)) return 'v1';
    return 'v2';
  }
  return 'v2';
}

export function draftFromHarborConfig(fileName: string, text: string): HarborConfigImport {
  return detectHarborGeneration(fileName, text) === 'v1' ? draftFromHarborCfg(text, fileName) : draftFromHarborYml(text, fileName);
}
