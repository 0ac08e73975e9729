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
} as const satisfies Record<string, Localized>;
