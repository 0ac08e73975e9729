import type { Localized } from '../../../shared/i18n/localized';

/** Strings of the profile form's guidance, tests and TLS tools, in both languages. */
export const profileFormMessages = {
  'secret.chooseFile': { en: 'Choose file…', 'zh-CN': '选择文件…' },
  'secret.pemPlaceholder': {
    en: 'Paste the PEM text (-----BEGIN PRIVATE KEY----- …), or choose the file',
    'zh-CN': '粘贴 PEM 文本（-----BEGIN PRIVATE KEY----- …），或选择文件',
  },
  'files.pick.title': { en: 'Choose a file on the computer running the app', 'zh-CN': '选择运行本应用的计算机上的文件' },
  'files.pick.body': {
    en: 'Type its path; folders and files are completed as you type. The app reads the file itself: its content is not shown here.',
    'zh-CN': '输入文件路径，输入时会自动补全文件夹和文件。应用会自行读取该文件，内容不会显示在这里。',
  },
  'files.pick.ok': { en: 'Use this file', 'zh-CN': '使用此文件' },

  'outline.title': { en: 'Sections', 'zh-CN': '分区' },
  'outline.ok': { en: 'complete', 'zh-CN': '已完成' },
  'outline.todo': { en: '{count} to fill in or fix', 'zh-CN': '{count} 项待填写或修正' },
  'summary.title': { en: 'Fix these before saving', 'zh-CN': '保存前请修正以下问题' },
  'summary.other': { en: 'Other', 'zh-CN': '其他' },
  'summary.goto': { en: 'Go to the field', 'zh-CN': '跳到该字段' },
  /** Between a field's name and its problem: each language's own colon. */
  'summary.sep': { en: ': ', 'zh-CN': '：' },

  'tls.cert.subject': { en: 'Subject', 'zh-CN': '主题' },
  'tls.cert.issuer': { en: 'Issuer', 'zh-CN': '颁发者' },
  'tls.cert.names': { en: 'Names (SAN)', 'zh-CN': '名称（SAN）' },
  'tls.cert.validity': { en: 'Valid', 'zh-CN': '有效期' },
  'tls.cert.validRange': { en: '{from} to {to} ({days} days left)', 'zh-CN': '{from} 至 {to}（剩余 {days} 天）' },
  'tls.cert.expired': { en: 'expired on {to}', 'zh-CN': '已于 {to} 过期' },
  'tls.cert.fingerprint': { en: 'SHA-256', 'zh-CN': 'SHA-256' },
  'tls.cert.selfSigned': { en: 'self-signed: clients must trust it explicitly', 'zh-CN': '自签名：客户端必须显式信任它' },
  'tls.cert.chain': { en: '{count} certificates in the chain', 'zh-CN': '证书链中有 {count} 张证书' },
  'tls.cert.domainOk': { en: 'valid for {domain}', 'zh-CN': '适用于 {domain}' },
  'tls.cert.domainBad': { en: 'not valid for {domain}', 'zh-CN': '不适用于 {domain}' },
  'tls.cert.keyOk': { en: 'the private key matches', 'zh-CN': '私钥匹配' },
  'tls.cert.keyBad': { en: 'the private key does not match', 'zh-CN': '私钥不匹配' },
  'tls.cert.keyUnknown': { en: 'key not compared (none entered, or the vault is locked)', 'zh-CN': '未比对私钥（未输入，或保险库已锁定）' },
  'tls.generate': { en: 'Generate…', 'zh-CN': '生成…' },
  'tls.generate.title': { en: 'A certificate for {domain}', 'zh-CN': '为 {domain} 生成证书' },
  'tls.generate.selfSigned': { en: 'Self-signed certificate', 'zh-CN': '自签名证书' },
  'tls.generate.selfSigned.help': {
    en: 'For a lab or an internal registry: every Docker client must then trust this certificate (/etc/docker/certs.d/<domain>/ca.crt).',
    'zh-CN': '适用于实验环境或内部仓库：之后每个 Docker 客户端都必须信任此证书（/etc/docker/certs.d/<域名>/ca.crt）。',
  },
  'tls.generate.csr': { en: 'Certificate signing request (CSR) for your CA', 'zh-CN': '给 CA 的证书签名请求（CSR）' },
  'tls.generate.csr.help': {
    en: 'The app keeps the new private key for this profile; hand the CSR to your CA and paste the certificate it returns here.',
    'zh-CN': '应用会为此集群配置保存新的私钥；把 CSR 交给您的 CA，然后把返回的证书粘贴到这里。',
  },
  'tls.generate.days': { en: 'Valid for (days)', 'zh-CN': '有效期（天）' },
  'tls.generate.ok': { en: 'Generate', 'zh-CN': '生成' },
  'tls.generate.needDomain': { en: 'Enter the domain first.', 'zh-CN': '请先输入域名。' },
  'tls.generate.done': {
    en: 'A new key is ready for this profile (saved with it); the certificate field holds the new certificate.',
    'zh-CN': '已为此集群配置准备好新私钥（随配置一起保存）；证书字段中已是新证书。',
  },
  'tls.csr.title': { en: 'Certificate signing request', 'zh-CN': '证书签名请求' },
  'tls.csr.body': {
    en: 'Send this CSR to your CA. The matching private key is kept with this profile when you save it: paste the certificate you get back into the certificate field.',
    'zh-CN': '将此 CSR 发给您的 CA。保存集群配置时会一并保存对应的私钥：请把 CA 返回的证书粘贴到证书字段中。',
  },
  'tls.csr.copy': { en: 'Copy CSR', 'zh-CN': '复制 CSR' },
  'tls.csr.download': { en: 'Download .csr', 'zh-CN': '下载 .csr' },

  'formTest.node': { en: 'Test connection', 'zh-CN': '测试连接' },
  'formTest.all': { en: 'Test all nodes', 'zh-CN': '测试所有节点' },
  'formTest.service': { en: 'Test from {node}', 'zh-CN': '从 {node} 测试' },
  'formTest.ok': { en: '{target}: {detail} ({ms} ms)', 'zh-CN': '{target}：{detail}（{ms} 毫秒）' },
  'formTest.from': { en: 'Reached from {node}', 'zh-CN': '从 {node} 访问' },
  'formTest.edit': { en: 'Go to the field', 'zh-CN': '跳到该字段' },
  'formTest.keys.title': { en: 'New host keys: compare before trusting', 'zh-CN': '新的主机密钥：信任前请核对' },
  'formTest.keys.body': {
    en: 'These hosts are not known yet. Compare each fingerprint with the one the server prints (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub). No password was sent to any of them.',
    'zh-CN':
      '以下主机尚未记录。请逐一与服务器上打印的指纹核对（ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub）。尚未向其中任何主机发送密码。',
  },
  'formTest.keys.trust': { en: 'Trust these keys and test again', 'zh-CN': '信任这些密钥并重新测试' },

  'account.missing': {
    en: 'The account "{user}" that Harbor connects with does not exist on {host}. The app can create it now with the admin account (the password is sent as a SCRAM verifier, never in clear), or a DBA can run:',
    'zh-CN':
      'Harbor 连接使用的账号“{user}”在 {host} 上不存在。应用可以现在用管理员账号创建它（密码以 SCRAM 校验值发送，从不以明文发送），或者由 DBA 执行：',
  },
  'account.create': { en: 'Create the account', 'zh-CN': '创建账号' },
  'account.copy': { en: 'Copy SQL', 'zh-CN': '复制 SQL' },
  'account.confirm.title': { en: 'Create "{user}" on {host}?', 'zh-CN': '在 {host} 上创建“{user}”？' },
  'account.confirm.body': {
    en: 'The app logs in as the admin account from node 1 and creates a login role with the Harbor password of this form. Nothing else changes.',
    'zh-CN': '应用将从节点 1 以管理员账号登录，并用此表单中的 Harbor 密码创建一个可登录的角色。不会做其他更改。',
  },
  'account.created': { en: 'Account "{user}" created', 'zh-CN': '已创建账号“{user}”' },
  'dbport.mismatch': {
    en: 'Port {port} is the usual {other} port; {engine} usually listens on {usual}. Check the port (or the engine of this Harbor version).',
    'zh-CN': '{port} 是 {other} 的常用端口；{engine} 通常监听 {usual}。请检查端口（或此 Harbor 版本使用的数据库类型）。',
  },
} as const satisfies Record<string, Localized>;
