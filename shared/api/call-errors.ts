/**
 * The error codes each call and stream of the contract can answer, and when: what clients can
 * expect, and what docs/api.md says (build/api-docs.ts). Every name of the contract must be here
 * (the type says so), so a new call does not compile until someone has said how it fails.
 *
 * A stream's errors either refuse the subscription or end it (an `error` message). Codes every
 * call can answer are in EVERY_CALL, not repeated below unless a call gives them a meaning of its own.
 */
import type { ApiErrorCode } from '../errors';
import type { Contract } from './contract';

/** Error code → when it is answered, for people (English: the documentation's language). */
export type ErrorCases = Readonly<Partial<Record<ApiErrorCode, string>>>;

export const EVERY_CALL: ErrorCases = {
  invalid_input: 'the input does not fit the schema, or is over 7 MiB as JSON; `issues` has one entry per field',
  internal: 'anything unexpected; the message carries only a reference into the app log',
};

const SSH_CAUSE = '`reason` is the cause (`refused`, `timeout`, `auth`, `host_key_unknown`, `host_key_changed`, …), `node` the node';
const NO_PROFILE = 'no profile has this id';

export const CALL_ERRORS = {
  'app.info': {},
  'app.diagnostics': {},
  'app.openLogsFolder': {
    conflict: 'not the desktop app (`no_desktop`): a browser cannot open folders; or the file manager refused (`open_failed`)',
  },
  'app.clock': {},

  'vault.status': {},
  'vault.setup': {
    vault:
      'set up already (`already_initialized`), or the passphrase is under 8 characters, or missing where there is no keyring (`weak_passphrase`)',
  },
  'vault.unlock': {
    vault_locked: 'the vault is not set up (`uninitialized`)',
    vault:
      'a wrong passphrase (`wrong_passphrase`), a keyring that cannot be used now (`safe_storage_unavailable`), a damaged file (`corrupt`)',
  },
  'vault.lock': {},
  'vault.changePassphrase': {
    vault_locked: 'the vault is not set up (`uninitialized`)',
    vault:
      'a wrong current passphrase (`wrong_passphrase`), a new one under 8 characters (`weak_passphrase`), a vault the keyring protects (`wrong_method`)',
  },

  'profiles.list': {},
  'profiles.get': { not_found: NO_PROFILE },
  'profiles.template': {},
  'profiles.validate': {
    vault: 'a stored secret of the profile fails authentication (`corrupt`); problems of the profile itself are the answer, not an error',
  },
  'profiles.save': {
    invalid_input: 'a check that needs the stored or staged secrets fails (character policy, TLS key), one issue per field',
    not_found: '`expectedRevision` given for a profile that does not exist',
    conflict: 'the id exists already (no `expectedRevision`), or the profile was saved since that revision',
    vault_locked: 'new secrets to store while the vault is locked or not set up',
    vault: 'a stored secret fails authentication (`corrupt`)',
  },
  'profiles.clone': {
    not_found: NO_PROFILE,
    vault_locked: 'the vault is locked or not set up (the secrets are copied)',
    vault: 'a stored secret fails authentication (`corrupt`)',
  },
  'profiles.rename': { not_found: NO_PROFILE, conflict: 'the profile was saved since `expectedRevision`' },
  'profiles.delete': { not_found: NO_PROFILE },
  'profiles.export': {
    not_found: NO_PROFILE,
    vault_locked: '`sealed` while the vault is locked',
    vault: 'an export passphrase under 8 characters (`weak_passphrase`), a stored secret that fails authentication (`corrupt`)',
  },
  'profiles.import': {
    invalid_input:
      'not a file this app exported, one from a newer version, a profile that does not fit, or sealed secrets without `passphrase` (reason `passphrase_required`)',
    vault: 'a wrong passphrase for the sealed secrets (`wrong_passphrase`), a damaged or crafted file (`corrupt`, `kdf_too_costly`)',
  },
  'profiles.importHarborConfig': {
    invalid_input: 'the file cannot be read as harbor.cfg or harbor.yml (a YAML fault by line and column only)',
  },
  'profiles.importSshConfig': { not_found: 'no `content` and no ~/.ssh/config on the machine running the core' },

  'files.complete': {},
  'files.choose': { conflict: 'not the desktop app (`no_desktop`): serve mode completes typed paths instead' },
  'files.readCertificate': {
    invalid_input: 'the file cannot be read, is over 1 MiB, or holds anything but PEM certificates; `issues` names `path`',
  },
  'files.stagePrivateKey': {
    invalid_input: 'the file cannot be read, is over 1 MiB, or holds no single unencrypted PEM private key; `issues` names `path`',
  },
  'tls.generate': {},
  'draft.testNodes': {
    invalid_input:
      'the input does not fit the schema; a node whose own fields are unfinished answers `failed` with the first field instead',
    not_found: 'the form has no node with one of these ids',
  },
  'draft.createHarborAccount': {
    invalid_input: 'not PostgreSQL, or the section, the node or a password is not filled in yet; `issues` names the fields',
    conflict: 'the account exists already (check its password instead)',
    not_found: 'the form has no node with this id',
    ssh: SSH_CAUSE,
  },
  'draft.testService': {
    invalid_input: 'the section or the node to test from is not filled in yet (or a password is missing); `issues` names the fields',
    not_found: 'the form has no node with this id',
    ssh: SSH_CAUSE,
  },

  'ssh.test': {
    not_found: 'no such profile or node',
    invalid_input: 'no SSH password is stored for the node',
    vault_locked: 'the node signs in with a stored secret and the vault is locked',
    ssh: `the connection or \`uname\` failed; ${SSH_CAUSE}. An unknown host key is an answer (\`status: host_key_unknown\`), not an error`,
  },
  'ssh.trustHostKey': { ssh: 'no host presented this key in a recent ssh.test (reason `protocol`)' },
  'activity.list': {},

  'transfer.upload': {
    invalid_input:
      '`localPath` does not exist, is not a regular file, or cannot be read; what fails on a node is reported by transfer.progress',
  },
  'transfer.progress': { not_found: 'no transfer has this id (it may have finished more than 10 minutes ago); ends the stream' },
  'transfer.cancel': {},

  'terminal.open': {
    not_found: 'no such profile or node',
    conflict: 'too many terminals are open (reason `too_many_sessions`)',
    invalid_input: 'no SSH password is stored for the node',
    vault_locked: 'the node signs in with a stored secret and the vault is locked',
    ssh: `the connection or the shell failed; ${SSH_CAUSE}`,
  },
  'terminal.output': { not_found: 'no session has this id (reason `terminal_session`)' },
  'terminal.input': { not_found: 'the only id given names no session' },
  'terminal.ack': { not_found: 'no session has this id' },
  'terminal.resize': { not_found: 'no session has this id' },
  'terminal.reconnect': {
    not_found: 'no session has this id',
    vault_locked: 'the node signs in with a stored secret and the vault is locked',
    ssh: `the session was closed (\`disconnected\`) or the new connection failed; ${SSH_CAUSE}`,
  },
  'terminal.setLogging': { not_found: 'no session has this id' },
  'terminal.close': { not_found: 'no session has this id' },
  'terminal.list': {},

  'topology.graph': { not_found: NO_PROFILE },
  'topology.sweep': { not_found: NO_PROFILE, vault_locked: 'a node signs in with a stored password and the vault is locked' },
  'topology.watch': { not_found: `${NO_PROFILE} (refuses the subscription)`, internal: 'a sweep failed unexpectedly (ends the stream)' },

  'deploy.plan': { not_found: NO_PROFILE },
  'deploy.preview': {
    not_found: 'no such profile, step or node',
    vault_locked: 'the step needs a stored secret and the vault is locked',
    vault: 'a stored secret fails authentication (`corrupt`)',
    ssh: `the step reads the node and the connection failed; ${SSH_CAUSE}`,
    deploy: 'the step cannot say what it would do (e.g. a secret it needs is not stored)',
  },
  'deploy.check': {
    not_found: NO_PROFILE,
    invalid_input: '`only` or `nodes` name a step or node the plan does not have, or `only` is empty',
    vault_locked: 'the vault is locked (the checks read the secrets)',
  },
  'deploy.disruptions': {
    not_found: NO_PROFILE,
    invalid_input: '`only` or `nodes` name a step or node the plan does not have, or `only` is empty',
    vault_locked: 'the vault is locked (the checks read the secrets)',
  },
  'deploy.start': {
    not_found: NO_PROFILE,
    invalid_input: '`only`, `skip` or `nodes` name a step or node the plan does not have, or `only` is empty',
    confirmation_required:
      '`existingDatabase: reset` without `confirmReset` repeating the database host; or the run would reinstall serving nodes not named in `confirmDisruption` (`disruption`)',
    vault_locked: 'the vault is locked (the run reads the secrets)',
    conflict: 'a run of this profile is in progress',
  },
  'deploy.resume': {
    not_found: 'no run has this id, or its profile is gone',
    invalid_input: '`only`, `skip` or `nodes` name a step or node the plan does not have, or `only` is empty',
    confirmation_required:
      '`existingDatabase: reset` without `confirmReset` repeating the database host; or the run would reinstall serving nodes not named in `confirmDisruption` (`disruption`)',
    vault_locked: 'the vault is locked (the run reads the secrets)',
    conflict:
      'this run, or another run of its profile, is in progress; or a newer run of its profile exists (`superseded`: only the newest run resumes)',
  },
  'deploy.cancel': {},
  'deploy.runs': {},
  'deploy.run': { not_found: 'no run has this id' },
  'deploy.events': { not_found: 'no run has this id (refuses the subscription)' },

  'maintenance.backup': {
    not_found: NO_PROFILE,
    vault_locked: 'the vault is locked (the run reads the secrets, and the profile is sealed into the archive)',
    conflict: 'a run of this profile is in progress',
  },
  'maintenance.resumeBackup': {
    not_found: 'no run has this id',
    invalid_input: 'the run is not a backup (`issues` names `runId`)',
    vault_locked: 'the vault is locked',
    conflict: 'the run is running already, a newer backup run exists (`superseded`), or another run of the profile is in progress',
  },
  'maintenance.backupSettings': { not_found: NO_PROFILE },
  'maintenance.archives': { not_found: NO_PROFILE, invalid_input: 'the folder cannot be read (`issues` names `folder`)' },
  'maintenance.restore': {
    not_found: NO_PROFILE,
    invalid_input: 'no archive at `file` (`issues` names `file`)',
    confirmation_required:
      "nodes of the cluster serve and `confirmation` is not the database host (the restore stops every node); a database holding Harbor data is refused by the run's first step instead",
    vault_locked: 'the vault is locked (the run reads the secrets)',
    conflict: 'a run of this profile is in progress',
  },
  'maintenance.resumeRestore': {
    not_found: 'no run has this id',
    invalid_input: 'the run is not a restore (`issues` names `runId`), or no archive at `file`',
    confirmation_required: 'as maintenance.restore',
    vault_locked: 'the vault is locked',
    conflict: 'the run is running already, a newer restore run exists (`superseded`), or another run of the profile is in progress',
  },
  'maintenance.rotateCert': {
    not_found: NO_PROFILE,
    invalid_input:
      'the certificate or key does not do (unreadable, key not its own, not for the domain, expired, chain out of order, a key in the certificate text; `issues` names `certificate` or `privateKey`), the staged key is gone, or the profile serves http',
    vault_locked: 'the vault is locked (the key goes into it)',
    conflict: 'the profile changed since it was read, or a run of this profile is in progress',
  },
  'maintenance.upgrade': {
    not_found: NO_PROFILE,
    invalid_input:
      'the hop is not a forward 2.x one (`issues` names `version`), no installer there (`installer`), the backup input, or the profile with the new version does not pass its checks',
    vault_locked: 'the vault is locked (the run reads the secrets; the backup seals the profile)',
    conflict: 'a run of this profile is in progress',
  },
  'maintenance.resumeUpgrade': {
    not_found: 'no run has this id',
    invalid_input: 'the run is not an upgrade the app recorded (`issues` names `runId`)',
    vault_locked: 'the vault is locked',
    conflict: 'the run is running already, a newer upgrade run exists (`superseded`), or another run of the profile is in progress',
  },
  'maintenance.upgrades': { not_found: NO_PROFILE },
  'maintenance.rollbackUpgrade': {
    not_found: 'no run has this id',
    invalid_input:
      "not an upgrade the app recorded, its backup skipped or its archive gone (`issues` names `runId`); or the restore's own refusals",
    confirmation_required: 'as maintenance.restore: `confirmation` is not the database host',
    vault_locked: 'the vault is locked',
    conflict: 'a run of this profile is in progress',
  },
  'maintenance.verify': {
    invalid_input:
      'no file there (`issues` names `file`); the passphrase does not open it (`wrong_passphrase`, `field` is `passphrase`); not an archive of the app (`not_an_archive`, `no_manifest`, `unsupported`); a member damaged, missing or added (`damaged`, `missing_member`, `extra_member`), the message naming it',
  },

  'remoteFiles.list': {
    not_found: 'no such profile or node, or the folder does not exist (`no_such_file`)',
    vault_locked: 'the vault is locked (the connection reads the secrets)',
    ssh: `the connection failed; ${SSH_CAUSE}; or the node refused (\`permission_denied\`, \`sftp\`)`,
  },
  'remoteFiles.mkdir': {
    not_found: 'the parent folder does not exist (`no_such_file`)',
    ssh: 'the node refused (`permission_denied`, or `sftp`: the name exists) or the connection failed',
  },
  'remoteFiles.rename': {
    not_found: 'nothing is at `from` (`no_such_file`)',
    conflict: 'something is at `to` already (`exists`)',
    ssh: 'the node refused (`permission_denied`, `sftp`) or the connection failed',
  },
  'remoteFiles.remove': {
    conflict:
      'a folder with entries without `recursiveConfirm` naming it (`not_empty`); a system folder such as / or /etc (`protected`); nothing there (`no_such_file`)',
    ssh: 'the node refused (`permission_denied`, `sftp`, `remote_command` for rm -rf) or the connection failed',
  },
  'remoteFiles.chmod': { not_found: 'nothing is at the path (`no_such_file`)', ssh: 'the node refused or the connection failed' },
  'remoteFiles.readText': {
    not_found: 'nothing is at the path (`no_such_file`)',
    conflict: 'not a regular file (`not_a_file`), over 1 MiB (`too_large`), or binary: a NUL byte or not UTF-8 (`binary`)',
    ssh: 'the node refused or the connection failed',
  },
  'remoteFiles.writeText': {
    not_found: 'the file is gone (`no_such_file`)',
    conflict: 'as readText for the copy on the node, or the new text is over 1 MiB (`too_large`)',
    ssh: 'the node refused (the owner cannot be kept without root: `permission_denied`) or the connection failed',
  },
  'remoteFiles.download': { invalid_input: 'the local folder does not exist (`issues` names `localFolder`)' },
  'remoteFiles.upload': { invalid_input: 'nothing to upload at the local path (`issues` names `localPath`)' },
  'remoteFiles.progress': { not_found: 'no job has this id (refuses the subscription); a failure ends in state `failed` with its error' },
  'remoteFiles.cancel': {},

  'snippets.list': {
    not_found: NO_PROFILE,
    storage: 'snippets.json is not a file the app wrote (`snippets_unreadable`)',
  },
  'snippets.render': {
    not_found: 'no such profile, or no built-in snippet with this id for its Harbor generation (`snippet`)',
    invalid_input: 'a parameter is not one of the values `snippets.list` offered (`issues` names it)',
  },
  'snippets.save': {
    not_found: 'no such profile, or no own snippet with this id (`snippet`)',
    invalid_input: 'a field holds one of the secrets the app keeps (`snippet_secret`, `issues` names the field)',
    conflict: 'the profile has 200 own snippets already (`too_many_snippets`)',
    vault_locked: 'the vault is locked (a snippet is checked against its secrets before it is saved)',
    storage: 'as snippets.list',
  },
  'snippets.delete': { not_found: 'no own snippet with this id in the profile (`snippet`)', storage: 'as snippets.list' },

  'logs.read': {
    not_found: NO_PROFILE,
    ssh: 'never for a node: a node that cannot be read is in `failures` with its cause, the others are answered',
  },
  'logs.trace': {
    not_found: NO_PROFILE,
    ssh: `listing or reading a log file failed (\`log_command\`), or the connection did: ${SSH_CAUSE}`,
  },
  'logs.follow': {
    not_found: 'no such profile (refuses the subscription); a node that cannot be followed is a `state` event `ended` with its message',
  },
  'logs.ack': {},
  'logs.bundle': {
    not_found: NO_PROFILE,
    storage: 'a file is at the path already (`bundle_exists`: never overwritten), or the bundle cannot be written there (`bundle_write`)',
  },

  'metrics.watch': {
    not_found:
      'no such profile, or no such node in it (refuses the subscription); a sample that fails is an event with `error`, sampling goes on',
  },

  'cloud.status': {
    not_found: NO_PROFILE,
    invalid_input: 'the profile has no Aliyun account (`no_cloud`)',
    vault_locked: 'the vault is locked: the AccessKey secret is in it',
    cloud:
      "never for one resource: what could not be read is in `errors` with Aliyun's reason; the session itself could not start (a role that cannot be assumed)",
  },
  'cloud.allowNodes': {
    not_found: 'no such profile, or a node id not in it',
    invalid_input: 'no Aliyun account, no instance id for the service, or a node without a known address (`no_address`, `field` names it)',
    vault_locked: 'as cloud.status',
    cloud: "Aliyun refused the change: `reason` is Aliyun's code (Forbidden.RAM: the message names the permission), `field` the setting",
  },
  'cloud.policy': { not_found: NO_PROFILE, invalid_input: 'the profile has no Aliyun account (`no_cloud`)' },
} as const satisfies { readonly [K in keyof Contract]: ErrorCases };
