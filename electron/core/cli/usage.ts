/** `harbor-ha --help`: what the command line takes, in both languages (docs/maintenance.md describes the commands). */
import type { Localized } from '../../../shared/i18n/localized';

export const USAGE: Localized = {
  en: `Usage: harbor-ha <render|plan|deploy|verify|backup|restore|upgrade|rollback|rotate-cert> --profile FILE [options]

  render    print the Harbor configuration rendered from the installer, secrets masked
  plan      print every step and what it would do on each node (changes nothing)
  deploy    run the deployment; a second run reports "unchanged" everywhere
  verify    run only the verification (containers, health, realm, push and pull)
  backup    write an encrypted backup archive (database, key material, configuration, profile)
            into --to DIR; age -d and tar open it without the app
  rotate-cert  put the certificate of --cert FILE and its --key FILE (or the profile's own) on
            every node, one at a time, restarting only Harbor's proxy; with TLS at the load
            balancer, update the pinned certificate and check the load balancer presents it
  restore   restore the archive --from FILE into the profile's cluster (the same one, or fresh
            nodes): Harbor stopped everywhere, database replaced, keys put back, installed again
  upgrade   upgrade the cluster to --harbor-version X from its --installer FILE: a backup into
            --to DIR first (or --skip-backup REASON), every node stopped, node 1 installed first
            (its core migrates the schema), then the others; the profile keeps the new version
  rollback  roll back the failed upgrade run --resume RUN_ID: the profile set back to the version
            it came from and that upgrade's backup restored (--confirm-restore HOST)

Options:
  --profile FILE              a profile exported by the app (.harbor-profile.json) or a profile as JSON/YAML
  --data-dir DIR              where the CLI keeps its vault, known hosts and run journals
                              (default: <app data>/cli, or $HARBOR_HA_DATA_DIR/cli)
  --resume RUN_ID             continue a run that stopped (same journal)
  --only STEP[,STEP]          run only these steps
  --nodes ID[,ID]             run only these nodes (retry failed nodes)
  --existing-database MODE    refuse (default) | adopt (it is this cluster's) | reset (drops it)
  --confirm-reset HOST        required with reset: the database host, typed again
  --confirm-disruption ID[,ID]  the serving nodes this run may reinstall (stopping each in turn);
                              a run that would stop others is refused and names them
  --install-runtime           install missing docker/docker-compose/Python 2 with yum or apt
  --to DIR                    backup: the folder the archive is written to
  --keep N                    backup: keep the newest N archives of the profile there (default 7)
  --cert FILE                 rotate-cert: the new certificate (PEM, the chain after it)
  --key FILE                  rotate-cert: its private key (TLS on the nodes)
  --from FILE                 restore: the backup archive (.tar.age)
  --confirm-restore HOST      restore: the database host, typed again, when the database holds
                              Harbor data or the cluster serves; rollback: always
  --harbor-version X          upgrade: the version to go to (e.g. 2.15.2)
  --installer FILE            upgrade: its offline installer
  --skip-backup REASON        upgrade: go without a backup (no rollback then); the reason is recorded
  --json                      one JSON event per line instead of text
  --lang en|zh-CN             language of messages (default from LC_ALL, LC_MESSAGES or LANG)

Environment:
  HARBOR_HA_VAULT_PASSPHRASE   opens (or creates) the CLI's vault; required
  HARBOR_HA_PROFILE_PASSPHRASE opens the secrets of an exported profile file
  HARBOR_HA_BACKUP_PASSPHRASE  backup: encrypts the archive (at least 8 characters); keep it safe;
                               restore, rollback: opens it; upgrade: encrypts its backup

Exit status: 0 success, 1 a step failed, 2 bad usage or input.`,
  'zh-CN': `用法：harbor-ha <render|plan|deploy|verify|backup|restore|upgrade|rollback|rotate-cert> --profile FILE [选项]

  render    打印由安装包渲染出的 Harbor 配置，密钥已遮盖
  plan      打印每个步骤及其在各节点上将执行的操作（不做任何更改）
  deploy    执行部署；再次运行时各处均报告 "unchanged"
  verify    只执行验证（容器、健康状态、realm、推送与拉取）
  backup    将加密的备份归档（数据库、密钥材料、配置、集群配置）写入 --to DIR；
            无需本应用，age -d 与 tar 即可打开
  rotate-cert  把 --cert FILE 的证书及其 --key FILE 私钥（或集群配置中的证书）逐个节点放到
            每个节点上，只重启 Harbor 的代理；TLS 在负载均衡终止时，更新固定的证书并检查
            负载均衡是否提供该证书
  restore   将 --from FILE 指定的归档恢复到集群配置所指的集群（原集群或全新节点）：
            停止各节点上的 Harbor、替换数据库、放回密钥、重新安装
  upgrade   用 --installer FILE 将集群升级到 --harbor-version X：先备份到 --to DIR（或用
            --skip-backup 原因 跳过），停止所有节点，先安装节点 1（其 core 迁移数据库结构），
            再安装其他节点；集群配置保存新版本
  rollback  回滚失败的升级运行 --resume RUN_ID：集群配置改回升级前的版本，并恢复该次升级的备份
            （--confirm-restore HOST）

选项：
  --profile FILE              应用导出的集群配置（.harbor-profile.json），或 JSON/YAML 格式的集群配置
  --data-dir DIR              CLI 存放其保险库、已知主机和运行记录的目录
                              （默认：<应用数据>/cli，或 $HARBOR_HA_DATA_DIR/cli）
  --resume RUN_ID             继续一次中断的运行（沿用同一运行记录）
  --only STEP[,STEP]          只运行这些步骤
  --nodes ID[,ID]             只在这些节点上运行（重试失败的节点）
  --existing-database MODE    refuse（默认）| adopt（它属于本集群）| reset（删除它）
  --confirm-reset HOST        与 reset 一起使用：再次输入数据库主机
  --confirm-disruption ID[,ID]  允许此次运行重新安装的正在服务的节点（逐个停止）；
                              会停止其他节点的运行将被拒绝，并列出这些节点
  --install-runtime           用 yum 或 apt 安装缺失的 docker/docker-compose/Python 2
  --to DIR                    backup：归档写入的文件夹
  --keep N                    backup：在该处保留该集群配置最新的 N 个归档（默认 7）
  --cert FILE                 rotate-cert：新证书（PEM，证书链在其后）
  --key FILE                  rotate-cert：其私钥（TLS 在节点上终止时）
  --from FILE                 restore：备份归档（.tar.age）
  --confirm-restore HOST      restore：数据库已有 Harbor 数据或集群正在服务时，再次输入数据库主机；rollback：必需
  --harbor-version X          upgrade：目标版本（例如 2.15.2）
  --installer FILE            upgrade：目标版本的离线安装包
  --skip-backup REASON        upgrade：不备份直接升级（之后无法回滚）；原因会被记录
  --json                      每行输出一个 JSON 事件，而不是文本
  --lang en|zh-CN             消息语言（默认取自 LC_ALL、LC_MESSAGES 或 LANG）

环境变量：
  HARBOR_HA_VAULT_PASSPHRASE   打开（或创建）CLI 的保险库；必需
  HARBOR_HA_PROFILE_PASSPHRASE 打开导出的集群配置文件中的密钥
  HARBOR_HA_BACKUP_PASSPHRASE  backup：加密归档的口令（至少 8 个字符）；请妥善保管；
                               restore、rollback：用它打开归档；upgrade：加密其备份

退出状态：0 成功，1 某个步骤失败，2 用法或输入有误。`,
};
