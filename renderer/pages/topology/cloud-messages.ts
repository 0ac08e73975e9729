/** Strings of the Topology page's Aliyun panel, spread into the catalog in renderer/i18n/messages.ts. */
export const cloudMessages = {
  'cloud.open': { en: 'Aliyun resources', 'zh-CN': '阿里云资源' },
  'cloud.title': { en: 'Aliyun resources of {name}', 'zh-CN': '{name} 的阿里云资源' },
  'cloud.loading': { en: 'Asking Aliyun…', 'zh-CN': '正在查询阿里云…' },
  'cloud.reload': { en: 'Read again', 'zh-CN': '重新读取' },
  'cloud.region': { en: 'Region {region}', 'zh-CN': '地域 {region}' },
  'cloud.lb': { en: 'Load balancer {id}', 'zh-CN': '负载均衡 {id}' },
  'cloud.lb.none': {
    en: 'The load balancer is not a CLB with an instance id, so the app does not manage it (ALB: not yet).',
    'zh-CN': '负载均衡不是填写了实例 ID 的 CLB，应用不管理它（ALB：暂不支持）。',
  },
  'cloud.listeners': { en: 'Listeners', 'zh-CN': '监听' },
  'cloud.listener.check': { en: 'health check {check}', 'zh-CN': '健康检查 {check}' },
  'cloud.listener.sticky': { en: 'sticky sessions', 'zh-CN': '会话保持' },
  'cloud.backends': { en: 'Backends', 'zh-CN': '后端服务器' },
  'cloud.col.node': { en: 'Node', 'zh-CN': '节点' },
  'cloud.col.instance': { en: 'ECS instance', 'zh-CN': 'ECS 实例' },
  'cloud.col.weight': { en: 'Weight', 'zh-CN': '权重' },
  'cloud.col.health': { en: 'Health', 'zh-CN': '健康状态' },
  'cloud.col.address': { en: 'Address', 'zh-CN': '地址' },
  'cloud.col.admitted': { en: 'Let in by', 'zh-CN': '放行条目' },
  'cloud.notAttached': {
    en: 'Not a backend of the load balancer: {nodes}',
    'zh-CN': '不是该负载均衡的后端服务器：{nodes}',
  },
  'cloud.noInstance': {
    en: "No ECS instance in the region has the address of: {nodes} (check the node's private address)",
    'zh-CN': '该地域中没有 ECS 实例使用以下节点的地址：{nodes}（请检查节点的内网地址）',
  },
  'cloud.whitelist': { en: '{service} {id} whitelist', 'zh-CN': '{service} {id} 白名单' },
  'cloud.refused': { en: 'refused', 'zh-CN': '会被拒绝' },
  'cloud.noAddress': { en: 'address unknown: enter its private address', 'zh-CN': '地址未知：请填写其内网地址' },
  'cloud.allow': { en: 'Allow the nodes', 'zh-CN': '放行节点' },
  'cloud.allow.title': { en: 'Add to the {service} whitelist?', 'zh-CN': '加入 {service} 白名单？' },
  'cloud.allow.body': {
    en: 'The app appends {addresses} to its own group harbor_ha of {id} (ModifySecurityIps, Append). No other group is changed; the change is recorded in Activity.',
    'zh-CN':
      '应用将把 {addresses} 追加到 {id} 中它自己的分组 harbor_ha（ModifySecurityIps，Append）。不会改动其他分组；此操作会记录在“活动”中。',
  },
  'cloud.allow.ok': { en: 'Add', 'zh-CN': '添加' },
  'cloud.allowed': { en: 'The nodes are in the whitelist now.', 'zh-CN': '节点已在白名单中。' },
  'cloud.policy': { en: 'RAM policy', 'zh-CN': 'RAM 策略' },
  'cloud.policy.key': {
    en: "Grant this policy to the AccessKey's RAM user: exactly the actions the app calls for this cluster.",
    'zh-CN': '请把此策略授予该 AccessKey 的 RAM 用户：它正好列出应用为此集群调用的操作。',
  },
  'cloud.policy.role': {
    en: 'The key assumes the role: give the key the first policy, the role the second.',
    'zh-CN': '该 AccessKey 会扮演角色：第一段策略授予 AccessKey，第二段授予角色。',
  },
  'cloud.policy.copy': { en: 'Copy', 'zh-CN': '复制' },
  'cloud.unread': { en: 'Could not read {what}', 'zh-CN': '无法读取 {what}' },
} as const satisfies Record<string, { en: string; 'zh-CN': string }>;
