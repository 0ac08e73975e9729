import type { Localized } from '../../../shared/i18n/localized';

/** Every string of the Maintenance page, in both languages. Step titles and explanations come from the core. */
export const maintenanceMessages = {
  'maint.intro': {
    en: 'Day-two work on a deployed cluster. A backup dumps the Harbor database on node 1 with the client in Harbor’s own image, adds the key material every node shares, the rendered configuration and this profile, and writes one archive encrypted with your passphrase to a folder on this computer. Harbor keeps serving; the images stay in OSS. An archive restores into this cluster or, for a drill, into a new profile on fresh nodes; an upgrade backs up first and can be rolled back.',
    'zh-CN':
      '对已部署集群的日常运维。备份会在节点 1 上用 Harbor 自带镜像中的客户端导出 Harbor 数据库，连同各节点共享的密钥材料、渲染后的配置和本集群配置，写入本机文件夹中一个用您的口令加密的归档。Harbor 持续服务；镜像仍保存在 OSS 中。归档可恢复到本集群，或为演练恢复到全新节点上的新集群配置；升级会先备份，并可回滚。',
  },
  'maint.profile': { en: 'Cluster', 'zh-CN': '集群' },
  'maint.chooseProfile': { en: 'Choose the cluster to maintain.', 'zh-CN': '请选择要维护的集群。' },
  'maint.noProfiles': {
    en: 'Backups of a deployed cluster are made here. There is no cluster profile yet: describe and deploy your cluster first.',
    'zh-CN': '这里用于备份已部署的集群。还没有集群配置：请先描述并部署您的集群。',
  },
  'maint.backup.title': { en: 'Back up', 'zh-CN': '备份' },
  'maint.backup.folder': { en: 'Folder for the archives', 'zh-CN': '归档保存文件夹' },
  'maint.backup.folder.help': {
    en: 'An existing folder on the computer running the app (for serve mode, its host); an external disk or a synced folder is a good place.',
    'zh-CN': '运行本应用的计算机上已存在的文件夹（serve 模式下为其主机）；外接磁盘或同步文件夹是不错的选择。',
  },
  'maint.backup.keep': { en: 'Archives to keep', 'zh-CN': '保留归档数' },
  'maint.backup.keep.help': {
    en: 'After a verified backup, older archives of this cluster beyond this number are removed from the folder; nothing else there is touched.',
    'zh-CN': '备份校验通过后，超出此数量的本集群旧归档会从文件夹中删除；文件夹中的其他文件不受影响。',
  },
  'maint.backup.passphrase': { en: 'Passphrase', 'zh-CN': '口令' },
  'maint.backup.passphrase.help': {
    en: 'Encrypts the archive (age) and seals the profile’s secrets inside it. The app does not keep it: without it the archive cannot be opened.',
    'zh-CN': '用于加密归档（age）并封存其中集群配置的密钥。本应用不会保存它：没有它将无法打开归档。',
  },
  'maint.backup.repeat': { en: 'Passphrase again', 'zh-CN': '再次输入口令' },
  'maint.backup.mismatch': {
    en: 'The two passphrases differ: type the same one twice.',
    'zh-CN': '两次输入的口令不一致：请输入相同的口令。',
  },
  'maint.backup.short': { en: 'At least 8 characters.', 'zh-CN': '至少 8 个字符。' },
  'maint.backup.folderMissing': { en: 'Enter the folder the archive goes to.', 'zh-CN': '请输入归档保存的文件夹。' },
  'maint.backup.start': { en: 'Back up now', 'zh-CN': '立即备份' },
  'maint.backup.resume': { en: 'Resume', 'zh-CN': '继续' },
  'maint.backup.resume.help': {
    en: 'The dump already on node 1 is reused. Enter the passphrase again: the app does not keep it.',
    'zh-CN': '会沿用节点 1 上已有的导出文件。请再次输入口令：本应用不会保存它。',
  },
  'maint.backup.cancel': { en: 'Cancel', 'zh-CN': '取消' },
  'maint.run.title': { en: 'Backup run of {time}', 'zh-CN': '{time} 的备份运行' },
  'maint.run.none': { en: 'No backup of this cluster yet.', 'zh-CN': '该集群还没有备份。' },
  'maint.run.log': { en: 'Log', 'zh-CN': '日志' },
  'maint.history.title': { en: 'Backup runs', 'zh-CN': '备份运行记录' },
  'maint.history.started': { en: 'Started', 'zh-CN': '开始时间' },
  'maint.history.state': { en: 'State', 'zh-CN': '状态' },
  'maint.archives.title': { en: 'Archives in the folder', 'zh-CN': '文件夹中的归档' },
  'maint.archives.empty': { en: 'No archive of this cluster in this folder.', 'zh-CN': '此文件夹中没有该集群的归档。' },
  'maint.archives.name': { en: 'Archive', 'zh-CN': '归档' },
  'maint.archives.size': { en: 'Size', 'zh-CN': '大小' },
  'maint.archives.time': { en: 'Written', 'zh-CN': '写入时间' },
  'maint.archives.refresh': { en: 'Refresh', 'zh-CN': '刷新' },
  'maint.verify': { en: 'Verify', 'zh-CN': '校验' },
  'maint.verify.title': { en: 'Verify {name}', 'zh-CN': '校验 {name}' },
  'maint.verify.help': {
    en: 'Decrypts the archive and reads it once, checking every member against its manifest. Nothing is restored.',
    'zh-CN': '解密归档并完整读取一次，按清单逐一校验各成员。不会进行任何恢复。',
  },
  'maint.verify.ok': {
    en: 'Verified: {parts} members, {bytes} read. Harbor {version}, made {time}.',
    'zh-CN': '校验通过：{parts} 个成员，读取 {bytes}。Harbor {version}，生成于 {time}。',
  },
  'maint.verify.storage': { en: 'OSS versioning when it was made: {state}', 'zh-CN': '生成时 OSS 版本控制：{state}' },
  'maint.verify.member': { en: 'Member', 'zh-CN': '成员' },
  'maint.verify.kind': { en: 'Kind', 'zh-CN': '类型' },
  // ── restore ──
  'maint.run.title.restore': { en: 'Restore run of {time}', 'zh-CN': '{time} 的恢复运行' },
  'maint.restore': { en: 'Restore…', 'zh-CN': '恢复…' },
  'maint.restore.other': { en: 'Restore an archive…', 'zh-CN': '恢复归档…' },
  'maint.restore.title': { en: 'Restore into {cluster}', 'zh-CN': '恢复到 {cluster}' },
  'maint.restore.resumeTitle': { en: 'Resume the restore into {cluster}', 'zh-CN': '继续恢复到 {cluster}' },
  'maint.restore.what': {
    en: 'The archive is read whole first: if the passphrase or any byte is wrong, nothing changes anywhere. Then Harbor is stopped on every node, the Harbor database on {host} is replaced with the archive’s, the archive’s key material goes to every node, and Harbor is installed on node 1 first, then on the others, and verified with a push and a pull through the load balancer. Images are not in the archive: they stay in OSS. To drill a disaster recovery, restore into a new profile whose nodes and database are fresh.',
    'zh-CN':
      '首先完整读取归档：口令错误或任一字节损坏时，任何地方都不会被修改。随后停止每个节点上的 Harbor，用归档中的数据替换 {host} 上的 Harbor 数据库，把归档中的密钥材料放到每个节点，先在节点 1 上安装 Harbor，再安装其他节点，最后通过负载均衡推送并拉取镜像进行验证。镜像不在归档中：它们保存在 OSS。如需演练灾难恢复，请恢复到节点和数据库都是全新的新集群配置中。',
  },
  'maint.restore.archive': { en: 'Archive', 'zh-CN': '归档' },
  'maint.restore.confirm': { en: 'Database host, typed again', 'zh-CN': '再次输入数据库地址' },
  'maint.restore.confirm.help': {
    en: 'Needed when {host} already holds Harbor data or the cluster serves: everything written there after the backup is replaced.',
    'zh-CN': '当 {host} 已有 Harbor 数据或集群正在服务时需要填写：备份之后写入的所有内容都会被替换。',
  },
  'maint.restore.start': { en: 'Restore', 'zh-CN': '恢复' },
  // ── upgrade ──
  'maint.run.title.upgrade': { en: 'Upgrade run of {time}', 'zh-CN': '{time} 的升级运行' },
  'maint.upgrade.title': { en: 'Upgrade', 'zh-CN': '升级' },
  'maint.upgrade.what': {
    en: 'The cluster runs Harbor {version}. An upgrade backs up first, unpacks the new installer on every node while Harbor serves, then stops every node, installs node 1 first (its core migrates the database schema, which cannot go back) and the others after it, and verifies through the load balancer. If node 1 fails, Roll back restores that backup and reinstalls {version}.',
    'zh-CN':
      '集群运行 Harbor {version}。升级会先备份，在 Harbor 继续服务时把新安装包解压到每个节点，然后停止所有节点，先安装节点 1（其 core 会迁移数据库结构，迁移不可回退），再安装其他节点，最后经负载均衡验证。若节点 1 失败，“回滚”会恢复该备份并重新安装 {version}。',
  },
  'maint.upgrade.version': { en: 'Version to upgrade to', 'zh-CN': '目标版本' },
  'maint.upgrade.versionFormat': { en: 'A release version such as 2.15.2.', 'zh-CN': '请填写发布版本号，例如 2.15.2。' },
  'maint.upgrade.installer': { en: 'Its offline installer', 'zh-CN': '目标版本的离线安装包' },
  'maint.upgrade.installer.help': {
    en: 'harbor-offline-installer-v<version>.tgz on the computer running the app; its sha256 is shown in the first step.',
    'zh-CN': '运行本应用的计算机上的 harbor-offline-installer-v<版本>.tgz；第一步会显示其 sha256。',
  },
  'maint.upgrade.installerMissing': { en: 'Enter the path of the installer.', 'zh-CN': '请输入安装包路径。' },
  'maint.upgrade.backupFirst': { en: 'Back up first, into {folder}', 'zh-CN': '先备份到 {folder}' },
  'maint.upgrade.skip': { en: 'Skip the backup', 'zh-CN': '跳过备份' },
  'maint.upgrade.reason': { en: 'Why the backup is skipped', 'zh-CN': '跳过备份的原因' },
  'maint.upgrade.reason.help': {
    en: 'Recorded with the run. Without a backup of its own, a failed upgrade cannot be rolled back by the app.',
    'zh-CN': '会随运行记录保存。没有本次的备份，升级失败时应用无法回滚。',
  },
  'maint.upgrade.reasonShort': { en: 'Say why in at least 10 characters.', 'zh-CN': '请用至少 10 个字符说明原因。' },
  'maint.upgrade.start': { en: 'Upgrade', 'zh-CN': '升级' },
  'maint.upgrade.v1': {
    en: 'Harbor 1.5 keeps its data in MySQL, which Harbor 2.x cannot use, so no single upgrade reaches 2.x: the route is 1.5 → 1.6 (Harbor’s migrator image moves the data to PostgreSQL), 1.6 → 1.10, 1.10 → 2.0, then 2.0 → 2.x, each an install of its own with Harbor’s migrator (docs/maintenance.md). The app does not automate it; deploy a 2.x profile and move the projects with Harbor’s replication instead when that is simpler.',
    'zh-CN':
      'Harbor 1.5 的数据在 MySQL 中，Harbor 2.x 无法使用，因此无法一步升级到 2.x：路线为 1.5 → 1.6（Harbor 的迁移镜像把数据迁到 PostgreSQL）、1.6 → 1.10、1.10 → 2.0，再 2.0 → 2.x，每一步都是一次单独的安装并使用 Harbor 的迁移工具（docs/maintenance.md）。本应用不自动执行；若更简单，可以部署一个 2.x 集群配置，再用 Harbor 的复制功能迁移项目。',
  },
  'maint.rollback': { en: 'Roll back…', 'zh-CN': '回滚…' },
  'maint.rollback.title': { en: 'Roll back this upgrade', 'zh-CN': '回滚此次升级' },
  'maint.rollback.help': {
    en: 'Sets the profile back to the version the upgrade came from and restores the backup it took first: Harbor stopped everywhere, the database as it was, the old version installed on every node. Enter the backup’s passphrase.',
    'zh-CN':
      '把集群配置改回升级前的版本，并恢复升级前所做的备份：停止所有节点上的 Harbor，数据库恢复原状，每个节点重新安装旧版本。请输入备份的口令。',
  },
  // ── certificate rotation ──
  'maint.run.title.rotate-cert': { en: 'Certificate rotation of {time}', 'zh-CN': '{time} 的证书轮换' },
  'maint.cert.title': { en: 'Certificate', 'zh-CN': '证书' },
  'maint.cert.http': {
    en: 'This cluster serves plain http: there is no certificate to rotate. Switch the profile to https (Access) and deploy first.',
    'zh-CN': '此集群使用 http 提供服务：没有可轮换的证书。请先在集群配置中改为 https（访问）并部署。',
  },
  'maint.cert.nodes': {
    en: 'TLS ends on the nodes. The new certificate and key are checked, saved into the profile, then put on one node at a time: only its proxy restarts, and the next node waits until it is healthy and presents the new certificate, so {domain} keeps serving throughout. A node that fails stops the rollout with the others still serving.',
    'zh-CN':
      'TLS 在节点上终止。新证书与私钥经检查后保存到集群配置，然后逐个节点放置：只重启该节点的代理，下一个节点要等它恢复健康并提供新证书后才开始，因此 {domain} 全程持续服务。某个节点失败会停止滚动，其他节点继续服务。',
  },
  'maint.cert.lb': {
    en: 'TLS ends at the load balancer, which holds the certificate and its key: install the new one on its HTTPS listener. Here the app only updates the certificate it pins in the profile, then checks that {domain} presents it. No node changes.',
    'zh-CN':
      'TLS 在负载均衡终止，证书及私钥都在负载均衡上：请在其 HTTPS 监听上安装新证书。此处应用只更新配置中固定的证书，然后检查 {domain} 是否提供该证书。节点不做任何修改。',
  },
  'maint.cert.certificate': { en: 'New certificate (PEM)', 'zh-CN': '新证书（PEM）' },
  'maint.cert.certificate.help': {
    en: 'The server’s certificate first, then each issuer in turn. It must name the registry’s domain and not be expired.',
    'zh-CN': '服务器证书在前，然后依次为各级签发者。证书必须包含镜像仓库域名且未过期。',
  },
  'maint.cert.fromFile': { en: 'Read from a file…', 'zh-CN': '从文件读取…' },
  'maint.cert.generate': { en: 'Generate self-signed', 'zh-CN': '生成自签名证书' },
  'maint.cert.generated': { en: 'generated by the app', 'zh-CN': '由应用生成' },
  'maint.cert.key': { en: 'Its private key', 'zh-CN': '对应的私钥' },
  'maint.cert.key.help': {
    en: 'Read from its file by the app and kept in the vault; it never reaches this page.',
    'zh-CN': '由应用从文件读取并保存在保险库中；私钥不会传到本页面。',
  },
  'maint.cert.keyFile': { en: 'Choose the key file…', 'zh-CN': '选择私钥文件…' },
  'maint.cert.keyHeld': { en: 'key held: {from}', 'zh-CN': '已持有私钥：{from}' },
  'maint.cert.rotate': { en: 'Rotate on every node', 'zh-CN': '在所有节点上轮换' },
  'maint.cert.pin': { en: 'Update the pin and check', 'zh-CN': '更新固定证书并检查' },
  // ── certificate rotation: a key and CSR made by the app ──
  'maint.cert.csr': { en: 'Generate a key and CSR', 'zh-CN': '生成私钥和 CSR' },
  'maint.cert.csr.title': { en: 'Certificate signing request for {domain}', 'zh-CN': '{domain} 的证书签名请求' },
  'maint.cert.csr.body': {
    en: 'Send this CSR to your CA, then paste the certificate it returns above (or read it from a file) and rotate. The app holds the new key meanwhile (for an hour, not across a restart); it never reaches this page.',
    'zh-CN':
      '将此 CSR 发给您的 CA，然后把 CA 返回的证书粘贴到上方（或从文件读取）并轮换。在此期间由应用保留新私钥（一小时内有效，应用重启后失效）；私钥不会传到本页面。',
  },
} as const satisfies Record<string, Localized>;
