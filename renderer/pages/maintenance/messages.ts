import type { Localized } from '../../../shared/i18n/localized';

/** Every string of the Maintenance page, in both languages. Step titles and explanations come from the core. */
export const maintenanceMessages = {
  'maint.intro': {
    en: 'Day-two work on a deployed cluster. A backup dumps the Harbor database on node 1 with the client in Harbor’s own image, adds the key material every node shares, the rendered configuration and this profile, and writes one archive encrypted with your passphrase to a folder on this computer. Harbor keeps serving; the images stay in OSS.',
    'zh-CN':
      '对已部署集群的日常运维。备份会在节点 1 上用 Harbor 自带镜像中的客户端导出 Harbor 数据库，连同各节点共享的密钥材料、渲染后的配置和本集群配置，写入本机文件夹中一个用您的口令加密的归档。Harbor 持续服务；镜像仍保存在 OSS 中。',
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
} as const satisfies Record<string, Localized>;
