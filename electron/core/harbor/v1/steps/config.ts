/** harbor.cfg and config_ha.yml (and the nodes' certificate), rendered from the installer's own copies. */
import type { HarborEnv } from '../../env';
import type { NodeShell } from '../../../deploy/remote';
import type { Step } from '../../../deploy/step';
import { type Ctx, L } from '../../common/context';
import { HARBOR_DIR } from '../../common/paths';
import { renderedFilesStep } from '../../common/steps/rendered-files';
import { pristineFile } from '../../common/steps/unpack';
import { renderV1Config } from '../config';
import { secrets, tlsOnNodes } from './context';

/** The files the config step writes on a node, rendered from the pristine installer copies. */
async function renderedFiles(ctx: Ctx, shell: NodeShell): Promise<{ path: string; text: string; mode: number }[]> {
  const p = ctx.profile;
  const label = ctx.node!.label;
  const rendered = await renderV1Config(p, secrets(ctx), (relative) => pristineFile(shell, relative, label));
  const files = rendered.map((f) => ({ path: `${HARBOR_DIR}/${f.relative}`, text: f.text, mode: 0o600 }));
  if (tlsOnNodes(p) && p.access.certificate) {
    files.push({ path: `${p.options.dataVolume}/cert/server.crt`, text: p.access.certificate, mode: 0o644 });
    files.push({
      path: `${p.options.dataVolume}/cert/server.key`,
      text: ctx.requireSecret('access.privateKey', L('TLS private key', 'TLS 私钥')),
      mode: 0o600,
    });
  }
  return files;
}

export function configStep(): Step<HarborEnv> {
  return renderedFilesStep({
    id: 'config',
    title: L('harbor.cfg and config_ha.yml', 'harbor.cfg 与 config_ha.yml'),
    explain: L(
      "Writes harbor.cfg from the installer's own file with every key kept (hostname, protocol, the external MySQL, redis_url, Clair's database, job workers, and OSS as registry_storage_provider_name = oss with its config line, never as a second storage block). Patches config_ha.yml, which `--ha` renders the registry from: the Redis address without the comma format, its password and database, 10 s timeouts instead of 10 ms, and relativeurls when TLS ends at the load balancer. The preview shows each file as a diff against the node, with secrets masked.",
      '基于安装包自带的 harbor.cfg 生成配置，保留所有键（hostname、协议、外部 MySQL、redis_url、Clair 数据库、任务并发数，以及 OSS：使用 registry_storage_provider_name = oss 及其配置行，而不是再写一个存储块）。修改 `--ha` 用来生成 registry 配置的 config_ha.yml：不带逗号格式的 Redis 地址、其密码与库号、10 秒而不是 10 毫秒的超时；TLS 在负载均衡终止时加上 relativeurls。预览以差异形式显示每个文件相对节点现状的变化，密钥已遮盖。',
    ),
    files: renderedFiles,
  });
}
