import type { FieldIssue } from '../errors';
import type { Locale, Localized } from '../i18n/localized';
import type { Advice } from '../profile/rules';
import type { Profile } from '../profile/schema';

/** How the UI reaches the core. */
export type TransportKind = 'ipc' | 'websocket';

export interface AppInfo {
  readonly name: string;
  readonly version: string;
  /** Node's `process.platform` of the machine running the core. */
  readonly platform: string;
  readonly arch: string;
  readonly versions: {
    readonly node: string;
    /** null in serve mode. */
    readonly electron: string | null;
    readonly chrome: string | null;
  };
  readonly transport: TransportKind;
  /** The language the OS (Electron) or the serve host suggests. The UI may override it. */
  readonly locale: Locale;
  /** Where the app keeps its data on this machine. */
  readonly dataDir: string;
  /** Where its log files are (`<dataDir>/logs`). */
  readonly logsDir: string;
  /** Whether app.openLogsFolder works here: the desktop app, not a browser (serve mode). */
  readonly canOpenFolders: boolean;
}

export interface Diagnostics {
  /** Plain text, one fact a line. */
  readonly text: string;
}

export interface ClockTick {
  readonly seq: number;
  /** ISO 8601 time in the core. */
  readonly now: string;
}

export interface VaultStatus {
  readonly state: 'uninitialized' | 'locked' | 'unlocked';
  /** How the vault key is protected (or would be, once set up). */
  readonly method: 'safeStorage' | 'passphrase';
  /** Why the vault cannot be unlocked as things stand, when that is so. */
  readonly problem?: { readonly code: string; readonly message: Localized };
}

export type DeployStatus = 'succeeded' | 'failed' | 'running' | 'cancelled';

export interface LastDeploy {
  readonly status: DeployStatus;
  readonly at: string;
  readonly runId?: string;
}

export interface ProfileSummary {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly generation: 'v1' | 'v2';
  readonly version: string;
  readonly domain: string;
  readonly nodeCount: number;
  /** For rename and other edits that must not overwrite a newer save. */
  readonly revision: number;
  readonly updatedAt: string;
  readonly lastDeploy?: LastDeploy;
}

export interface ProfileView {
  /** Secrets appear as `{ set }` only. */
  readonly profile: Profile;
  readonly revision: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly lastDeploy?: LastDeploy;
  readonly advice: readonly Advice[];
}

export interface ProfileValidation {
  readonly issues: readonly FieldIssue[];
  readonly advice: readonly Advice[];
  /** The TLS certificate the form holds, read by the core (absent when there is none or it cannot be read). */
  readonly certificate?: CertificateSummary;
}

/** A certificate as the operator checks it before deploying; nothing secret. */
export interface CertificateSummary {
  readonly subject: string;
  readonly issuer: string;
  /** Its subject alternative names (DNS names and IP addresses): what clients check. */
  readonly names: readonly string[];
  /** ISO 8601. */
  readonly notBefore: string;
  readonly notAfter: string;
  readonly selfSigned: boolean;
  /** SHA-256 of the DER, colon-separated hex as openssl prints it. */
  readonly fingerprint256: string;
  /** Whether the private key in the form belongs to it; null when the form holds no readable key to compare. */
  readonly keyMatches: boolean | null;
  /** Whether it is valid for the registry's domain. */
  readonly coversDomain: boolean;
  /** How many certificates the PEM holds (1: no intermediates). */
  readonly chainLength: number;
}

/** Paths on the machine running the core that start with what the operator typed (serve mode's file picker). */
export interface PathCompletion {
  readonly entries: readonly { readonly path: string; readonly directory: boolean }[];
  /** More entries matched than are listed. */
  readonly truncated: boolean;
}

/** TLS material the core made for the form: public parts as text, the private key staged in the core. */
export interface GeneratedTlsView {
  readonly certificate?: string;
  readonly csr?: string;
  readonly privateKey: { readonly staged: string };
}

export interface ProfileDraft {
  /** A profile (possibly incomplete) to open in the form, unsaved; secrets are `{ staged }` tokens or `{ set: false }`. */
  readonly draft: unknown;
  readonly notes: readonly Localized[];
}

export interface ExportedFile {
  readonly fileName: string;
  readonly content: string;
}

export interface SshHostCandidate {
  readonly alias: string;
  readonly host: string;
  readonly port: number;
  readonly user?: string;
  readonly identityFile?: string;
  readonly proxyJump?: readonly { readonly host: string; readonly port: number; readonly user?: string }[];
  readonly line: number;
}

export interface SshConfigImport {
  readonly hosts: readonly SshHostCandidate[];
  readonly warnings: readonly { readonly line: number; readonly message: Localized }[];
  /** Wildcard and negated Host patterns, per Host line: not nodes; their settings apply to the hosts they match. */
  readonly patterns: readonly { readonly line: number; readonly patterns: readonly string[] }[];
}
