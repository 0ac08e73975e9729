/** harbor.yml rendered from the installer's own template. */
import type { HarborEnv } from '../../env';
import type { NodeShell } from '../../../deploy/remote';
import type { Step } from '../../../deploy/step';
import { renderedFilesStep } from '../../common/steps/rendered-files';
import { pristineFile } from '../../common/steps/unpack';
import { renderHarborYml, v2TlsPaths } from '../config';
import { type Ctx, L, TEMPLATE, HARBOR_YML, tlsOnNodes, secrets, refuseMysql } from './context';

// ───────────────────────────── harbor.yml ─────────────────────────────

export async function renderedFiles(ctx: Ctx, shell: NodeShell): Promise<{ path: string; text: string; mode: number }[]> {
  refuseMysql(ctx);
  const p = ctx.profile;
  const yml = renderHarborYml(await pristineFile(shell, TEMPLATE, ctx.node!.label), p, secrets(ctx));
  const files = [{ path: HARBOR_YML, text: yml, mode: 0o600 }];
  if (tlsOnNodes(p) && p.access.certificate) {
    const tls = v2TlsPaths(p);
    files.push({
      path: tls.certificate,
      text: p.access.certificate.endsWith('\n') ? p.access.certificate : `${p.access.certificate}\n`,
      mode: 0o644,
    });
    files.push({ path: tls.privateKey, text: ctx.requireSecret('access.privateKey', L('TLS private key', 'TLS 私钥')), mode: 0o600 });
  }
  return files;
}

export function configStep(): Step<HarborEnv> {
  return renderedFilesStep({
    id: 'config',
    title: L('harbor.yml', 'harbor.yml'),
    explain: L(
      "Writes harbor.yml from the installer's own harbor.yml.tmpl, comments kept: hostname (and external_url when TLS ends at the load balancer or clients use another port), the external PostgreSQL, the external Redis with its database indexes (never 0: Harbor drops falsy values), OSS storage with redirects disabled when the internal endpoint is used, job logs in the database ([STD_OUTPUT, DB], since file logs live on one node only), and the internal database/redis blocks removed so they cannot win over the external ones. Every node gets the same file. With TLS on the nodes, the certificate and key go to the data volume. The preview shows the diff against the node, secrets masked.",
      '基于安装包自带的 harbor.yml.tmpl 生成 harbor.yml，保留注释：hostname（TLS 在负载均衡终止或客户端使用其他端口时加 external_url）、外部 PostgreSQL、外部 Redis 及其库编号（不能为 0：Harbor 会丢弃假值）、OSS 存储（使用内网地址时禁用重定向）、任务日志写入数据库（[STD_OUTPUT, DB]，因为文件日志只存在于一个节点上），并删除内置的 database/redis 配置块，避免它们覆盖外部服务。每个节点得到相同的文件。TLS 在节点上终止时，证书和私钥写入数据卷。预览以差异形式显示相对节点现状的变化，密钥已遮盖。',
    ),
    files: renderedFiles,
  });
}
