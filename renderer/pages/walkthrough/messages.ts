import type { Localized } from '../../../shared/i18n/localized';

/** Every string of the deployment walkthrough, in both languages. Step titles and explanations come from the core. */
export const walkthroughMessages = {
  'walk.intro': {
    en: 'Nothing changes on your servers without a preview: open a step to see what it does and exactly which commands, file changes and SQL it would run on a node. Run all is safe to repeat: steps already done report "unchanged".',
    'zh-CN':
      '未经预览，服务器上不会有任何变更：打开一个步骤，即可看到它做什么，以及它将在节点上执行的命令、文件修改和 SQL。“全部执行”可以放心重复：已完成的步骤会显示“无变化”。',
  },
  'walk.profile': { en: 'Cluster', 'zh-CN': '集群' },
  'walk.profile.placeholder': { en: 'Choose a cluster', 'zh-CN': '选择集群' },
  'walk.chooseProfile': { en: 'Choose the cluster to deploy.', 'zh-CN': '请选择要部署的集群。' },
  'walk.noProfiles': { en: 'There is no cluster profile yet: describe your cluster first.', 'zh-CN': '还没有集群配置：请先描述您的集群。' },
  'walk.goProfiles': { en: 'Go to Profiles', 'zh-CN': '前往集群配置' },
  'walk.plan.summary': { en: '{steps} steps on {nodes} nodes', 'zh-CN': '{steps} 个步骤，{nodes} 个节点' },
  'walk.plan.failed': { en: 'The plan of this cluster cannot be shown', 'zh-CN': '无法显示该集群的部署计划' },
  'walk.run.label': { en: 'Run of {time}', 'zh-CN': '{time} 的运行' },
  'walk.run.title': { en: 'Run', 'zh-CN': '执行' },
  'walk.run.state.running': { en: 'Running', 'zh-CN': '运行中' },
  'walk.run.state.finished': { en: 'Finished', 'zh-CN': '已完成' },
  'walk.run.state.failed': { en: 'Failed', 'zh-CN': '失败' },
  'walk.run.state.interrupted': { en: 'Interrupted', 'zh-CN': '已中断' },

  'walk.opt.db': { en: 'Existing Harbor database:', 'zh-CN': '已存在的 Harbor 数据库：' },
  'walk.opt.db.refuse': { en: 'Refuse', 'zh-CN': '拒绝' },
  'walk.opt.db.adopt': { en: 'Use it', 'zh-CN': '沿用' },
  'walk.opt.db.reset': { en: 'Reset', 'zh-CN': '重置' },
  'walk.opt.db.refuse.help': {
    en: 'Stop at preflight if the database already holds a Harbor database this app did not create (the safe default).',
    'zh-CN': '如果数据库中已有不是本应用创建的 Harbor 数据库，则在预检时停止（安全的默认选项）。',
  },
  'walk.opt.db.adopt.help': {
    en: 'Keep the existing Harbor database and its data, and install Harbor on top of it (e.g. reinstalling nodes of a running registry).',
    'zh-CN': '保留现有的 Harbor 数据库及其数据，在其上安装 Harbor（例如为正在使用的镜像仓库重装节点）。',
  },
  'walk.opt.db.reset.help': {
    en: 'Drops the existing Harbor database (every project, user and image record) and imports a fresh one. You will be asked to type the database host.',
    'zh-CN': '删除现有的 Harbor 数据库（所有项目、用户和镜像记录）并导入全新的数据库。您需要输入数据库地址以确认。',
  },
  'walk.opt.runtime': {
    en: 'Install missing Docker / docker-compose / Python 2',
    'zh-CN': '安装缺少的 Docker / docker-compose / Python 2',
  },
  'walk.opt.runtime.help': {
    en: 'Otherwise the run stops and says what to install.',
    'zh-CN': '不勾选时，运行会停止并说明需要安装什么。',
  },

  'walk.action.runAll': { en: 'Run all', 'zh-CN': '全部执行' },
  'walk.action.runAll.help': {
    en: 'A new run of every step on every node. Steps already done are checked and reported "unchanged".',
    'zh-CN': '在所有节点上重新运行全部步骤。已完成的步骤只做检查，并显示“无变化”。',
  },
  'walk.action.runStep': { en: 'Run this step', 'zh-CN': '仅执行此步骤' },
  'walk.action.runStep.help': {
    en: 'Runs only this step: in the run shown when it did not finish, otherwise as a new run.',
    'zh-CN': '只运行此步骤：当前显示的运行未完成时在其中继续，否则作为一次新的运行。',
  },
  'walk.action.skip': { en: 'Skip…', 'zh-CN': '跳过…' },
  'walk.action.skip.help': {
    en: 'Skip this step in the next run, with a reason that is recorded in the run.',
    'zh-CN': '在下一次运行中跳过此步骤，并记录跳过的原因。',
  },
  'walk.action.unskip': { en: 'Do not skip', 'zh-CN': '取消跳过' },
  'walk.action.retryFailed': { en: 'Retry failed nodes ({n})', 'zh-CN': '重试失败的节点（{n}）' },
  'walk.action.retry': { en: 'Retry', 'zh-CN': '重试' },
  'walk.action.retryFailed.help': {
    en: 'Continues this run on the nodes that failed and on those their failure blocked; nodes that completed are left as they are.',
    'zh-CN': '在失败的节点以及因其失败而受阻的节点上继续此次运行；已完成的节点保持不变。',
  },
  'walk.action.retryNode': { en: 'Retry this node', 'zh-CN': '重试此节点' },
  'walk.action.resume': { en: 'Resume', 'zh-CN': '继续运行' },
  'walk.action.resume.help': {
    en: 'This run was interrupted (the app closed, the connection dropped or it was cancelled). Resume continues where it stopped.',
    'zh-CN': '此次运行被中断（应用关闭、连接断开或被取消）。“继续运行”会从中断处接着执行。',
  },
  'walk.action.cancel': { en: 'Cancel run', 'zh-CN': '取消运行' },
  'walk.action.refresh': { en: 'Refresh', 'zh-CN': '刷新' },
  'walk.cancel.confirm': {
    en: 'Stop the run after the commands in flight? It can be resumed later.',
    'zh-CN': '在当前命令完成后停止运行？之后可以继续运行。',
  },
  'walk.cancel.keep': { en: 'Keep running', 'zh-CN': '继续执行' },
  'walk.cancel.notRunning': { en: 'The run had already stopped.', 'zh-CN': '该运行已经停止。' },

  'walk.skip.title': { en: 'Skip "{step}"', 'zh-CN': '跳过“{step}”' },
  'walk.skip.explain': {
    en: 'The next run marks this step skipped on every node and goes on with the following steps. Say why: the reason is kept with the run.',
    'zh-CN': '下一次运行会在所有节点上将此步骤标记为已跳过，并继续后面的步骤。请说明原因：原因会随运行记录保存。',
  },
  'walk.skip.reason': { en: 'Reason', 'zh-CN': '原因' },
  'walk.skip.placeholder': { en: 'e.g. the firewall is managed by the security team', 'zh-CN': '例如：防火墙由安全团队统一管理' },
  'walk.skip.ok': { en: 'Skip in the next run', 'zh-CN': '在下一次运行中跳过' },
  'walk.skip.planned': { en: 'will be skipped', 'zh-CN': '将跳过' },
  'walk.skip.plannedWhy': { en: 'The next run skips this step: {reason}', 'zh-CN': '下一次运行将跳过此步骤：{reason}' },
  'walk.skip.list': { en: 'Skipped in the next run:', 'zh-CN': '下一次运行跳过：' },

  'walk.reset.title': { en: 'Reset the Harbor database?', 'zh-CN': '重置 Harbor 数据库？' },
  'walk.reset.warning': {
    en: 'This drops the Harbor database on {host}: every project, user, permission and image record is lost. Images in OSS stay, but Harbor will no longer know them.',
    'zh-CN': '这会删除 {host} 上的 Harbor 数据库：所有项目、用户、权限和镜像记录都将丢失。OSS 中的镜像文件仍在，但 Harbor 将不再识别它们。',
  },
  'walk.reset.typeHost': { en: 'To confirm, type the database host:', 'zh-CN': '如确认，请输入数据库地址：' },
  'walk.reset.ok': { en: 'Reset and run', 'zh-CN': '重置并运行' },

  'walk.grid.title': { en: 'Steps', 'zh-CN': '步骤' },
  'walk.grid.step': { en: 'Step', 'zh-CN': '步骤' },
  'walk.scope.cluster': { en: 'once for the cluster', 'zh-CN': '整个集群执行一次' },
  'walk.scope.each-node': { en: 'on every node at once', 'zh-CN': '所有节点同时执行' },
  'walk.scope.first-then-rest': { en: 'node 1 first, then the others', 'zh-CN': '先节点 1，再其余节点' },
  'walk.status.none': { en: 'not run', 'zh-CN': '未运行' },
  'walk.status.pending': { en: 'pending', 'zh-CN': '等待中' },
  'walk.status.running': { en: 'running', 'zh-CN': '执行中' },
  'walk.status.succeeded': { en: 'done', 'zh-CN': '已完成' },
  'walk.status.unchanged': { en: 'unchanged', 'zh-CN': '无变化' },
  'walk.status.failed': { en: 'failed', 'zh-CN': '失败' },
  'walk.status.skipped': { en: 'skipped', 'zh-CN': '已跳过' },
  'walk.status.blocked': { en: 'blocked', 'zh-CN': '受阻' },
  'walk.status.interrupted': { en: 'interrupted', 'zh-CN': '已中断' },

  'walk.detail.cluster': { en: 'Cluster', 'zh-CN': '集群' },
  'walk.detail.lastLines': { en: 'Last log lines on this node:', 'zh-CN': '此节点最后的日志：' },

  'walk.preview.title': { en: 'Preview', 'zh-CN': '预览' },
  'walk.preview.refresh': { en: 'Preview again', 'zh-CN': '重新预览' },
  'walk.preview.loading': { en: 'Asking the node what would change…', 'zh-CN': '正在向节点查询将发生的变化…' },
  'walk.preview.failed': { en: 'The preview could not be made', 'zh-CN': '无法生成预览' },
  'walk.preview.empty': { en: 'Nothing to show: this step only checks.', 'zh-CN': '没有可显示的内容：此步骤只做检查。' },
  'walk.preview.commands': { en: 'Commands ({n})', 'zh-CN': '命令（{n} 条）' },
  'walk.preview.file': { en: 'File', 'zh-CN': '文件' },
  'walk.preview.noChange': {
    en: 'No change: the file on the node is already as rendered.',
    'zh-CN': '无变化：节点上的文件已与生成结果一致。',
  },
  'walk.preview.sql': { en: 'SQL', 'zh-CN': 'SQL' },

  'walk.log.title': { en: 'Live log', 'zh-CN': '实时日志' },
  'walk.log.node': { en: 'Node', 'zh-CN': '节点' },
  'walk.log.step': { en: 'Step', 'zh-CN': '步骤' },
  'walk.log.allNodes': { en: 'All nodes', 'zh-CN': '全部节点' },
  'walk.log.allSteps': { en: 'All steps', 'zh-CN': '全部步骤' },
  'walk.log.cluster': { en: 'cluster', 'zh-CN': '集群' },
  'walk.log.search': { en: 'Search the log', 'zh-CN': '搜索日志' },
  'walk.log.empty': {
    en: 'No log yet: the lines of a run appear here as they happen.',
    'zh-CN': '暂无日志：运行时的输出会实时显示在这里。',
  },
  'walk.log.noMatch': { en: 'No line matches the filters.', 'zh-CN': '没有符合筛选条件的日志。' },
  'walk.log.capped': {
    en: 'Showing the newest {shown} of {matched} matching lines; narrow the filters to see others.',
    'zh-CN': '显示 {matched} 条匹配日志中最新的 {shown} 条；缩小筛选范围可查看其他日志。',
  },
  'walk.log.dropped': {
    en: '{n} older lines are not kept on this page; the full log is kept with the run.',
    'zh-CN': '本页面未保留较早的 {n} 行；完整日志随运行记录保存。',
  },

  'walk.history.title': { en: 'Run history', 'zh-CN': '运行记录' },
  'walk.history.empty': { en: 'This cluster has not been deployed yet.', 'zh-CN': '该集群尚未部署过。' },
  'walk.history.started': { en: 'Started', 'zh-CN': '开始时间' },
  'walk.history.updated': { en: 'Last change', 'zh-CN': '最后更新' },
  'walk.history.state': { en: 'State', 'zh-CN': '状态' },
  'walk.history.cells': { en: 'Steps × nodes', 'zh-CN': '步骤 × 节点' },
  'walk.history.open': { en: 'Show', 'zh-CN': '查看' },
  'walk.history.shown': { en: 'Shown', 'zh-CN': '当前显示' },

  'walk.failures.title': {
    en: "{n} failed or interrupted: open one for the node's last log lines and retry",
    'zh-CN': '{n} 处失败或中断：点击查看该节点最后的日志并重试',
  },
  'walk.failures.more': { en: 'and {n} more', 'zh-CN': '另有 {n} 处' },
  'walk.summary.title': { en: 'Harbor is deployed and verified', 'zh-CN': 'Harbor 已部署并通过验证' },
  'walk.summary.body': {
    en: 'Harbor {version} answers at {url} on {nodes} nodes behind the load balancer; a test image was pushed and pulled through it. Images are stored in the OSS bucket {bucket}.',
    'zh-CN':
      'Harbor {version} 已在负载均衡后的 {nodes} 个节点上运行，地址 {url}；已通过负载均衡推送并拉取测试镜像。镜像存储在 OSS 存储桶 {bucket} 中。',
  },
  'walk.summary.copy': { en: 'Copy docker login command', 'zh-CN': '复制 docker login 命令' },
  'walk.summary.copied': { en: 'Copied', 'zh-CN': '已复制' },
  'walk.summary.copyFailed': {
    en: 'Could not copy; select the command and copy it by hand.',
    'zh-CN': '复制失败；请手动选择并复制该命令。',
  },

  // The run's outcome: progress and time, failures grouped across nodes, what to do after success (#16 items 6, 9).
  'walk.progress.title': { en: 'Overall progress', 'zh-CN': '总体进度' },
  'walk.progress.cells': { en: '{done} of {total} steps × nodes', 'zh-CN': '{done} / {total} 个步骤 × 节点' },
  'walk.progress.elapsed': { en: 'elapsed {time}', 'zh-CN': '已用 {time}' },
  'walk.progress.took': { en: 'took {time}', 'zh-CN': '用时 {time}' },
  'walk.progress.estimate': {
    en: 'about {time} left (estimated from earlier runs of this cluster)',
    'zh-CN': '预计还需约 {time}（根据该集群以前的运行估算）',
  },
  'walk.progress.noEstimate': {
    en: 'no estimate yet: some of these steps have not completed in an earlier run of this cluster',
    'zh-CN': '暂无预计时间：其中部分步骤在该集群以前的运行中尚未完成过',
  },
  'walk.failures.eachNode': { en: 'each node', 'zh-CN': '各节点' },
  'walk.failures.nodes': { en: '{n} nodes: {list}', 'zh-CN': '{n} 个节点：{list}' },
  'walk.failures.field': { en: 'Setting: {field}', 'zh-CN': '相关设置：{field}' },
  'walk.failures.editField': { en: 'Edit this field', 'zh-CN': '修改此项' },
  'walk.summary.open': { en: 'Open Harbor', 'zh-CN': '打开 Harbor' },
  'walk.summary.login': {
    en: 'Log in from a Docker client (user admin, or any Harbor user):',
    'zh-CN': '在 Docker 客户端登录（用户 admin，或任一 Harbor 用户）：',
  },
  'walk.summary.next': { en: 'What to do next', 'zh-CN': '接下来' },
  'walk.summary.next.project': {
    en: 'Create a project (Projects → New project) and push your first image to {domain}/PROJECT/IMAGE:TAG.',
    'zh-CN': '创建项目（项目 → 新建项目），并把第一个镜像推送到 {domain}/项目/镜像:标签。',
  },
  'walk.summary.next.robot': {
    en: 'For CI, create a robot account in the project (Robot Accounts) instead of using a person’s password.',
    'zh-CN': 'CI 请在项目中创建机器人账号（机器人账户），不要使用个人密码。',
  },
  'walk.summary.next.robotV1': {
    en: 'For CI, create a dedicated Harbor user with the Developer role on the project (Harbor 1.5 has no robot accounts; they came in 1.7).',
    'zh-CN': 'CI 请创建专用的 Harbor 用户并在项目中授予开发者角色（Harbor 1.5 没有机器人账号，1.7 才引入）。',
  },
  'walk.summary.next.replication': {
    en: 'To copy images from or to another registry, add it as an endpoint and create a replication rule (Administration → Registries, Replications).',
    'zh-CN': '如需与其他镜像仓库互相复制镜像，先添加目标仓库，再创建复制规则（系统管理 → 仓库管理、复制管理）。',
  },
  'walk.summary.next.replicationV1': {
    en: 'To copy images to another registry, add it under Administration → Registries and create a replication rule (Replication).',
    'zh-CN': '如需把镜像复制到其他镜像仓库，请在系统管理 → 仓库管理中添加，再创建复制规则（复制管理）。',
  },
  'walk.log.download': { en: 'Download the run log', 'zh-CN': '下载运行日志' },
  'walk.log.downloadFailed': { en: 'The run log could not be read: {why}', 'zh-CN': '无法读取运行日志：{why}' },
  'walk.history.superseded': {
    en: 'A newer run exists: only the newest run of a cluster can be resumed.',
    'zh-CN': '已有更新的运行：只有集群最新的一次运行可以继续。',
  },
  // the whole-plan check and the consent to stop serving nodes (#16 items 4, 5)
  'walk.status.passed': { en: 'passed', 'zh-CN': '已通过' },
  'walk.action.check': { en: 'Check plan', 'zh-CN': '检查计划' },
  'walk.action.check.help': {
    en: 'Asks every node what each step would change now, without changing anything (like Ansible’s --check --diff).',
    'zh-CN': '向每个节点查询各步骤此时会做哪些修改，不做任何修改（类似 Ansible 的 --check --diff）。',
  },
  'walk.check.title': { en: 'Plan check', 'zh-CN': '计划检查' },
  'walk.check.summary': {
    en: 'Checked {time}: {change} cells will change, {same} unchanged, {pass} checks pass, {fail} fail, {needs} wait for an earlier step.',
    'zh-CN': '检查于 {time}：{change} 项将变更，{same} 项无变化，{pass} 项检查通过，{fail} 项未通过，{needs} 项需先完成之前的步骤。',
  },
  'walk.check.disrupts': {
    en: 'A run would reinstall Harbor on {n} serving node(s), one at a time: {nodes}.',
    'zh-CN': '运行将逐个在 {n} 个正在提供服务的节点上重新安装 Harbor：{nodes}。',
  },
  'walk.check.dismiss': { en: 'Show the last run', 'zh-CN': '显示上次运行' },
  'walk.check.status.will-change': { en: 'will change', 'zh-CN': '将变更' },
  'walk.check.status.unchanged': { en: 'unchanged', 'zh-CN': '无变化' },
  'walk.check.status.passes': { en: 'passes', 'zh-CN': '通过' },
  'walk.check.status.fails': { en: 'fails', 'zh-CN': '未通过' },
  'walk.check.status.needs': { en: 'needs {steps} first', 'zh-CN': '需先完成{steps}' },
  'walk.check.status.error': { en: 'cannot check', 'zh-CN': '无法检查' },
  'walk.check.changes': { en: 'commands {commands}, files {files}, SQL {sql}', 'zh-CN': '命令 {commands}，文件 {files}，SQL {sql}' },
  'walk.check.reinstall': { en: 'stops Harbor here', 'zh-CN': '会停止此处的 Harbor' },
  'walk.disrupt.title': { en: 'Reinstall serving nodes?', 'zh-CN': '重新安装正在提供服务的节点？' },
  'walk.disrupt.intro': {
    en: 'This run reinstalls Harbor on nodes that serve clients now. Each stops for its install while the load balancer sends clients to the others; one node is down at a time.',
    'zh-CN':
      '此次运行会在正在为客户端提供服务的节点上重新安装 Harbor。每个节点在安装期间停止服务，负载均衡把客户端转到其他节点；同一时间只有一个节点停止。',
  },
  'walk.disrupt.node': { en: '{node}: down for about {time}', 'zh-CN': '{node}：停止约 {time}' },
  'walk.disrupt.measured': {
    en: 'measured: that step took this long on {node} in the run of {when}',
    'zh-CN': '实测：在 {when} 的运行中该步骤在 {node} 上用时如此',
  },
  'walk.disrupt.estimate': {
    en: 'an estimate: no run has installed Harbor on this cluster yet (stopping, prepare and starting take 1–3 minutes)',
    'zh-CN': '估计值：此集群尚无运行安装过 Harbor（停止、prepare 与启动需要 1–3 分钟）',
  },
  'walk.disrupt.ok': { en: 'Reinstall these nodes', 'zh-CN': '重新安装这些节点' },
  'walk.disrupt.checking': { en: 'Checking which nodes the run would stop…', 'zh-CN': '正在检查运行会停止哪些节点…' },
  'walk.time.seconds': { en: '{n} s', 'zh-CN': '{n} 秒' },
  'walk.time.minutes': { en: '{n} min', 'zh-CN': '{n} 分钟' },
} as const satisfies Record<string, Localized>;
